import {
  ALLOWED_VALUES_USED,
  buildErn43Message,
  checkErn43Structure,
  childrenNamed,
  exportErn43,
  isValidIsrc,
  isValidIswc,
  isValidUpc,
  LOCAL_DDEX_SETTINGS,
  parseIsoDuration,
  serializeErn43,
  textOf,
  type XmlElement,
  xml,
} from '@patchline/shared';
import { describe, expect, it } from 'vitest';
import { parseXmlTree, validateDdexXml } from './ddex-xml-check.js';
import { ALBUM, DDEX_FIXTURES, type DdexFixture, EP } from './fixtures.js';

const build = (fixture: DdexFixture = EP) =>
  buildErn43Message(fixture.sheet, LOCAL_DDEX_SETTINGS, fixture.options);

/** The first element at `path` (`ReleaseList/Release/Genre`), for the mutations below. */
function at(root: XmlElement, path: string): XmlElement {
  let element = root;
  for (const name of path.split('/')) {
    const next = childrenNamed(element, name)[0];
    if (!next) throw new Error(`no ${name} in ${element.name}`);
    element = next;
  }
  return element;
}
const kids = (element: XmlElement) => element.children as XmlElement[];

/** Every element of a tree, depth first, with its parent's name. */
function* walk(element: XmlElement, parent = ''): Generator<[XmlElement, string]> {
  yield [element, parent];
  if (typeof element.children !== 'string')
    for (const child of element.children) yield* walk(child, element.name);
}

const messages = (problems: { path: string; message: string }[]) =>
  problems.map((p) => `${p.path}: ${p.message}`);

describe(checkErn43Structure.name, () => {
  it('finds nothing wrong with the export of any fixture, before and after the XML round trip', () => {
    for (const fixture of DDEX_FIXTURES) {
      const tree = build(fixture);
      expect(checkErn43Structure(tree), fixture.name).toEqual([]);
      const parsed = parseXmlTree(serializeErn43(tree));
      expect(checkErn43Structure(parsed), fixture.name).toEqual([]);
      // What a reader gets back is what was built, plus the schema location on the root.
      const { '{http://www.w3.org/2001/XMLSchema-instance}schemaLocation': location, ...rootAttributes } =
        parsed.attributes;
      expect(location).toMatch(/^http:\/\/ddex\.net\/xml\/ern\/43 /);
      expect({ ...parsed, attributes: rootAttributes }).toEqual(tree);
    }
  });

  it('reports elements out of schema order', () => {
    const tree = build();
    const recording = at(tree, 'ResourceList/SoundRecording');
    const children = kids(recording);
    const title = children.findIndex((c) => c.name === 'DisplayTitleText');
    [children[title], children[title + 1]] = [children[title + 1]!, children[title]!];
    expect(messages(checkErn43Structure(tree))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /SoundRecording\[1\]\/DisplayTitleText: required element is missing \(found <DisplayTitle>/,
        ),
      ]),
    );
  });

  it('reports a missing required element and a missing required attribute', () => {
    const tree = build();
    const release = at(tree, 'ReleaseList/Release');
    release.children = kids(release).filter((c) => c.name !== 'Genre');
    delete tree.attributes.LanguageAndScriptCode;
    const found = messages(checkErn43Structure(tree));
    expect(found).toContain(
      'NewReleaseMessage/ReleaseList[1]/Release[1]/Genre: required element is missing (found <ReleaseDate> in its place)',
    );
    expect(found).toContain('NewReleaseMessage: attribute LanguageAndScriptCode is required');
  });

  it.each([
    ['ReleaseList/Release/ReleaseType', 'Compilation', /not a value of the AVS ReleaseType_ERN4/],
    ['ResourceList/SoundRecording/ParentalWarningType', 'Clean', /AVS ParentalWarningType/],
    ['MessageHeader/MessageControlType', 'Live', /AVS MessageControlType/],
    ['ResourceList/SoundRecording/SoundRecordingEdition/ResourceId/ISRC', 'qzplx2600011', /not an ISRC/],
    ['ResourceList/SoundRecording/SoundRecordingEdition/ResourceId/ISRC', 'QZ-PLX-26-00011', /not an ISRC/],
    ['ReleaseList/Release/ReleaseId/ICPN', '196588001254', /not an ICPN/],
    ['ReleaseList/Release/ReleaseId/ICPN', '1965880012', /not an ICPN/],
    ['ResourceList/SoundRecording/Duration', 'PT1M60S', /not a normalised ISO 8601 duration/],
    ['ResourceList/SoundRecording/Duration', 'PT0S', /not a normalised ISO 8601 duration/],
    ['ResourceList/SoundRecording/Duration', 'P1DT2H', /not a normalised ISO 8601 duration/],
    ['ReleaseList/Release/ReleaseDate', '2026-02-30', /not a date/],
    ['MessageHeader/MessageSender/PartyId', 'PA-DPIDA-2014122301-Q', /not a DDEX party id/],
    ['DealList/ReleaseDeal/Deal/DealTerms/TerritoryCode', 'EU', /not an ISO 3166-1 country code/],
    ['ResourceList/SoundRecording/LanguageOfPerformance', 'english!', /not an IETF BCP 47 language tag/],
    ['ReleaseList/Release/DisplayTitleText', ' Padded ', /non-empty text without surrounding spaces/],
  ])('reports %s = %j', (path, value, expected) => {
    const tree = build();
    at(tree, path).children = value;
    expect(messages(checkErn43Structure(tree)).join('\n')).toMatch(expected);
  });

  it('checks an ISWC with its check digit', () => {
    const tree = build(ALBUM);
    at(tree, 'ResourceList/SoundRecording/WorkId/ISWC').children = 'T1012345673';
    expect(messages(checkErn43Structure(tree)).join('\n')).toMatch(/"T1012345673" is not an ISWC/);
  });

  it('reports references that point nowhere, or at the wrong kind of thing, and ids defined twice', () => {
    const tree = build();
    at(tree, 'ResourceList/SoundRecording/DisplayArtist/ArtistPartyReference').children = 'P99';
    at(tree, 'ReleaseList/Release/ReleaseLabelReference').children = 'A1';
    at(tree, 'ResourceList/SoundRecording').children = kids(at(tree, 'ResourceList/SoundRecording')).map(
      (c) => (c.name === 'ResourceReference' ? xml('ResourceReference', null, 'A2') : c),
    );
    const found = messages(checkErn43Structure(tree)).join('\n');
    expect(found).toMatch(/ArtistPartyReference\[1\]: P99 does not name a party/);
    expect(found).toMatch(/ReleaseLabelReference\[1\]: "A1" is not a reference P…/);
    expect(found).toMatch(/reference A2 is defined twice/);
    expect(found).toMatch(
      /ResourceGroupContentItem\[1\]\/ReleaseResourceReference\[1\]: A1 does not name a resource/,
    );
  });

  it('reports unexpected elements, attributes, namespaces and mixed content', () => {
    const tree = build();
    kids(at(tree, 'ReleaseList/Release')).push(xml('Keywords', null, 'extra'));
    at(tree, 'ReleaseList/Release/DisplayArtist').attributes.Colour = 'red';
    at(tree, 'PartyList/Party').namespace = 'http://ddex.net/xml/ern/43';
    at(tree, 'MessageHeader/MessageSender').children = 'text';
    const found = messages(checkErn43Structure(tree)).join('\n');
    expect(found).toMatch(/Release\[1\]\/Keywords: not expected here after <ResourceGroup>/);
    expect(found).toMatch(/DisplayArtist\[1\]: attribute Colour not expected/);
    expect(found).toMatch(/PartyList\[1\]\/Party: must be unqualified/);
    expect(found).toMatch(/MessageSender\[1\]: holds text where elements belong/);
  });

  it('reports sequence numbers that repeat and a track without its TrackRelease', () => {
    const tree = build();
    const items = kids(at(tree, 'ReleaseList/Release/ResourceGroup'));
    items[1]!.children = kids(items[1]!).map((c) =>
      c.name === 'SequenceNumber' ? xml('SequenceNumber', null, 1) : c,
    );
    const list = at(tree, 'ReleaseList');
    list.children = kids(list).filter((c, i) => !(c.name === 'TrackRelease' && i === 2));
    const found = messages(checkErn43Structure(tree)).join('\n');
    expect(found).toMatch(/ResourceGroupContentItem\[2\]: SequenceNumber 1 should be 2/);
    expect(found).toMatch(/SoundRecording A2: must have exactly one TrackRelease/);
  });

  it('accepts only a NewReleaseMessage in the ERN 4.3 namespace as the root', () => {
    const tree = build();
    expect(checkErn43Structure({ ...tree, namespace: 'http://ddex.net/xml/ern/42' })).toEqual([
      {
        path: 'NewReleaseMessage',
        message: 'the root must be NewReleaseMessage in http://ddex.net/xml/ern/43',
      },
    ]);
  });

  it('turns text that is not well-formed XML into a problem', () => {
    expect(validateDdexXml('<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"><a></b>')).toEqual([
      { path: '(document)', message: expect.stringMatching(/^not well-formed XML/) },
    ]);
    expect(validateDdexXml('<!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>')[0]!.message).toMatch(/DOCTYPE/);
  });
});

describe('values and identifiers in the exported messages', () => {
  it('every value from an allowed-value set is on the short list the export embeds, and identifiers have their canonical form', () => {
    const byElement: Record<string, readonly string[]> = {
      MessageControlType: ALLOWED_VALUES_USED.MessageControlType!,
      Type: ALLOWED_VALUES_USED.SoundRecordingType!,
      ReleaseType: ALLOWED_VALUES_USED.ReleaseType_ERN4!,
      DisplayArtistRole: ALLOWED_VALUES_USED.DisplayArtistRole!,
      ParentalWarningType: ALLOWED_VALUES_USED.ParentalWarningType!,
      CommercialModelType: ALLOWED_VALUES_USED.CommercialModelType!,
      UseType: ALLOWED_VALUES_USED.UseType_ERN!,
      VersionType: ALLOWED_VALUES_USED.VersionType!,
      Role: ALLOWED_VALUES_USED.ContributorRole!,
    };
    const seen = new Set<string>();
    for (const fixture of DDEX_FIXTURES) {
      const tree = parseXmlTree(exportErn43(fixture.sheet, LOCAL_DDEX_SETTINGS, fixture.options));
      for (const [element, parent] of walk(tree)) {
        const value = textOf(element);
        const allowed = byElement[element.name];
        if (allowed && !(element.name === 'Type' && parent !== 'SoundRecording')) {
          expect(allowed, `${element.name} ${value}`).toContain(value);
          seen.add(`${element.name}=${value}`);
        }
        if (element.attributes.SubTitleType)
          expect(ALLOWED_VALUES_USED.SubTitleType).toContain(element.attributes.SubTitleType);
        if (element.name === 'ISRC') {
          expect(value).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
          expect(isValidIsrc(value)).toBe(true);
        }
        if (element.name === 'ICPN') expect(isValidUpc(value)).toBe(true);
        if (element.name === 'ISWC') {
          expect(value).toMatch(/^T\d{10}$/);
          expect(isValidIswc(value)).toBe(true);
        }
        if (element.name === 'Duration') {
          expect(value).toMatch(/^PT(?:\d+H)?(?:[1-5]?\dM)?(?:[1-5]?\d(?:\.\d+)?S)?$/);
          expect(parseIsoDuration(value)).toBeGreaterThan(0);
        }
      }
    }
    // The fixtures reach the values that matter: both control types, every release type, both display roles…
    for (const value of [
      'MessageControlType=LiveMessage',
      'MessageControlType=TestMessage',
      'ReleaseType=Single',
      'ReleaseType=EP',
      'ReleaseType=Album',
      'DisplayArtistRole=FeaturedArtist',
      'ParentalWarningType=Explicit',
      'ParentalWarningType=ExplicitContentEdited',
      'Role=UserDefined',
    ])
      expect(seen).toContain(value);
  });
});
