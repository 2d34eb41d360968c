import {
  addTrackEntry,
  createSheet,
  exportErn43,
  LOCAL_DDEX_SETTINGS,
  orderedTrackIds,
  type ReleaseSheet,
  readSheet,
} from '@patchline/shared';
import { DDEX_XSD, validateDdexXml, xmllintValidate } from '../shared/test/ddex/ddex-xml-check.js';
import { median, round } from './stats.js';

/** Issue 14's bar: export and validate a 100-track release in at most this many milliseconds. */
export const DDEX_BAR_MS = 500;

export interface DdexBenchResult {
  tracks: number;
  messageBytes: number;
  runs: number;
  /** Export (build, check, write) plus the structural validation of the text read back, per run. */
  exportAndCheckMs: { median: number; max: number };
  /** The same with `xmllint --schema` against the official XSD, when PATCHLINE_DDEX_XSD is set. */
  withXmllintMs: { median: number; max: number; runs: number } | null;
}

/** A 100-track album with credits, ISWCs, versions and a pre-order, as a label would deliver it. */
function hundredTrackRelease(tracks: number): ReleaseSheet {
  const doc = createSheet({
    release: {
      title: 'Hundred Takes',
      displayArtist: 'The Loopback Quartet feat. Mira Sol',
      releaseType: 'Album',
      label: 'Loopback Records',
      catalogNumber: 'LBR-100',
      upc: '196588001314',
      genre: 'Alternative',
      language: 'en',
      // Some tracks are explicit, so the release is (the delivery checks require it).
      parentalAdvisory: 'explicit',
      releaseDate: '2026-11-06',
      preorderDate: '2026-10-09',
      pLine: '2026 Loopback Records',
      cLine: '2026 Loopback Records',
      territories: ['Worldwide'],
    },
    tracks: Array.from({ length: tracks }, (_, i) => ({
      title: `Take ${i + 1}`,
      version: i % 10 === 9 ? 'Radio Edit' : '',
      artists: i % 7 === 0 ? 'The Loopback Quartet feat. Kito' : 'The Loopback Quartet',
      isrc: `QZPLX26${String(1000 + i).padStart(5, '0')}`,
      duration: `PT${3 + (i % 3)}M${String((i * 13) % 60).padStart(2, '0')}S`,
      explicit: i % 11 === 0,
      language: 'en',
      iswc: 'T0345246801',
    })),
  });
  orderedTrackIds(doc).forEach((trackId, i) => {
    addTrackEntry(doc, trackId, 'credits', { name: 'Mira Sol', role: 'Composer/Lyricist' });
    addTrackEntry(doc, trackId, 'credits', {
      name: i % 2 ? 'Jun Hara' : 'Dee Park',
      role: 'Producer, Mixer',
    });
  });
  return readSheet(doc);
}

const summary = (samples: number[]) => ({
  median: round(median(samples), 1),
  max: round(Math.max(...samples), 1),
});

/** Times the DDEX export of a 100-track release with its validation (issue 14, "Tests and bars"). */
export async function measureDdexExport(options: { tracks: number; runs: number }): Promise<DdexBenchResult> {
  const sheet = hundredTrackRelease(options.tracks);
  const exportAndCheck = () => {
    const message = exportErn43(sheet, LOCAL_DDEX_SETTINGS, {
      releaseId: 'benchrelease0001',
      messageId: 'bench-1',
      createdAt: new Date(),
    });
    const problems = validateDdexXml(message);
    if (problems.length > 0) throw new Error(`invalid message: ${JSON.stringify(problems.slice(0, 3))}`);
    return message;
  };
  const message = exportAndCheck(); // warm-up, unreported
  const samples: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const start = performance.now();
    exportAndCheck();
    samples.push(performance.now() - start);
  }
  let withXmllintMs: DdexBenchResult['withXmllintMs'] = null;
  if (DDEX_XSD) {
    const xmllintSamples: number[] = [];
    for (let i = 0; i < Math.min(10, options.runs); i++) {
      const start = performance.now();
      const result = await xmllintValidate(DDEX_XSD, { bench: exportAndCheck() });
      if (!result.ok) throw new Error(`xmllint: ${result.output}`);
      xmllintSamples.push(performance.now() - start);
    }
    withXmllintMs = { ...summary(xmllintSamples), runs: xmllintSamples.length };
  }
  return {
    tracks: options.tracks,
    messageBytes: Buffer.byteLength(message),
    runs: options.runs,
    exportAndCheckMs: summary(samples),
    withXmllintMs,
  };
}
