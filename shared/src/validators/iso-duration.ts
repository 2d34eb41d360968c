// xs:duration restricted to the time part, as DDEX uses for track durations: PT3M25S, PT1H2M3S,
// PT1M30.5S. `PT90S` parses too (xs:duration allows it); `PT` alone does not.
const ISO_DURATION = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/;

/** Seconds in an ISO 8601 time duration, or null when `s` is not one. */
export function parseIsoDuration(s: unknown): number | null {
  if (typeof s !== 'string' || s === 'PT') return null;
  const match = ISO_DURATION.exec(s);
  if (!match) return null;
  const [hours, minutes, seconds] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0));
  return hours! * 3600 + minutes! * 60 + seconds!;
}

export function isIsoDuration(s: unknown): s is string {
  return parseIsoDuration(s) !== null;
}

/** Normalised duration (minutes and seconds below 60): 205 → `PT3M25S`. */
export function formatIsoDuration(totalSeconds: number): string {
  // Rounded to the millisecond before it is split, so 119.9996 s is PT2M, never PT1M60S.
  const milliseconds = Math.round(totalSeconds * 1000);
  const hours = Math.floor(milliseconds / 3_600_000);
  const minutes = Math.floor((milliseconds % 3_600_000) / 60_000);
  const seconds = (milliseconds % 60_000) / 1000;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds || (!hours && !minutes) ? `${seconds}S` : ''}`;
}

/**
 * Accepts `m:ss` or `h:mm:ss` as people type durations, besides ISO 8601.
 * @example durationFromInput('3:25') // 'PT3M25S'
 */
export function durationFromInput(input: string): string | null {
  const trimmed = input.trim().toUpperCase();
  if (isIsoDuration(trimmed)) return trimmed;
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (!clock) return null;
  const seconds = Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const minutesOverflow = clock[1] !== undefined && Number(clock[2]) >= 60;
  return Number(clock[3]) < 60 && !minutesOverflow ? formatIsoDuration(seconds) : null;
}
