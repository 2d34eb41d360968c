import {
  DdexExportRefused,
  ddexBlockingProblems,
  deliveryReadiness,
  exportErn43,
  LOCAL_DDEX_SETTINGS,
} from '@patchline/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DDEX_XSD, NO_XSD_MESSAGE, validateDdexXml, xmllintValidate } from './ddex-xml-check.js';
import { sheetArb } from './sheet-arbitrary.js';

/**
 * Any sheet that passes `deliveryReadiness` becomes a structurally valid ERN 4.3 message — or,
 * for what the delivery checks do not (yet) ask for and the schema needs (a genre), a refusal
 * that names the field. The sheets are built to pass the checks most of the time and carry the
 * text people and attackers type: markup, quotes, control characters, other scripts.
 *
 * The seed is printed on every run; replay one with FC_SEED=<seed>.
 */
const seed =
  process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 2 ** 31) : Number(process.env.FC_SEED);
console.log(`[ddex property] fast-check seed ${seed} (replay with FC_SEED=${seed})`);

const options = {
  releaseId: 'propertyrelease1',
  messageId: 'property-1',
  createdAt: new Date('2026-03-02T09:30:00Z'),
};

describe('DDEX export of any sheet that passes the delivery checks (property)', () => {
  it('is a structurally valid ERN 4.3 message, or refused only for what the ERN needs beyond the checks', async () => {
    const samples: Record<string, string> = {};
    let exported = 0;
    fc.assert(
      fc.property(sheetArb, (sheet) => {
        fc.pre(deliveryReadiness(sheet).isReady);
        const extra = ddexBlockingProblems(sheet);
        if (extra.length > 0) {
          expect(extra.map((p) => p.path)).toEqual(['release.genre']);
          expect(() => exportErn43(sheet, LOCAL_DDEX_SETTINGS, options)).toThrow(DdexExportRefused);
          return;
        }
        const message = exportErn43(sheet, LOCAL_DDEX_SETTINGS, options);
        expect(validateDdexXml(message)).toEqual([]);
        exported++;
        if (exported <= 40) samples[`sample-${exported}`] = message;
      }),
      { seed, numRuns: 300 },
    );
    expect(exported).toBeGreaterThan(100);
    if (DDEX_XSD) {
      // The same messages against the official schema, when a copy is given.
      const result = await xmllintValidate(DDEX_XSD, samples);
      expect(result.ok, result.output).toBe(true);
    } else {
      console.log(`[ddex property] xmllint ${NO_XSD_MESSAGE}`);
    }
  });
});
