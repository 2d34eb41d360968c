import { colorForUser } from '@patchline/shared';

/** The server and this app colour a user alike (shared/src/presence/presence-color.ts). */
export { colorForUser };

/**
 * Presence as it travels in Yjs awareness. Every client of a release publishes
 * `{ user: { sub, name, color }, field }`; Tiptap's CollaborationCaret adds `cursor` for the notes.
 * The server replaces `user` with the sender's verified identity and checks the rest
 * (shared/PROTOCOL.md, "Presence"); what is read here is still checked, never trusted.
 */
export interface PresenceUser {
  sub: string;
  name: string;
  /** `#rrggbb`: the only colour form CollaborationCaret accepts. */
  color: string;
}

/** The local awareness state this app publishes. */
export interface PresenceState {
  user: PresenceUser;
  /** Field path (`release.title`, `tracks.<id>.isrc`, `notes`) the user is in, or null. */
  field: string | null;
}

export interface Peer {
  clientId: number;
  user: PresenceUser;
  field: string | null;
  isSelf: boolean;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const MAX_NAME_LENGTH = 80;
const MAX_FIELD_LENGTH = 200;

function readUser(value: unknown): PresenceUser | null {
  if (!value || typeof value !== 'object') return null;
  const { sub, name, color } = value as Record<string, unknown>;
  if (typeof sub !== 'string' || !sub || typeof name !== 'string') return null;
  return {
    sub,
    name: name.trim().slice(0, MAX_NAME_LENGTH) || 'Someone',
    color: typeof color === 'string' && HEX_COLOR.test(color) ? color : colorForUser(sub),
  };
}

function readField(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_FIELD_LENGTH ? value : null;
}

/**
 * Everyone in awareness with a readable user, the local client first, then by name. States
 * without a user (a client that has not announced itself yet) are skipped.
 */
export function readPeers(states: ReadonlyMap<number, unknown>, selfClientId: number): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of states) {
    if (!state || typeof state !== 'object') continue;
    const user = readUser((state as Record<string, unknown>).user);
    if (!user) continue;
    peers.push({
      clientId,
      user,
      field: readField((state as Record<string, unknown>).field),
      isSelf: clientId === selfClientId,
    });
  }
  return peers.sort(
    (a, b) =>
      Number(b.isSelf) - Number(a.isSelf) ||
      a.user.name.localeCompare(b.user.name) ||
      a.clientId - b.clientId,
  );
}

/**
 * One entry per person (the same user in two tabs is one avatar), in `readPeers` order. The
 * local user's other tabs fold into the local entry.
 */
export function uniquePeople(peers: readonly Peer[]): Peer[] {
  const bySub = new Map<string, Peer>();
  for (const peer of peers) {
    const seen = bySub.get(peer.user.sub);
    if (!seen || (peer.isSelf && !seen.isSelf)) bySub.set(peer.user.sub, peer);
  }
  return peers.filter((peer) => bySub.get(peer.user.sub) === peer);
}

/**
 * Who else is in which field: field path → the other clients there. The local client is left
 * out (its own focus ring is the browser's), but the same person in another tab is shown.
 */
export function fieldPresence(peers: readonly Peer[]): Map<string, Peer[]> {
  const byField = new Map<string, Peer[]>();
  for (const peer of peers) {
    if (peer.isSelf || !peer.field) continue;
    byField.set(peer.field, [...(byField.get(peer.field) ?? []), peer]);
  }
  return byField;
}

/** Up to two initials for an avatar: "Ada Lane" → "AL", "editor@demo…" → "E". */
export function initialsOf(name: string): string {
  const words = name
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const initials = words.length > 1 ? `${words[0]![0]}${words.at(-1)![0]}` : (words[0]?.[0] ?? '?');
  return initials.toUpperCase();
}
