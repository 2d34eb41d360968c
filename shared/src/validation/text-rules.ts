import {
  findFeaturing,
  formatArtistCredit,
  joinNames,
  parseArtistCredit,
  tidy,
  withFeatured,
  withoutSpan,
} from './artist-credit.js';
import { blocking, type Fix, FixId, type Problem, ProblemCode, setField, warning } from './problem.js';
import { isAllCaps, isAllLowercase, isEnglish, titleCase } from './title-case.js';

/** A title or version field and the fields its fixes may move text into. */
export interface TextField {
  path: string;
  value: string;
  kind: 'title' | 'version';
  /** "Track 2: " or "" (release), put before messages. */
  subject: string;
  /** Language of the text (the track's, else the release's); casing fixes are English only. */
  language: string;
  /** The artist field featured artists belong in, its value, and the main artist it falls back to. */
  artist: { path: string; value: string; fallback: string };
  /** The version field of the same title (title fields only). */
  version?: { path: string; value: string };
}

const URL = /\b(?:https?:\/\/|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|fm|me|ly|co)\b(?:\/\S*)?/i;
const HANDLE = /(?:^|\s)[@#]\p{L}[\p{L}\p{N}_]+/u;
const PROMOTION =
  /\b(?:out now|pre-?save|pre-?order now|free download|buy now|stream now|available now|link in bio)\b[!.]*/i;
// ©, ® and ™ are pictographs to Unicode but ordinary signs in text.
const EMOJI = /(?![©®™])\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;
/** Words stores reject in titles when they are tags rather than part of the title (bracketed or after " - "). */
const BANNED_TAG =
  /\s*(?:[([]\s*|\s[-–—]\s)(exclusive|limited edition|clean|explicit|censored|uncensored|single|ep|dolby atmos|atmos|spatial audio|lossless|hi-res|24[- ]bit)\s*(?:[)\]]|$)/i;
/** Words that are never a version either. */
const BANNED_VERSION = /^(?:clean|explicit|censored|uncensored|single|ep|exclusive|atmos|dolby atmos)$/i;
const ORIGINAL_VERSION = /^(?:original(?: mix| version)?|album version)$/i;
const ORIGINAL_IN_TITLE = /\s*[([]\s*(original mix|original version|album version)\s*[)\]]/i;
const VERSION_WORDS =
  /\b(?:remix|mix|edit|version|live|acoustic|remaster(?:ed)?|instrumental|demo|extended|radio|club|dub|rework|bootleg|unplugged|session|a cappella|acapella|sped up|slowed)\b/i;
/** The last bracketed group or ` - …` suffix of a title. */
const TITLE_SUFFIX = /\s*(?:\(([^()]+)\)|\[([^[\]]+)\]|\s[-–—]\s([^-–—()[\]]+))\s*$/;
// Case spelled out: roman numerals must be capitals, or "Part Civic" would read as a part number.
const PART_VOLUME =
  /\b(?:([Vv]olume|VOLUME|[Vv]ol|VOL)(?!\.)|([Pp]art|PART|[Pp]t|PT)(?!\.))\s*(\d+|[IVXLC]+)\b/g;
const CENSORED = /[\p{L}]\*+[\p{L}]|[\p{L}]\*{2,}/u;

const quote = (text: string) => `“${text.trim()}”`;

/** A fix that removes a span of the field's text. */
function removeSpan(field: TextField, start: number, end: number, shown: string): Fix {
  return setField(
    FixId.removeText,
    `Remove ${quote(shown)}`,
    field.path,
    field.value,
    withoutSpan(field.value, start, end),
  );
}

/** A fix that removes every match of `pattern` (typed twice, it goes twice). */
function removeAll(field: TextField, pattern: RegExp, shown: string): Fix {
  let value = field.value;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    const text = match[0].trim();
    const start = match.index + match[0].indexOf(text);
    const next = withoutSpan(value, start, start + text.length);
    if (next === value) break;
    value = next;
  }
  return setField(FixId.removeText, `Remove ${quote(shown)}`, field.path, field.value, value);
}

/** Links, handles and calls to action, in the order they are looked for. */
const PROMOTIONS = [URL, HANDLE, PROMOTION];

function promotion(field: TextField): Problem[] {
  const pattern = PROMOTIONS.find((p) => p.test(field.value));
  const match = pattern?.exec(field.value);
  if (!pattern || !match) return [];
  const text = match[0].trim();
  const fix = removeAll({ ...field, value: field.value }, pattern, text);
  return [
    blocking(
      field.path,
      ProblemCode.promotionalText,
      `${field.subject}${quote(text)} is promotion: stores refuse links, handles and calls to action in ${field.kind}s`,
      fix,
    ),
  ];
}

function emoji(field: TextField): Problem[] {
  if (!field.value.match(EMOJI)) return [];
  return [
    warning(
      field.path,
      ProblemCode.emoji,
      `${field.subject}stores do not show emoji in ${field.kind}s`,
      setField(
        FixId.removeText,
        'Remove the emoji',
        field.path,
        field.value,
        tidy(field.value.replace(EMOJI, ' ')),
      ),
    ),
  ];
}

/** Featured artists typed into a title or version: they belong in the artist field. */
function featuring(field: TextField): Problem[] {
  const found = findFeaturing(field.value);
  if (!found) return [];
  const base = field.artist.value.trim() || field.artist.fallback.trim();
  const credit = parseArtistCredit(base);
  const fix: Fix | undefined = credit.main
    ? {
        id: FixId.moveFeaturing,
        label: `Move ${quote(`feat. ${joinNames(found.names)}`)} to the artist field`,
        edits: [
          { path: field.path, from: field.value, to: found.rest },
          {
            path: field.artist.path,
            from: field.artist.value,
            to: formatArtistCredit(withFeatured(credit, found.names)),
          },
        ],
      }
    : undefined;
  return [
    blocking(
      field.path,
      ProblemCode.featuringInTitle,
      `${field.subject}featured artists go in the artist field as “feat. ${found.names.join(', ')}”, not in the ${field.kind}`,
      fix,
    ),
  ];
}

/** "The Lanterns - Blue Hours": the artist is shown by the store already. */
function artistInTitle(field: TextField): Problem[] {
  const artist = parseArtistCredit(field.artist.value.trim() || field.artist.fallback.trim()).main;
  if (field.kind !== 'title' || !artist) return [];
  const prefix = field.value.slice(0, artist.length);
  const separator = /^\s*[-–—:]\s+/.exec(field.value.slice(artist.length));
  if (prefix.toLowerCase() !== artist.toLowerCase() || !separator) return [];
  const end = artist.length + separator[0].length;
  if (end >= field.value.trim().length) return [];
  return [
    warning(
      field.path,
      ProblemCode.artistInTitle,
      `${field.subject}the title starts with the artist's name; stores show the artist on their own`,
      removeSpan(field, 0, end, field.value.slice(0, end).trim()),
    ),
  ];
}

function bannedWords(field: TextField): Problem[] {
  if (field.kind === 'version' && BANNED_VERSION.test(field.value.trim())) {
    return [
      warning(
        field.path,
        ProblemCode.bannedWord,
        `${field.subject}${quote(field.value)} is not a version: use the explicit flag and the release type instead`,
        removeSpan(field, 0, field.value.length, field.value),
      ),
    ];
  }
  const match = BANNED_TAG.exec(field.value);
  if (!match) return [];
  const word = match[1] ?? '';
  const why = /clean|explicit|censored/i.test(word)
    ? 'mark explicit content with the explicit flag'
    : /single|ep/i.test(word)
      ? 'the release type says it'
      : 'stores refuse edition and audio-format tags in titles';
  return [
    warning(
      field.path,
      ProblemCode.bannedWord,
      `${field.subject}${quote(word)} does not belong in the ${field.kind}: ${why}`,
      removeAll(field, BANNED_TAG, match[0]),
    ),
  ];
}

function censored(field: TextField): Problem[] {
  if (!CENSORED.test(field.value)) return [];
  return [
    warning(
      field.path,
      ProblemCode.censoredWord,
      `${field.subject}write words in full and mark the track explicit; stores refuse words censored with asterisks`,
    ),
  ];
}

/** "Original Mix", "Album Version": the original carries no version text. */
function originalVersion(field: TextField): Problem[] {
  const message = `${field.subject}the original version carries no version text`;
  if (field.kind === 'version') {
    if (!ORIGINAL_VERSION.test(field.value.trim())) return [];
    return [
      warning(
        field.path,
        ProblemCode.originalVersionText,
        message,
        removeSpan(field, 0, field.value.length, field.value),
      ),
    ];
  }
  const match = ORIGINAL_IN_TITLE.exec(field.value);
  if (!match) return [];
  return [
    warning(
      field.path,
      ProblemCode.originalVersionText,
      message,
      removeAll(field, ORIGINAL_IN_TITLE, match[0]),
    ),
  ];
}

/** "Blue Hours (Radio Edit)": the version has a field of its own. */
function versionInTitle(field: TextField): Problem[] {
  if (field.kind !== 'title' || !field.version) return [];
  const match = TITLE_SUFFIX.exec(field.value);
  const version = (match?.[1] ?? match?.[2] ?? match?.[3])?.trim();
  if (!match || !version || !VERSION_WORDS.test(version) || ORIGINAL_VERSION.test(version)) return [];
  if (BANNED_TAG.test(match[0]) || findFeaturing(match[0])) return [];
  const rest = field.value.slice(0, match.index).trim();
  if (!rest) return [];
  const fix: Fix | undefined = field.version.value.trim()
    ? undefined
    : {
        id: FixId.moveVersion,
        label: `Move ${quote(version)} to the version field`,
        edits: [
          { path: field.path, from: field.value, to: rest },
          { path: field.version.path, from: field.version.value, to: version },
        ],
      };
  return [
    warning(
      field.path,
      ProblemCode.versionInTitle,
      `${field.subject}${quote(version)} is a version: put it in the version field`,
      fix,
    ),
  ];
}

function partVolume(field: TextField): Problem[] {
  PART_VOLUME.lastIndex = 0;
  if (!PART_VOLUME.test(field.value)) return [];
  const fixed = field.value.replace(
    PART_VOLUME,
    (_, volume: string | undefined, _part: string | undefined, number: string) =>
      `${volume ? 'Vol.' : 'Pt.'} ${number}`,
  );
  return [
    warning(
      field.path,
      ProblemCode.partVolumeAbbreviation,
      `${field.subject}write parts and volumes as “Pt.” and “Vol.”`,
      setField(FixId.abbreviatePartVolume, `Write ${quote(fixed)}`, field.path, field.value, fixed),
    ),
  ];
}

function casing(field: TextField): Problem[] {
  const { value } = field;
  // A featured-artist part is moved out first; its "(feat. …)" is not title text to case.
  if (findFeaturing(value)) return [];
  const english = isEnglish(field.language);
  const fixed = titleCase(value);
  const fix =
    english && fixed !== value
      ? setField(FixId.titleCase, `Use title case: ${quote(fixed)}`, field.path, value, fixed)
      : undefined;
  const how = english ? 'use title case' : "use the casing rules of the title's language";
  if (isAllCaps(value))
    return [warning(field.path, ProblemCode.allCaps, `${field.subject}no ALL CAPS: ${how}`, fix)];
  if (isAllLowercase(value))
    return [warning(field.path, ProblemCode.allLowercase, `${field.subject}no all-lower-case: ${how}`, fix)];
  if (!fix) return [];
  return [
    warning(
      field.path,
      ProblemCode.titleCase,
      `${field.subject}English titles capitalise every word but short ones like “of”, “the”, “in”`,
      fix,
    ),
  ];
}

/**
 * The style rules of one title or version (docs/DELIVERY-CHECKS.md, "Titles and artists"). Each
 * finding carries its own fix, computed from the value as it is; one fix at a time, then the
 * rules run again on what it left.
 */
export function checkTitleText(field: TextField): Problem[] {
  if (!field.value.trim()) return [];
  const problems = [
    ...promotion(field),
    ...featuring(field),
    ...artistInTitle(field),
    ...bannedWords(field),
    ...originalVersion(field),
    ...versionInTitle(field),
    ...emoji(field),
    ...censored(field),
    ...partVolume(field),
    ...casing(field),
  ];
  return problems.map(asSentence);
}

/** Messages start with the subject ("Track 2: …") or, on release fields, with the finding itself. */
const asSentence = (problem: Problem): Problem => ({
  ...problem,
  message: problem.message.charAt(0).toUpperCase() + problem.message.slice(1),
});

/** A display-artist string written `A ft. B`, `A Featuring B`: stores expect `A feat. B`. */
export function checkArtistText(path: string, value: string, subject: string): Problem[] {
  const credit = parseArtistCredit(value);
  if (credit.featured.length === 0) return [];
  const fixed = formatArtistCredit(credit);
  const written = /\s+(feat\.?|ft\.?|featuring|w\/)\s+/i.exec(value)?.[1];
  if (written === 'feat.' && fixed === value.trim()) return [];
  return [
    warning(
      path,
      ProblemCode.featuringFormat,
      `${subject}write featured artists as “${fixed}”`,
      setField(FixId.useFeatAbbreviation, `Write ${quote(fixed)}`, path, value, fixed),
    ),
  ].map(asSentence);
}
