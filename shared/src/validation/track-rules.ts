import { fieldPath } from '../doc-layout.js';
import type { Track } from '../domain/release-sheet.js';
import { parseIsoDuration } from '../validators/iso-duration.js';
import { normalizeIsrc } from '../validators/isrc.js';
import { isValidLanguage } from '../validators/language.js';
import { checkIsrc, checkIswc } from './identifier-rules.js';
import { type Problem, ProblemCode } from './problem.js';

/** Splits may differ from 100 by this much, for shares like 33.33 + 33.33 + 33.34. */
export const SPLIT_TOLERANCE = 0.01;
// In binary floating point 100 − (33.33 + 33.33 + 33.33) is 0.010000000000005116: without this
// slack three equal thirds would fail a tolerance meant to accept them.
const FLOAT_SLACK = 1e-9;

const error = (path: string, code: ProblemCode, message: string): Problem => ({
  path,
  severity: 'error',
  code,
  message,
});

function checkDuration(path: string, duration: string): Problem[] {
  if (!duration) return [];
  const seconds = parseIsoDuration(duration);
  if (seconds === null)
    return [error(path, ProblemCode.invalidDuration, 'Use an ISO 8601 duration like PT3M25S')];
  return seconds > 0
    ? []
    : [error(path, ProblemCode.durationNotPositive, 'Duration must be longer than zero')];
}

function checkSplits(track: Track): Problem[] {
  if (track.splits.length === 0) return [];
  const path = fieldPath.trackField(track.id, 'splits');
  const problems = track.splits
    .filter((split) => !(split.share > 0 && split.share <= 100))
    .map((split) =>
      error(
        path,
        ProblemCode.splitShareOutOfRange,
        `Share of ${split.party || 'a party'} must be above 0 and at most 100`,
      ),
    );
  const total = track.splits.reduce((sum, split) => sum + split.share, 0);
  if (Math.abs(total - 100) > SPLIT_TOLERANCE + FLOAT_SLACK) {
    problems.push(
      error(
        path,
        ProblemCode.splitsNotHundred,
        `Splits add up to ${Math.round(total * 100) / 100}%, not 100%`,
      ),
    );
  }
  return problems;
}

function checkTrack(track: Track, position: number): Problem[] {
  const at = (field: string) => fieldPath.trackField(track.id, field);
  const problems: Problem[] = [];
  const name = `Track ${position + 1}`;
  if (!track.title.trim())
    problems.push(error(at('title'), ProblemCode.required, `${name}: title is required`));
  if (!track.isrc)
    problems.push(error(at('isrc'), ProblemCode.required, `${name}: ISRC is required for delivery`));
  if (!track.duration)
    problems.push(error(at('duration'), ProblemCode.required, `${name}: duration is required`));
  problems.push(...checkIsrc(at('isrc'), track.isrc));
  problems.push(...checkDuration(at('duration'), track.duration));
  problems.push(...checkIswc(at('iswc'), track.iswc));
  if (track.language && !isValidLanguage(track.language)) {
    problems.push(
      error(at('language'), ProblemCode.unknownLanguage, `${name}: use an ISO 639 language code`),
    );
  }
  problems.push(...checkSplits(track));
  return problems;
}

/** ISRCs identify one recording: two tracks of a release may not share one. */
function checkDuplicateIsrcs(tracks: readonly Track[]): Problem[] {
  const byIsrc = new Map<string, Track[]>();
  for (const track of tracks) {
    if (!track.isrc) continue;
    const key = normalizeIsrc(track.isrc);
    byIsrc.set(key, [...(byIsrc.get(key) ?? []), track]);
  }
  return [...byIsrc.values()]
    .filter((group) => group.length > 1)
    .flatMap((group) =>
      group.map((track) =>
        error(
          fieldPath.trackField(track.id, 'isrc'),
          ProblemCode.duplicateIsrc,
          `ISRC ${track.isrc} is used by ${group.length} tracks`,
        ),
      ),
    );
}

export function checkTracks(tracks: readonly Track[]): Problem[] {
  if (tracks.length === 0) return [error('tracks', ProblemCode.noTracks, 'Add at least one track')];
  return [...tracks.flatMap(checkTrack), ...checkDuplicateIsrcs(tracks)];
}
