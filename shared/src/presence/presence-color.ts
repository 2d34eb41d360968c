/**
 * The colour a person's presence is drawn in. The server sets it from the verified user id
 * (PROTOCOL.md, "Presence") and the web app uses it for its own avatar, so both must agree.
 */

// Dark enough for white initials and name tags (WCAG AA against #fff at 12 px bold).
export const PRESENCE_PALETTE = [
  '#c2410c',
  '#b91c1c',
  '#be185d',
  '#7e22ce',
  '#4338ca',
  '#1d4ed8',
  '#0e7490',
  '#047857',
  '#4d7c0f',
  '#a16207',
] as const;

/** A stable `#rrggbb` colour per user, so someone keeps their colour across reloads and devices. */
export function colorForUser(sub: string): string {
  let hash = 0;
  for (let i = 0; i < sub.length; i++) hash = (hash * 31 + sub.charCodeAt(i)) >>> 0;
  return PRESENCE_PALETTE[hash % PRESENCE_PALETTE.length]!;
}
