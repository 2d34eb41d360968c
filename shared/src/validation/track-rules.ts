import { fieldPath } from '../doc-layout.js';
import type { ReleaseFields, Track } from '../domain/release-sheet.js';
import { parseIsoDuration } from '../validators/iso-duration.js';
import { normalizeIsrc } from '../validators/isrc.js';
import { isValidLanguage } from '../validators/language.js';
import { checkIsrc, checkIswc } from './identifier-rules.js';
import { blocking, FixId, type Problem, ProblemCode, setField, warning } from './problem.js';
import { checkArtistText, checkTitleText } from './text-rules.js';

/** Splits may differ from 100 by this much, for shares like 33.33 + 33.33 + 33.34. */
export const SPLIT_TOLERANCE = 0.01;
// In binary floating point 100 − (33.33 + 33.33 + 33.33) is 0.010000000000005116: without this
// slack three equal thirds would fail a tolerance meant to accept them.
const FLOAT_SLACK = 1e-9;

/** Stores refuse shorter audio (LabelGrid; Spotify counts no stream under 30 s). */
export const MIN_TRACK_SECONDS = 30;
/** Credit and split roles that name a writer of the song (DDEX writer roles). */
const WRITER_ROLE = /compos|lyric|writ|author|arrang|adapt|translat|librett/i;
const REMIXER_ROLE = /remix/i;
const MENTIONS_REMIX = /\bremix\b/i;
const INSTRUMENTAL = /\binstrumental\b/i;
/** ISO 639-2 "no linguistic content": the language of an instrumental. */
const NO_LANGUAGE = 'zxx';

function checkDuration(path: string, duration: string): Problem[] {
  if (!duration) return [];
  const seconds = parseIsoDuration(duration);
  if (seconds === null)
    return [blocking(path, ProblemCode.invalidDuration, 'Use an ISO 8601 duration like PT3M25S')];
  if (seconds <= 0)
    return [blocking(path, ProblemCode.durationNotPositive, 'Duration must be longer than zero')];
  return seconds < MIN_TRACK_SECONDS
    ? [
        warning(
          path,
          ProblemCode.trackTooShort,
          `Tracks under ${MIN_TRACK_SECONDS} seconds are refused by some stores and earn no streams`,
        ),
      ]
    : [];
}

/** Credits: each person once (with all their roles), the writers named, a remix's remixer credited. */
function checkCredits(track: Track, name: string): Problem[] {
  const path = fieldPath.trackField(track.id, 'credits');
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const credit of track.credits) {
    const key = credit.name.trim().toLowerCase();
    if (!key) continue;
    if (seen.has(key)) {
      problems.push(
        warning(
          path,
          ProblemCode.duplicateContributor,
          `${name}: list ${credit.name.trim()} once, with all their roles`,
        ),
      );
    }
    seen.add(key);
  }
  const roles = [...track.credits, ...track.splits].map((entry) => entry.role);
  if (!roles.some((role) => WRITER_ROLE.test(role))) {
    problems.push(
      warning(path, ProblemCode.noWriterCredit, `${name}: credit the songwriters (composer, lyricist)`),
    );
  }
  if (
    MENTIONS_REMIX.test(`${track.title} ${track.version}`) &&
    !roles.some((role) => REMIXER_ROLE.test(role))
  ) {
    problems.push(warning(path, ProblemCode.remixWithoutRemixer, `${name}: a remix needs a remixer credit`));
  }
  return problems;
}

function checkInstrumental(track: Track, release: ReleaseFields, name: string): Problem[] {
  const language = track.language || release.language;
  if (!INSTRUMENTAL.test(`${track.title} ${track.version}`) || language === NO_LANGUAGE) return [];
  const path = fieldPath.trackField(track.id, 'language');
  return [
    warning(
      path,
      ProblemCode.instrumentalLanguage,
      `${name}: an instrumental's language is "${NO_LANGUAGE}" (no lyrics)`,
      setField(
        FixId.setInstrumentalLanguage,
        `Set the language to ${NO_LANGUAGE}`,
        path,
        track.language,
        NO_LANGUAGE,
      ),
    ),
  ];
}

function checkSplits(track: Track): Problem[] {
  if (track.splits.length === 0) return [];
  const path = fieldPath.trackField(track.id, 'splits');
  const problems = track.splits
    .filter((split) => !(split.share > 0 && split.share <= 100))
    .map((split) =>
      blocking(
        path,
        ProblemCode.splitShareOutOfRange,
        `Share of ${split.party || 'a party'} must be above 0 and at most 100`,
      ),
    );
  const total = track.splits.reduce((sum, split) => sum + split.share, 0);
  if (Math.abs(total - 100) > SPLIT_TOLERANCE + FLOAT_SLACK) {
    problems.push(
      blocking(
        path,
        ProblemCode.splitsNotHundred,
        `Splits add up to ${Math.round(total * 100) / 100}%, not 100%`,
      ),
    );
  }
  return problems;
}

function checkTrack(track: Track, position: number, release: ReleaseFields): Problem[] {
  const at = (field: string) => fieldPath.trackField(track.id, field);
  const problems: Problem[] = [];
  const name = `Track ${position + 1}`;
  if (!track.title.trim())
    problems.push(blocking(at('title'), ProblemCode.required, `${name}: title is required`));
  if (!track.isrc)
    problems.push(blocking(at('isrc'), ProblemCode.required, `${name}: ISRC is required for delivery`));
  if (!track.duration)
    problems.push(blocking(at('duration'), ProblemCode.required, `${name}: duration is required`));
  problems.push(...checkIsrc(at('isrc'), track.isrc));
  problems.push(...checkDuration(at('duration'), track.duration));
  problems.push(...checkIswc(at('iswc'), track.iswc));
  if (track.language && !isValidLanguage(track.language)) {
    problems.push(
      blocking(at('language'), ProblemCode.unknownLanguage, `${name}: use an ISO 639 language code`),
    );
  }
  problems.push(...checkSplits(track));
  const artist = { path: at('artists'), value: track.artists, fallback: release.displayArtist };
  const language = track.language || release.language;
  problems.push(
    ...checkTitleText({
      path: at('title'),
      value: track.title,
      kind: 'title',
      subject: `${name}: `,
      language,
      artist,
      version: { path: at('version'), value: track.version },
    }),
    ...checkTitleText({
      path: at('version'),
      value: track.version,
      kind: 'version',
      subject: `${name}: `,
      language,
      artist,
    }),
    ...checkArtistText(at('artists'), track.artists, `${name}: `),
    ...checkCredits(track, name),
    ...checkInstrumental(track, release, name),
  );
  return problems;
}

/** Groups of two or more tracks with the same key (`null`: the track is left out). */
export function tracksSharing(tracks: readonly Track[], keyOf: (track: Track) => string | null): Track[][] {
  const groups = new Map<string, Track[]>();
  for (const track of tracks) {
    const key = keyOf(track);
    if (key !== null) groups.set(key, [...(groups.get(key) ?? []), track]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/** ISRCs identify one recording: two tracks of a release may not share one. */
function checkDuplicateIsrcs(tracks: readonly Track[]): Problem[] {
  return tracksSharing(tracks, (track) => (track.isrc ? normalizeIsrc(track.isrc) : null)).flatMap((group) =>
    group.map((track) =>
      blocking(
        fieldPath.trackField(track.id, 'isrc'),
        ProblemCode.duplicateIsrc,
        `ISRC ${track.isrc} is used by ${group.length} tracks`,
      ),
    ),
  );
}

export function checkTracks(tracks: readonly Track[], release: ReleaseFields): Problem[] {
  if (tracks.length === 0) return [blocking('tracks', ProblemCode.noTracks, 'Add at least one track')];
  return [...tracks.flatMap((track, i) => checkTrack(track, i, release)), ...checkDuplicateIsrcs(tracks)];
}
