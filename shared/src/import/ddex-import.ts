import type { XMLParser, XMLValidator } from 'fast-xml-parser';
import { childrenNamed, textOf, type XmlElement } from '../ddex/xml-tree.js';
import { RELEASE_TYPES, type ReleaseType } from '../domain/release-sheet.js';
import { IMPORT_LIMITS, ImportError, ImportErrorReason } from './import-limits.js';
import type { ImportedCredit, ImportedSheet, ImportedTrack } from './read-table.js';

type ParsedNode = Record<string, unknown>;

interface Xml {
  parser: XMLParser;
  validator: typeof XMLValidator;
}
let xmlModule: Promise<Xml> | null = null;

/**
 * The parser, loaded on first use: the web app imports this package's index and never reads
 * DDEX, so the parser stays out of its bundles. Its settings are for hostile input: no DTD is
 * ever read (a DOCTYPE is refused before parsing, so no entity is declared, expanded or fetched:
 * XXE and "billion laughs"), only the five XML entities and character references are decoded,
 * and values stay text, untrimmed.
 */
function xml(): Promise<Xml> {
  xmlModule ??= import('fast-xml-parser').then(({ XMLParser, XMLValidator }) => ({
    parser: new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      trimValues: false,
      processEntities: true,
      htmlEntities: true,
      parseTagValue: false,
      parseAttributeValue: false,
      removeNSPrefix: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
    }),
    validator: XMLValidator,
  }));
  return xmlModule;
}

/** Elements nested deeper than this are no DDEX message (ERN nests about eight deep). */
const MAX_DEPTH = 64;

function toElement(name: string, node: ParsedNode, depth: number): XmlElement {
  if (depth > MAX_DEPTH) throw new ImportError(ImportErrorReason.notDdex, 'The XML nests too deeply');
  const attributes = (node[':@'] ?? {}) as Record<string, string>;
  const children = (node[name] ?? []) as ParsedNode[];
  const elements: XmlElement[] = [];
  let text = '';
  for (const child of children) {
    const childName = Object.keys(child).find((key) => key !== ':@');
    if (childName === undefined) continue;
    if (childName === '#text') text += String(child['#text']);
    else elements.push(toElement(childName, child, depth + 1));
  }
  return { name, namespace: '', attributes, children: elements.length > 0 ? elements : text };
}

/** Parses XML text into an element tree, refusing DTDs and anything not well-formed. */
export async function parseXmlDocument(xmlText: string): Promise<XmlElement> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xmlText)) {
    throw new ImportError(
      ImportErrorReason.notDdex,
      'The XML declares a DTD or entities; DDEX messages have none, so it is refused',
    );
  }
  const { parser, validator } = await xml();
  const valid = validator.validate(xmlText);
  if (valid !== true) {
    throw new ImportError(
      ImportErrorReason.unreadable,
      `The XML is not well-formed (line ${valid.err.line}: ${valid.err.msg})`,
    );
  }
  const nodes = parser.parse(xmlText) as ParsedNode[];
  const rootNode = nodes.find((node) => Object.keys(node).some((key) => key !== ':@' && key !== '#text'));
  if (!rootNode) throw new ImportError(ImportErrorReason.notDdex, 'The XML has no root element');
  const name = Object.keys(rootNode).find((key) => key !== ':@')!;
  return toElement(name, rootNode, 0);
}

const child = (element: XmlElement | undefined, name: string): XmlElement | undefined =>
  element ? childrenNamed(element, name)[0] : undefined;
const path = (element: XmlElement | undefined, ...names: string[]): XmlElement | undefined =>
  names.reduce<XmlElement | undefined>((at, name) => child(at, name), element);
const textAt = (element: XmlElement | undefined, ...names: string[]): string => {
  const found = path(element, ...names);
  return found ? textOf(found) : '';
};
const all = (element: XmlElement | undefined, name: string): XmlElement[] =>
  element ? childrenNamed(element, name) : [];

/** "MasteringEngineer" → "Mastering Engineer": role text the export maps back to the same role. */
const roleText = (role: string) => role.replace(/([a-z])([A-Z])/g, '$1 $2');

const dateOf = (dateTime: string) => dateTime.slice(0, 10);

/**
 * The fields the message fills: what it leaves empty changes nothing, as an empty spreadsheet
 * cell does (an import into a release never blanks a field).
 */
const filled = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(fields).filter(
      ([, value]) => value !== '' && value !== null && !(Array.isArray(value) && value.length === 0),
    ),
  ) as Partial<T>;

/**
 * What an ERN 4.3 `NewReleaseMessage` says about its main release, as an import
 * (docs/IMPORT.md, "DDEX"): the fields Patchline holds, read back the way the export
 * (shared/src/ddex/build-ern43.ts) writes them. A track whose artist or language is the
 * release's comes back empty (the export writes the release's value for an empty one).
 */
export async function readErn43(xmlText: string): Promise<ImportedSheet> {
  if (xmlText.length > IMPORT_LIMITS.maxFileBytes) {
    throw new ImportError(ImportErrorReason.tooLarge, 'The XML is larger than 2 MB');
  }
  const root = await parseXmlDocument(xmlText);
  if (root.name !== 'NewReleaseMessage') {
    throw new ImportError(
      ImportErrorReason.notDdex,
      `Expected a DDEX ERN NewReleaseMessage, found <${root.name}>`,
    );
  }
  const parties = new Map(
    all(child(root, 'PartyList'), 'Party').map((party) => [
      textAt(party, 'PartyReference'),
      textAt(party, 'PartyName', 'FullName'),
    ]),
  );
  const releases = all(child(root, 'ReleaseList'), 'Release');
  const main = releases.find((r) => textAt(r, 'ReleaseReference') === 'R0') ?? releases[0];
  if (!main) throw new ImportError(ImportErrorReason.notDdex, 'The message holds no Release');
  const mainReference = textAt(main, 'ReleaseReference');

  const recordings = new Map(
    all(child(root, 'ResourceList'), 'SoundRecording').map((recording) => [
      textAt(recording, 'ResourceReference'),
      recording,
    ]),
  );
  const displayArtist = textAt(main, 'DisplayArtistName');
  const language = root.attributes.LanguageAndScriptCode ?? '';
  const items = all(child(main, 'ResourceGroup'), 'ResourceGroupContentItem')
    .map((item) => ({
      sequence: Number(textAt(item, 'SequenceNumber')),
      recording: recordings.get(textAt(item, 'ReleaseResourceReference')),
    }))
    .sort((a, b) => a.sequence - b.sequence);

  const tracks: ImportedTrack[] = items.flatMap(({ recording }, i) => {
    if (!recording) return [];
    const artists = textAt(recording, 'DisplayArtistName');
    const trackLanguage = textAt(recording, 'LanguageOfPerformance');
    const credits: ImportedCredit[] = all(recording, 'Contributor').flatMap((contributor) => {
      const name = parties.get(textAt(contributor, 'ContributorPartyReference')) ?? '';
      const roles = all(contributor, 'Role').map(
        (role) => role.attributes.UserDefinedValue ?? roleText(textOf(role)),
      );
      // A credit with no role is a contributor with none.
      return (roles.length > 0 ? roles : ['']).map((role) => ({ name, role }));
    });
    return [
      {
        row: i + 1,
        number: i + 1,
        fields: filled({
          title: textAt(recording, 'DisplayTitle', 'TitleText'),
          version: textAt(recording, 'DisplayTitle', 'SubTitle'),
          artists: artists === displayArtist ? '' : artists,
          isrc: textAt(recording, 'SoundRecordingEdition', 'ResourceId', 'ISRC'),
          duration: textAt(recording, 'Duration'),
          explicit: textAt(recording, 'ParentalWarningType') === 'Explicit',
          language: trackLanguage === language ? '' : trackLanguage,
          iswc: textAt(recording, 'WorkId', 'ISWC'),
        }),
        credits,
        splits: null,
      },
    ];
  });

  const type = textAt(main, 'ReleaseType');
  const isCompilation = Boolean(
    child(main, 'IsMultiArtistCompilation') ?? child(main, 'IsSingleArtistCompilation'),
  );
  const releaseType: ReleaseType | null = isCompilation
    ? 'Compilation'
    : (RELEASE_TYPES as readonly string[]).includes(type)
      ? (type as ReleaseType)
      : null;
  const warning = textAt(main, 'ParentalWarningType');

  // Deals of the main release: the first one's territories, and the pre-order's start.
  const releaseDeals = all(child(root, 'DealList'), 'ReleaseDeal').filter((deal) =>
    all(deal, 'DealReleaseReference').some((reference) => textOf(reference) === mainReference),
  );
  const terms = releaseDeals.flatMap((deal) => all(deal, 'Deal')).map((deal) => child(deal, 'DealTerms'));
  const preorder = terms.find((term) => textAt(term, 'IsPreOrderDeal') === 'true');
  const regular = terms.find((term) => term !== preorder);

  return {
    release: filled({
      title: textAt(main, 'DisplayTitle', 'TitleText'),
      version: textAt(main, 'DisplayTitle', 'SubTitle'),
      displayArtist,
      releaseType,
      label: parties.get(textAt(main, 'ReleaseLabelReference')) ?? '',
      catalogNumber: textAt(main, 'ReleaseId', 'CatalogNumber'),
      upc: textAt(main, 'ReleaseId', 'ICPN'),
      genre: textAt(main, 'Genre', 'GenreText'),
      language,
      parentalAdvisory:
        warning === 'Explicit' ? 'explicit' : warning === 'ExplicitContentEdited' ? 'clean' : 'none',
      originalReleaseDate: textAt(main, 'OriginalReleaseDate'),
      releaseDate: textAt(main, 'ReleaseDate'),
      preorderDate: preorder ? dateOf(textAt(preorder, 'ValidityPeriod', 'StartDateTime')) : '',
      pLine: textAt(main, 'PLine', 'PLineText'),
      cLine: textAt(main, 'CLine', 'CLineText'),
      territories: [...new Set(all(regular, 'TerritoryCode').map(textOf))],
    }),
    tracks,
    problems: [],
  };
}
