import { fieldPath } from '../doc-layout.js';
import type { ReleaseFields, Track } from '../domain/release-sheet.js';
import { isIsoDate } from '../validators/iso-date.js';
import { isValidLanguage } from '../validators/language.js';
import { isValidTerritory, WORLDWIDE } from '../validators/territory.js';
import { tidy } from './artist-credit.js';
import { checkUpc } from './identifier-rules.js';
import { blocking, type Fix, FixId, type Problem, ProblemCode, setField, warning } from './problem.js';
import { expectedReleaseTypes } from './product-rules.js';
import { checkArtistText, checkTitleText } from './text-rules.js';

/** Release fields a distributor needs before delivery ("D" and "X" columns). */
export const REQUIRED_RELEASE_FIELDS = [
  ['title', 'Release title'],
  ['displayArtist', 'Display artist'],
  ['releaseType', 'Release type'],
  ['label', 'Label'],
  ['upc', 'UPC/EAN'],
  ['genre', 'Genre'],
  ['language', 'Metadata language'],
  ['parentalAdvisory', 'Parental advisory'],
  ['releaseDate', 'Release date'],
  ['pLine', '℗ line'],
  ['cLine', '© line'],
] as const satisfies ReadonlyArray<readonly [keyof ReleaseFields, string]>;

/** Days of notice stores need before a release date (Spotify's editorial pitching window). */
export const MIN_LEAD_DAYS = 7;

const path = fieldPath.release;
const DAY_MS = 86_400_000;
const daysFrom = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

function checkDates(release: ReleaseFields, today: string): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['releaseDate', 'preorderDate', 'originalReleaseDate'] as const) {
    const value = release[field];
    if (value && !isIsoDate(value))
      problems.push(blocking(path(field), ProblemCode.invalidDate, 'Use a date like 2026-03-27'));
  }
  const { releaseDate, preorderDate, originalReleaseDate } = release;
  if (!isIsoDate(releaseDate)) return problems;
  if (isIsoDate(preorderDate) && preorderDate >= releaseDate) {
    problems.push(
      blocking(
        path('preorderDate'),
        ProblemCode.preorderNotBeforeRelease,
        'Pre-orders must start before the release date',
      ),
    );
  }
  if (isIsoDate(originalReleaseDate) && originalReleaseDate > releaseDate) {
    problems.push(
      blocking(
        path('originalReleaseDate'),
        ProblemCode.originalAfterRelease,
        'Original release date cannot be after the release date',
      ),
    );
  }
  // Notice only matters until the release is delivered.
  if (release.status !== 'delivered' && isIsoDate(today)) {
    const days = daysFrom(today, releaseDate);
    if (days < 0) {
      problems.push(
        warning(
          path('releaseDate'),
          ProblemCode.releaseDatePassed,
          `The release date has passed; stores need at least ${MIN_LEAD_DAYS} days' notice to launch it as planned`,
        ),
      );
    } else if (days < MIN_LEAD_DAYS) {
      problems.push(
        warning(
          path('releaseDate'),
          ProblemCode.shortLeadTime,
          `Only ${days} ${days === 1 ? 'day' : 'days'} before release: stores need at least ${MIN_LEAD_DAYS} days for editorial pitching, 4 weeks is safer`,
        ),
      );
    }
  }
  return problems;
}

function checkTerritories(territories: readonly string[]): Problem[] {
  const problems = territories
    .filter((code) => !isValidTerritory(code))
    .map((code) =>
      blocking(
        path('territories'),
        ProblemCode.unknownTerritory,
        `"${code}" is not an ISO 3166-1 country code or Worldwide`,
      ),
    );
  if (territories.includes(WORLDWIDE) && territories.length > 1) {
    problems.push(
      blocking(
        path('territories'),
        ProblemCode.worldwideWithCountries,
        'Worldwide already covers every country; remove the others',
      ),
    );
  }
  return problems;
}

const LINE_SYMBOL = /℗|©|\((?:p|c)\)/gi;

function checkLines(release: ReleaseFields): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['pLine', 'cLine'] as const) {
    const value = release[field];
    if (!value) continue;
    if (LINE_SYMBOL.test(value)) {
      const fixed = tidy(value.replace(LINE_SYMBOL, ' '));
      problems.push(
        warning(
          path(field),
          ProblemCode.symbolInLine,
          'Leave out the ℗/© symbol: stores add it',
          setField(FixId.removeLineSymbol, `Write “${fixed}”`, path(field), value, fixed),
        ),
      );
    }
    LINE_SYMBOL.lastIndex = 0;
    if (!/\b\d{4}\b/.test(value)) {
      problems.push(
        warning(
          path(field),
          ProblemCode.yearMissingInLine,
          'Start with the four-digit year, e.g. "2026 Label Name"',
        ),
      );
    }
  }
  return problems;
}

const isBlank = (value: unknown) => value === null || (typeof value === 'string' && !value.trim());

/** What a required field could be set to in one click, when the rest of the sheet says. */
function requiredFix(release: ReleaseFields, tracks: readonly Track[], field: string): Fix | undefined {
  if (field === 'releaseType' && tracks.length > 0) {
    const [type] = expectedReleaseTypes(tracks);
    return type
      ? setField(
          FixId.setReleaseType,
          `Make it ${type === 'EP' ? 'an' : 'a'} ${type}`,
          path(field),
          release.releaseType,
          type,
        )
      : undefined;
  }
  if (field === 'parentalAdvisory' && tracks.length > 0) {
    return tracks.some((track) => track.explicit)
      ? setField(FixId.markReleaseExplicit, 'Mark the release explicit', path(field), null, 'explicit')
      : setField(FixId.markReleaseNotExplicit, 'Mark the release not explicit', path(field), null, 'none');
  }
  return undefined;
}

/** The release's own fields: required, formats, dates, lines and its title and artist text. */
export function checkRelease(release: ReleaseFields, tracks: readonly Track[], today: string): Problem[] {
  const problems: Problem[] = [];
  for (const [field, label] of REQUIRED_RELEASE_FIELDS) {
    if (isBlank(release[field]))
      problems.push(
        blocking(
          path(field),
          ProblemCode.required,
          `${label} is required for delivery`,
          requiredFix(release, tracks, field),
        ),
      );
  }
  problems.push(...checkUpc(path('upc'), release.upc));
  problems.push(...checkDates(release, today));
  problems.push(...checkTerritories(release.territories));
  if (release.language && !isValidLanguage(release.language)) {
    problems.push(
      blocking(
        path('language'),
        ProblemCode.unknownLanguage,
        'Use an ISO 639 language code such as en or fr',
      ),
    );
  }
  problems.push(...checkLines(release));
  const artist = { path: path('displayArtist'), value: release.displayArtist, fallback: '' };
  problems.push(
    ...checkTitleText({
      path: path('title'),
      value: release.title,
      kind: 'title',
      subject: '',
      language: release.language,
      artist,
      version: { path: path('version'), value: release.version },
    }),
    ...checkTitleText({
      path: path('version'),
      value: release.version,
      kind: 'version',
      subject: '',
      language: release.language,
      artist,
    }),
    ...checkArtistText(path('displayArtist'), release.displayArtist, ''),
  );
  return problems;
}
