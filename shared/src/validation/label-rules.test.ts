import { describe, expect, it } from 'vitest';
import {
  type IsrcElsewhere,
  isSameRecording,
  type LabelFindings,
  labelWideProblems,
  NO_LABEL_FINDINGS,
  sheetIdentifiers,
} from './label-rules.js';
import { CLEAN, sheetOf, TODAY, variant } from './test-sheets.js';
import { deliveryReadiness } from './validate-sheet.js';

const readable = (title: string, isSame = false): IsrcElsewhere => ({
  releaseId: `rel${title.length}aaaaaa`,
  title,
  isSameRecording: isSame,
});
const hidden = (isSame = false): IsrcElsewhere => ({ releaseId: null, title: null, isSameRecording: isSame });
const brief = (findings: LabelFindings, seed = CLEAN) => {
  const sheet = sheetOf(seed);
  return labelWideProblems(sheet, findings).map(({ path, severity, code, value }) => ({
    path: path.replace(sheet.tracks[0]?.id ?? '-', '0'),
    severity,
    code,
    value,
  }));
};

describe(labelWideProblems.name, () => {
  it('finds nothing when no other release shares an identifier', () => {
    expect(brief(NO_LABEL_FINDINGS)).toEqual([]);
  });

  it('blocks a UPC another release of the label uses', () => {
    expect(brief({ upc: [readable('Night Drive')], isrcs: {} })).toEqual([
      { path: 'release.upc', severity: 'blocking', code: 'upc-on-other-release', value: '036000291452' },
    ]);
  });

  it('blocks an ISRC used for a different recording, warns for the same one re-released', () => {
    expect(brief({ upc: [], isrcs: { USRC17607839: [readable('Old Album', true)] } })).toEqual([
      { path: 'tracks.0.isrc', severity: 'warning', code: 'isrc-on-other-release', value: 'USRC17607839' },
    ]);
    expect(brief({ upc: [], isrcs: { USRC17607839: [readable('Old Album', true), hidden(false)] } })).toEqual(
      [{ path: 'tracks.0.isrc', severity: 'blocking', code: 'isrc-other-recording', value: 'USRC17607839' }],
    );
  });

  it('finds an ISRC however it is written in the sheet, and names the field value it is about', () => {
    const seed = variant({}, { 0: { isrc: 'US-RC1-76-07839' } });
    expect(brief({ upc: [], isrcs: { USRC17607839: [hidden()] } }, seed)).toEqual([
      { path: 'tracks.0.isrc', severity: 'blocking', code: 'isrc-other-recording', value: 'US-RC1-76-07839' },
    ]);
  });

  it('names only releases the person may open', () => {
    const [problem] = labelWideProblems(sheetOf(CLEAN), {
      upc: [readable('Night Drive'), hidden(), hidden()],
      isrcs: {},
    });
    expect(problem?.message).toContain('“Night Drive”');
    expect(problem?.message).toContain('2 releases you cannot open');
  });

  it('blocks delivery readiness when given the findings', () => {
    const sheet = sheetOf(CLEAN);
    expect(deliveryReadiness(sheet, { today: TODAY }).isReady).toBe(true);
    const readiness = deliveryReadiness(sheet, { today: TODAY, label: { upc: [hidden()], isrcs: {} } });
    expect(readiness.isReady).toBe(false);
    expect(readiness.blocking.map((p) => p.code)).toEqual(['upc-on-other-release']);
  });
});

describe(isSameRecording.name, () => {
  const recording = { title: 'Blue Hours', version: '', seconds: 205 };
  it.each([
    ['the same recording', { ...recording, title: 'blue hours ' }, true],
    ['a length within 10 s', { ...recording, seconds: 215 }, true],
    ['an unknown length', { ...recording, seconds: null }, true],
    ['a length 11 s longer', { ...recording, seconds: 216 }, false],
    ['another version', { ...recording, version: 'Radio Edit' }, false],
    ['another title', { ...recording, title: 'Night Drive' }, false],
  ])('%s: %s', (_, other, expected) => {
    expect(isSameRecording(recording, other)).toBe(expected);
  });
});

describe(sheetIdentifiers.name, () => {
  it('keeps valid identifiers only, ISRCs compact and once', () => {
    const sheet = sheetOf(
      variant({ upc: '036000291453' }, [
        { isrc: 'US-RC1-76-07839' },
        { isrc: 'USRC17607839' },
        { isrc: 'not an isrc' },
        { isrc: '' },
      ]),
    );
    expect(sheetIdentifiers(sheet)).toEqual({ upc: null, isrcs: ['USRC17607839'] });
    expect(sheetIdentifiers(sheetOf(CLEAN)).upc).toBe('036000291452');
  });
});
