import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  ALLOWED_VALUES_USED,
  childrenNamed,
  deliveryReadiness,
  exportErn43,
  isValidTerritory,
  LOCAL_DDEX_SETTINGS,
  WORLDWIDE,
  type XmlElement,
} from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import {
  DDEX_XSD,
  NO_XSD_MESSAGE,
  parseXmlTree,
  validateDdexXml,
  xmllintValidate,
} from './ddex-xml-check.js';
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
    `every fixture validates with xmllint against the official XSD, whose allowed-value sets hold every value the export can write${DDEX_XSD ? '' : ` (${NO_XSD_MESSAGE})`}`,
    async () => {
      const messages = Object.fromEntries(DDEX_FIXTURES.map((f) => [f.name, exportOf(f)]));
      const result = await xmllintValidate(DDEX_XSD!, messages);
      expect(result.output).not.toMatch(/fails to validate|error/i);
      expect(result.ok, result.output).toBe(true);
      for (const name of Object.keys(messages)) expect(result.output).toContain(`${name}.xml validates`);

      // The short lists the export embeds (ern43-values.ts) are parts of the real sets, and so is
      // every territory the sheet accepts.
      const avs = parseXmlTree(await readFile(join(dirname(DDEX_XSD!), 'allowed-value-sets.xsd'), 'utf8'));
      const types = avs.children as XmlElement[];
      const setOf = (name: string) => {
        const type = types.find((t) => t.name === 'simpleType' && t.attributes.name === name);
        expect(type, name).toBeDefined();
        const restriction = childrenNamed(type!, 'restriction')[0]!;
        return childrenNamed(restriction, 'enumeration').map((e) => e.attributes.value);
      };
      for (const [set, values] of Object.entries(ALLOWED_VALUES_USED)) {
        const official = setOf(set);
        for (const value of values) expect(official, set).toContain(value);
      }
      const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
      const accepted = [...letters.flatMap((a) => letters.map((b) => a + b)), WORLDWIDE].filter(
        isValidTerritory,
      );
      expect(accepted).toHaveLength(250);
      const territories = setOf('CurrentTerritoryCode');
      for (const code of accepted) expect(territories).toContain(code);
    },
  );
});
