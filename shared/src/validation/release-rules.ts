import { fieldPath } from '../doc-layout.js';
import type { ReleaseFields } from '../domain/release-sheet.js';
import { isIsoDate } from '../validators/iso-date.js';
import { isValidLanguage } from '../validators/language.js';
import { isValidTerritory, WORLDWIDE } from '../validators/territory.js';
import { checkUpc } from './identifier-rules.js';
import { type Problem, ProblemCode } from './problem.js';

/** Release fields a distributor needs before delivery ("D" and "X" columns). */
export const REQUIRED_RELEASE_FIELDS = [
  ['title', 'Release title'],
  ['displayArtist', 'Display artist'],
  ['label', 'Label'],
  ['upc', 'UPC/EAN'],
  ['releaseDate', 'Release date'],
  ['pLine', '℗ line'],
  ['cLine', '© line'],
] as const satisfies ReadonlyArray<readonly [keyof ReleaseFields, string]>;

const path = fieldPath.release;
const error = (p: string, code: ProblemCode, message: string): Problem => ({
  path: p,
  severity: 'error',
  code,
  message,
});
const warning = (p: string, code: ProblemCode, message: string): Problem => ({
  path: p,
  severity: 'warning',
  code,
  message,
});

const FEATURING = /\b(?:feat\.?|ft\.|featuring)\s/i;

function checkDates(release: ReleaseFields): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['releaseDate', 'preorderDate', 'originalReleaseDate'] as const) {
    const value = release[field];
    if (value && !isIsoDate(value))
      problems.push(error(path(field), ProblemCode.invalidDate, 'Use a date like 2026-03-27'));
  }
  const { releaseDate, preorderDate, originalReleaseDate } = release;
  if (isIsoDate(releaseDate)) {
    if (isIsoDate(preorderDate) && preorderDate > releaseDate) {
      problems.push(
        error(
          path('preorderDate'),
          ProblemCode.preorderAfterRelease,
          'Pre-order must start on or before the release date',
        ),
      );
    }
    if (isIsoDate(originalReleaseDate) && originalReleaseDate > releaseDate) {
      problems.push(
        error(
          path('originalReleaseDate'),
          ProblemCode.originalAfterRelease,
          'Original release date cannot be after the release date',
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
      error(
        path('territories'),
        ProblemCode.unknownTerritory,
        `"${code}" is not an ISO 3166-1 country code or Worldwide`,
      ),
    );
  if (territories.includes(WORLDWIDE) && territories.length > 1) {
    problems.push(
      error(
        path('territories'),
        ProblemCode.worldwideWithCountries,
        'Worldwide already covers every country; remove the others',
      ),
    );
  }
  return problems;
}

export function checkRelease(release: ReleaseFields): Problem[] {
  const problems: Problem[] = [];
  for (const [field, label] of REQUIRED_RELEASE_FIELDS) {
    if (!release[field].trim())
      problems.push(error(path(field), ProblemCode.required, `${label} is required for delivery`));
  }
  problems.push(...checkUpc(path('upc'), release.upc));
  problems.push(...checkDates(release));
  problems.push(...checkTerritories(release.territories));
  if (release.language && !isValidLanguage(release.language)) {
    problems.push(
      error(path('language'), ProblemCode.unknownLanguage, 'Use an ISO 639 language code such as en or fr'),
    );
  }
  for (const field of ['pLine', 'cLine'] as const) {
    if (release[field] && !/\b\d{4}\b/.test(release[field])) {
      problems.push(
        warning(
          path(field),
          ProblemCode.yearMissingInLine,
          'Start with the four-digit year, e.g. "2026 Label Name"',
        ),
      );
    }
  }
  if (FEATURING.test(`${release.title} `)) {
    problems.push(
      warning(
        path('title'),
        ProblemCode.featuringInTitle,
        'Put featured artists in the artist field, not the title',
      ),
    );
  }
  return problems;
}
