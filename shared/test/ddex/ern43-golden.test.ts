import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { deliveryReadiness, exportErn43, LOCAL_DDEX_SETTINGS } from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import { DDEX_XSD, NO_XSD_MESSAGE, validateDdexXml, xmllintValidate } from './ddex-xml-check.js';
import { DDEX_FIXTURES } from './fixtures.js';

// `PATCHLINE_UPDATE_GOLDEN=1 npx vitest run shared/test/ddex` rewrites the files after a deliberate
// change of the export; review the diff like code.
const UPDATE = process.env.PATCHLINE_UPDATE_GOLDEN === '1';
const goldenUrl = (name: string) => new URL(`./golden/${name}.xml`, import.meta.url);

const exportOf = (fixture: (typeof DDEX_FIXTURES)[number]) =>
  exportErn43(fixture.sheet, LOCAL_DDEX_SETTINGS, fixture.options);

describe('DDEX ERN 4.3 export of the fixture releases', () => {
  it.each(DDEX_FIXTURES.map((f) => [f.name, f] as const))(
    '%s: ready for delivery, the same message as its golden file, structurally valid',
    async (name, fixture) => {
      expect(deliveryReadiness(fixture.sheet).blocking).toEqual([]);
      const xml = exportOf(fixture);
      if (UPDATE) await writeFile(goldenUrl(name), xml);
      expect(existsSync(goldenUrl(name)), `golden/${name}.xml is missing`).toBe(true);
      expect(xml).toBe(await readFile(goldenUrl(name), 'utf8'));
      expect(validateDdexXml(xml)).toEqual([]);
    },
  );

  it.skipIf(!DDEX_XSD)(
    `every fixture validates with xmllint against the official XSD${DDEX_XSD ? '' : ` (${NO_XSD_MESSAGE})`}`,
    async () => {
      const messages = Object.fromEntries(DDEX_FIXTURES.map((f) => [f.name, exportOf(f)]));
      const result = await xmllintValidate(DDEX_XSD!, messages);
      expect(result.output).not.toMatch(/fails to validate|error/i);
      expect(result.ok, result.output).toBe(true);
      for (const name of Object.keys(messages)) expect(result.output).toContain(`${name}.xml validates`);
    },
  );
});
