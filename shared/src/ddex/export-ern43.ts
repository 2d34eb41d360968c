import type { ReleaseSheet } from '../domain/release-sheet.js';
import type { Problem } from '../validation/problem.js';
import { buildErn43Message, ddexBlockingProblems, type Ern43MessageOptions } from './build-ern43.js';
import type { DdexSettings } from './ddex-settings.js';
import { checkErn43Structure } from './ern43-structure.js';
import { ERN_43_NAMESPACE, ERN_43_SCHEMA_LOCATION, XSI_NAMESPACE } from './ern43-values.js';
import { serializeXml, type XmlElement } from './xml-tree.js';

/** A sheet the DDEX export refuses, with the problems that stand in the way. */
export class DdexExportRefused extends Error {
  constructor(readonly problems: Problem[]) {
    super(`The release cannot become a DDEX message yet (${problems.length} blocking problems)`);
    this.name = 'DdexExportRefused';
  }
}

/** The XML text of a message tree, with the `ern` prefix and the schema's location. */
export function serializeErn43(root: XmlElement): string {
  return serializeXml(root, {
    prefixes: { [ERN_43_NAMESPACE]: 'ern', [XSI_NAMESPACE]: 'xsi' },
    rootAttributes: { 'xsi:schemaLocation': ERN_43_SCHEMA_LOCATION },
  });
}

/**
 * The sheet as a DDEX ERN 4.3 `NewReleaseMessage` (XML text). Throws `DdexExportRefused` while
 * `ddexBlockingProblems` lists anything. The message is held to `checkErn43Structure` before it
 * is written: a departure there is a bug of this export, never the sheet's fault.
 */
export function exportErn43(
  sheet: ReleaseSheet,
  settings: DdexSettings,
  options: Ern43MessageOptions,
): string {
  const problems = ddexBlockingProblems(sheet);
  if (problems.length > 0) throw new DdexExportRefused(problems);
  const root = buildErn43Message(sheet, settings, options);
  const departures = checkErn43Structure(root);
  if (departures.length > 0) {
    const list = departures.map((d) => `${d.path}: ${d.message}`).join('; ');
    throw new Error(`The DDEX export built a message outside ERN 4.3: ${list}`);
  }
  return serializeErn43(root);
}
