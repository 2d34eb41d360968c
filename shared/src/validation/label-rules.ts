import { fieldPath } from '../doc-layout.js';
import type { ReleaseSheet } from '../domain/release-sheet.js';
import { isValidIsrc, normalizeIsrc } from '../validators/isrc.js';
import { isValidUpc } from '../validators/upc.js';
import { blocking, type Problem, ProblemCode, warning } from './problem.js';

/**
 * Another release of the label, as far as the person asking may know it: its id and title when
 * they can read it, null otherwise (a check must not reveal what a release is called).
 */
export interface OtherRelease {
  releaseId: string | null;
  title: string | null;
}

/** A track of another release that carries the same ISRC. */
export interface IsrcElsewhere extends OtherRelease {
  /** Same title, version and length (within ISRC_SAME_LENGTH_SECONDS): a re-release of the recording. */
  isSameRecording: boolean;
}

/** What the server found on the label's other releases for this sheet's identifiers. */
export interface LabelFindings {
  /** Other releases with this release's UPC. */
  upc: OtherRelease[];
  /** Compact ISRC → the other releases' tracks that carry it. */
  isrcs: Record<string, IsrcElsewhere[]>;
}

export const NO_LABEL_FINDINGS: LabelFindings = { upc: [], isrcs: {} };

/** A recording whose length changed by more than this is a new recording with its own ISRC (RIAA). */
export const ISRC_SAME_LENGTH_SECONDS = 10;

/** One recording, as the ISRC rule compares them. */
export interface RecordingFacts {
  title: string;
  version: string;
  seconds: number | null;
}

const comparable = (text: string) => text.trim().toLowerCase();

/** Whether two tracks sharing an ISRC are plausibly the same recording (re-released). */
export function isSameRecording(a: RecordingFacts, b: RecordingFacts): boolean {
  const lengthsAgree =
    a.seconds === null || b.seconds === null || Math.abs(a.seconds - b.seconds) <= ISRC_SAME_LENGTH_SECONDS;
  return (
    comparable(a.title) === comparable(b.title) &&
    comparable(a.version) === comparable(b.version) &&
    lengthsAgree
  );
}

/** The identifiers of a sheet the label-wide rules look up: valid ones only, in compact form. */
export function sheetIdentifiers(sheet: ReleaseSheet): { upc: string | null; isrcs: string[] } {
  const isrcs = sheet.tracks.map((track) => normalizeIsrc(track.isrc)).filter((isrc) => isValidIsrc(isrc));
  return { upc: isValidUpc(sheet.release.upc) ? sheet.release.upc : null, isrcs: [...new Set(isrcs)] };
}

const MAX_NAMED = 3;

function where(releases: readonly OtherRelease[]): string {
  const named = releases.filter((release) => release.title !== null).map((release) => `“${release.title}”`);
  const unnamed = releases.length - named.length;
  const parts = [
    ...named.slice(0, MAX_NAMED),
    ...(named.length > MAX_NAMED ? [`${named.length - MAX_NAMED} more`] : []),
    ...(unnamed > 0 ? [`${unnamed} ${unnamed === 1 ? 'release' : 'releases'} you cannot open`] : []),
  ];
  return parts.join(', ');
}

/**
 * Problems across the label's releases (docs/DELIVERY-CHECKS.md, "Across the label"): a UPC
 * belongs to one product, so another release with it blocks; an ISRC belongs to one recording, so
 * another release using it for a different recording blocks, and for the same one (a re-release)
 * it is a warning to confirm. Each carries `value`, the field value it is about.
 */
export function labelWideProblems(sheet: ReleaseSheet, findings: LabelFindings): Problem[] {
  const problems: Problem[] = [];
  const { upc } = sheet.release;
  if (findings.upc.length > 0 && isValidUpc(upc)) {
    problems.push({
      ...blocking(
        fieldPath.release('upc'),
        ProblemCode.upcOnOtherRelease,
        `UPC ${upc} is already used by ${where(findings.upc)}: each product needs its own barcode`,
      ),
      value: upc,
    });
  }
  sheet.tracks.forEach((track, index) => {
    const isrc = normalizeIsrc(track.isrc);
    const elsewhere = isValidIsrc(isrc) ? (findings.isrcs[isrc] ?? []) : [];
    if (elsewhere.length === 0) return;
    const path = fieldPath.trackField(track.id, 'isrc');
    const others = elsewhere.filter((found) => !found.isSameRecording);
    const name = `Track ${index + 1}`;
    const problem =
      others.length > 0
        ? blocking(
            path,
            ProblemCode.isrcOtherRecording,
            `${name}: ISRC ${isrc} identifies a different recording (another title, version or length) on ${where(others)}; a new recording needs its own ISRC`,
          )
        : warning(
            path,
            ProblemCode.isrcOnOtherRelease,
            `${name}: ISRC ${isrc} is also on ${where(elsewhere)}; right for a re-release of the same recording, wrong for a new one`,
          );
    problems.push({ ...problem, value: track.isrc });
  });
  return problems;
}
