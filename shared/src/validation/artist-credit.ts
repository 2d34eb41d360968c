/**
 * Featured artists in titles and display-artist strings (docs/DELIVERY-CHECKS.md, "Featured
 * artists"): stores want them in the artist field, written `Main feat. A, B & C`.
 */

/** `feat.`, `ft.`, `featuring`, `w/`: how featured artists are introduced, in any case. */
const FEATURING_WORD = String.raw`(?:feat\.|ft\.|featuring|w\/)`;
/** Inside brackets `feat` without its dot is unambiguous too ("(feat Ana)"). */
const BRACKETED_FEATURING_WORD = String.raw`(?:feat\.?|ft\.?|featuring|w\/)`;

/** `(feat. Ana)` or `[ft. Ana & Bo]` anywhere in a title. */
const BRACKETED = new RegExp(String.raw`\s*[([]\s*${BRACKETED_FEATURING_WORD}\s+([^)\]]+?)\s*[)\]]`, 'i');
/** ` feat. Ana` up to the end of the title, the next bracket or a ` - ` suffix. */
const TRAILING = new RegExp(String.raw`\s+${FEATURING_WORD}\s+([^([]+?)\s*(?=[([]|\s[-–—]\s|$)`, 'i');

export interface FeaturingInTitle {
  /** The names it introduces. */
  names: string[];
  /** The title without it. */
  rest: string;
}

/** Splits `A, B & C` (also `and`) into names. */
export function splitNames(list: string): string[] {
  return list
    .split(/\s*(?:,|&|\band\b)\s*/i)
    .map((name) => name.trim())
    .filter(Boolean);
}

/** `A`, `A & B`, `A, B & C`: the way stores join several names. */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} & ${names.at(-1)}`;
}

/** Removes a span from a title and tidies the spaces and dangling separators it leaves. */
export function withoutSpan(text: string, start: number, end: number): string {
  return tidy(`${text.slice(0, start)} ${text.slice(end)}`);
}

/** Collapses runs of spaces, drops empty brackets and separators left at either end. */
export function tidy(text: string): string {
  return text
    .replace(/[([]\s*[)\]]/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/^[\s\-–—:,/]+|[\s\-–—:,/]+$/g, '')
    .trim();
}

/** Featured-artist parts of a title or version (all of them, each removed from `rest`), if any. */
export function findFeaturing(title: string): FeaturingInTitle | null {
  let rest = title;
  const names: string[] = [];
  // Each round removes one part, so this ends; the bound only guards against a pattern bug.
  for (let round = 0; round < 10; round++) {
    const match = BRACKETED.exec(rest) ?? TRAILING.exec(rest);
    const introduced = splitNames(match?.[1] ?? '');
    if (!match || introduced.length === 0) break;
    names.push(...introduced);
    rest = withoutSpan(rest, match.index, match.index + match[0].length);
  }
  return names.length > 0 ? { names, rest } : null;
}

/** The separator of a display-artist string written another way than ` feat. `. */
const ARTIST_FEATURING = /\s+(?:feat\.?|ft\.?|featuring|w\/)\s+/i;

export interface ArtistCredit {
  main: string;
  featured: string[];
}

/** `Main feat. A & B` → `{ main: 'Main', featured: ['A', 'B'] }`. */
export function parseArtistCredit(artist: string): ArtistCredit {
  const match = ARTIST_FEATURING.exec(artist);
  if (!match) return { main: artist.trim(), featured: [] };
  return {
    main: artist.slice(0, match.index).trim(),
    featured: splitNames(artist.slice(match.index + match[0].length)),
  };
}

export function formatArtistCredit({ main, featured }: ArtistCredit): string {
  return featured.length > 0 ? `${main} feat. ${joinNames(featured)}` : main;
}

/** The credit with `names` added as featured artists (each once, the first spelling kept). */
export function withFeatured(credit: ArtistCredit, names: readonly string[]): ArtistCredit {
  const known = new Set([credit.main, ...credit.featured].map((name) => name.toLowerCase()));
  const added = names.filter((name) => !known.has(name.toLowerCase()) && known.add(name.toLowerCase()));
  return { main: credit.main, featured: [...credit.featured, ...added] };
}
