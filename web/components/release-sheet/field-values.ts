import { durationFromInput, normalizeIsrc, parseIsoDuration, WORLDWIDE } from '@patchline/shared';

/**
 * Conversions between what people type and what the document stores. The document keeps the
 * canonical forms (ISO 8601 durations, compact ISRCs, territory code lists); inputs show friendly
 * ones. Anything that does not parse is stored as typed, so validation can say what is wrong.
 */

/** `PT3M25S` → `3:25`, `PT1H2M3S` → `1:02:03`; anything else is shown as stored. */
export function displayDuration(stored: string): string {
  const seconds = parseIsoDuration(stored);
  if (seconds === null || !Number.isInteger(seconds)) return stored;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `3:25` or `PT3M25S` → `PT3M25S`; unparseable input is kept (trimmed) for validation to flag. */
export function storedDuration(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) return '';
  return durationFromInput(trimmed) ?? trimmed;
}

/** ISRC as stored: compact and upper case when it looks like one, else as typed. */
export function storedIsrc(input: string): string {
  const trimmed = input.trim();
  return trimmed ? normalizeIsrc(trimmed) : '';
}

/** ISWC as stored: upper case, no spaces (`T-034.524.680-1` keeps its punctuation). */
export function storedIswc(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, '');
}

/** `["US", "GB"]` → `US, GB`. */
export const displayTerritories = (territories: readonly string[]) => territories.join(', ');

/**
 * `us, gb de` → `["US", "GB", "DE"]`; `worldwide` → `["Worldwide"]`. Order kept, duplicates
 * dropped; unknown codes are kept for validation to flag.
 */
export function storedTerritories(input: string): string[] {
  const codes = input
    .split(/[\s,;]+/)
    .map((code) => code.trim())
    .filter(Boolean)
    .map((code) => (code.toLowerCase() === WORLDWIDE.toLowerCase() ? WORLDWIDE : code.toUpperCase()));
  return [...new Set(codes)];
}

/** A split share typed as `33.3` or `33,3 %` → 33.3; null when it is not a number in 0–100. */
export function parseShare(input: string): number | null {
  const cleaned = input.replace('%', '').replace(',', '.').trim();
  if (!cleaned) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value : null;
}
