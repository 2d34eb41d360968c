import { isIsoDate } from '../validators/iso-date.js';
import { isValidIswc } from '../validators/iswc.js';
import { isValidTerritory } from '../validators/territory.js';
import { gtinCheckDigit } from '../validators/upc.js';
import {
  COMMERCIAL_MODEL_TYPES,
  CONTRIBUTOR_ROLES,
  DISPLAY_ARTIST_ROLES,
  ERN_43_NAMESPACE,
  MESSAGE_CONTROL_TYPES,
  PARENTAL_WARNING_TYPES,
  RELEASE_TYPES_ERN4,
  SOUND_RECORDING_TYPES,
  SUB_TITLE_TYPES,
  USE_TYPES,
  VERSION_TYPES,
  XSI_NAMESPACE,
} from './ern43-values.js';
import { childrenNamed, textOf, type XmlElement } from './xml-tree.js';

/**
 * The part of the ERN 4.3 `NewReleaseMessage` schema this export writes, as data: for each
 * element, its attributes and either its value or its children in schema order with their
 * cardinality (docs/DELIVERY.md). `checkErn43Structure` holds a message to it: order, required
 * elements, allowed values, identifier formats and references. Anything the export never writes
 * is "not expected" here, even where the full schema would allow it.
 */

type ValueRule = { what: string; test: (value: string) => boolean };
type ReferenceKind = 'party' | 'resource' | 'release';

interface SimpleType {
  attributes?: Record<string, AttributeRule>;
  value: ValueRule;
  /** An `xs:ID` of this kind, or an `xs:IDREF` that must point at one. */
  id?: ReferenceKind;
  ref?: ReferenceKind;
}
interface ComplexType {
  attributes?: Record<string, AttributeRule>;
  content: Particle[];
}
interface AttributeRule {
  required?: boolean;
  value: ValueRule;
}
interface ElementParticle {
  name: string;
  type: string;
  min: number;
  max: number;
}
interface ChoiceParticle {
  choice: Particle[][];
  min: number;
}
type Particle = ElementParticle | ChoiceParticle;

const MANY = Number.POSITIVE_INFINITY;
const one = (name: string, type = name): ElementParticle => ({ name, type, min: 1, max: 1 });
const optional = (name: string, type = name): ElementParticle => ({ name, type, min: 0, max: 1 });
const oneOrMore = (name: string, type = name): ElementParticle => ({ name, type, min: 1, max: MANY });
const any = (name: string, type = name): ElementParticle => ({ name, type, min: 0, max: MANY });

const pattern = (what: string, re: RegExp): ValueRule => ({ what, test: (v) => re.test(v) });
const allowed = (set: string, values: readonly string[]): ValueRule => ({
  what: `a value of the AVS ${set} (${values.join(', ')})`,
  test: (v) => values.includes(v),
});

// Leading/trailing spaces are typing slips, not data; xs:string allows them, stores show them.
const TEXT: ValueRule = {
  what: 'non-empty text without surrounding spaces',
  test: (v) => v !== '' && v.trim() === v,
};
const BOOLEAN = pattern('true or false', /^(?:true|false)$/);
const POSITIVE_INTEGER = pattern('a positive integer', /^[1-9][0-9]*$/);
const GYEAR = pattern('a four-digit year', /^[0-9]{4}$/);
const DATE: ValueRule = { what: 'a date YYYY-MM-DD', test: isIsoDate };
const DATE_TIME: ValueRule = {
  what: 'a date-time YYYY-MM-DDThh:mm:ss',
  test: (v) =>
    /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:Z|[+-]\d{2}:\d{2})?$/.test(v) &&
    isIsoDate(v.slice(0, 10)),
};
/** Normalised `xs:duration` of a time: minutes and seconds below 60, longer than zero. */
const DURATION: ValueRule = {
  what: 'a normalised ISO 8601 duration such as PT3M25S, longer than zero',
  test: (v) =>
    v !== 'PT' && /^PT(?:[1-9]\d*H)?(?:[1-5]?\dM)?(?:[1-5]?\d(?:\.\d+)?S)?$/.test(v) && /[1-9]/.test(v),
};
// The schema's own pattern for `LanguageAndScriptCode` and `LanguageOfPerformance`, anchored.
const LANGUAGE = pattern(
  'an IETF BCP 47 language tag',
  /^[a-zA-Z]{2,3}(-[a-zA-Z]+)?(-[a-zA-Z]{2}|-[0-9]{3})?(-[a-zA-Z][a-zA-Z0-9]{4}[a-zA-Z0-9]*)?$/,
);
const DPID_PATTERN = pattern('a DDEX party id (PADPIDA…)', /^PADPIDA[a-zA-Z0-9]+$/);
/** ISO 3901, compact and upper case (the schema takes any string; DDEX profile rule 1011). */
const ISRC = pattern('an ISRC CCXXXYYNNNNN', /^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/);
/** GTIN-8/12/13/14 with a correct check digit (DDEX profile rule 1001-1 for the shape). */
const ICPN: ValueRule = {
  what: 'an ICPN (8 or 12–14 digits, GTIN check digit)',
  test: (v) => /^(?:\d{8}|\d{12,14})$/.test(v) && gtinCheckDigit(v.slice(0, -1)) === Number(v.at(-1)),
};
const ISWC: ValueRule = {
  what: 'an ISWC TNNNNNNNNNC with its check digit',
  test: (v) => /^T\d{10}$/.test(v) && isValidIswc(v),
};
// Every ISO 3166-1 code the sheet accepts, and Worldwide, is in the AVS CurrentTerritoryCode.
const TERRITORY: ValueRule = { what: 'an ISO 3166-1 country code or Worldwide', test: isValidTerritory };
const reference = (letter: string): ValueRule =>
  pattern(`a reference ${letter}…`, new RegExp(`^${letter}[\\d\\-_a-zA-Z]+$`));

const text: SimpleType = { value: TEXT };
const simple = (value: ValueRule, attributes?: SimpleType['attributes']): SimpleType => ({
  value,
  ...(attributes ? { attributes } : {}),
});
const userDefinable = (set: string, values: readonly string[]): SimpleType => ({
  value: allowed(set, values),
  attributes: { UserDefinedValue: { value: TEXT } },
});

const TYPES: Record<string, SimpleType | ComplexType> = {
  NewReleaseMessage: {
    attributes: {
      AvsVersionId: { required: true, value: TEXT },
      LanguageAndScriptCode: { required: true, value: LANGUAGE },
      [`{${XSI_NAMESPACE}}schemaLocation`]: { value: TEXT },
    },
    content: [
      one('MessageHeader'),
      one('PartyList'),
      one('ResourceList'),
      one('ReleaseList'),
      optional('DealList'),
    ],
  },
  MessageHeader: {
    content: [
      optional('MessageThreadId', 'Text'),
      one('MessageId', 'Text'),
      one('MessageSender', 'MessagingParty'),
      oneOrMore('MessageRecipient', 'MessagingParty'),
      one('MessageCreatedDateTime', 'DateTime'),
      optional('MessageControlType'),
    ],
  },
  MessagingParty: { content: [one('PartyId', 'Dpid'), optional('PartyName')] },
  PartyName: { content: [one('FullName', 'Text')] },
  PartyList: { content: [oneOrMore('Party')] },
  Party: { content: [one('PartyReference'), oneOrMore('PartyName')] },
  PartyReference: { value: reference('P'), id: 'party' },

  ResourceList: { content: [oneOrMore('SoundRecording')] },
  SoundRecording: {
    content: [
      one('ResourceReference'),
      one('Type', 'SoundRecordingType'),
      one('SoundRecordingEdition'),
      any('WorkId'),
      one('DisplayTitleText', 'Text'),
      one('DisplayTitle'),
      any('VersionType'),
      one('DisplayArtistName', 'Text'),
      oneOrMore('DisplayArtist'),
      any('Contributor'),
      one('Duration'),
      one('ParentalWarningType'),
      any('LanguageOfPerformance', 'Language'),
    ],
  },
  ResourceReference: { value: reference('A'), id: 'resource' },
  SoundRecordingType: simple(allowed('SoundRecordingType', SOUND_RECORDING_TYPES)),
  SoundRecordingEdition: { content: [one('ResourceId', 'SoundRecordingId'), any('PLine')] },
  SoundRecordingId: { content: [one('ISRC')] },
  ISRC: simple(ISRC),
  WorkId: { content: [one('ISWC')] },
  ISWC: simple(ISWC),
  DisplayTitle: { content: [one('TitleText', 'Text'), any('SubTitle')] },
  SubTitle: simple(TEXT, { SubTitleType: { value: allowed('SubTitleType', SUB_TITLE_TYPES) } }),
  VersionType: simple(allowed('VersionType', VERSION_TYPES)),
  DisplayArtist: {
    attributes: { SequenceNumber: { required: true, value: POSITIVE_INTEGER } },
    content: [one('ArtistPartyReference'), one('DisplayArtistRole')],
  },
  ArtistPartyReference: { value: reference('P'), ref: 'party' },
  DisplayArtistRole: simple(allowed('DisplayArtistRole', DISPLAY_ARTIST_ROLES)),
  Contributor: {
    attributes: { SequenceNumber: { required: true, value: POSITIVE_INTEGER } },
    content: [one('ContributorPartyReference'), any('Role')],
  },
  ContributorPartyReference: { value: reference('P'), ref: 'party' },
  Role: userDefinable('ContributorRole', CONTRIBUTOR_ROLES),
  Duration: simple(DURATION),
  ParentalWarningType: simple(allowed('ParentalWarningType', PARENTAL_WARNING_TYPES)),
  Language: simple(LANGUAGE),
  PLine: { content: [optional('Year', 'GYear'), optional('PLineCompany', 'Text'), one('PLineText', 'Text')] },
  CLine: { content: [optional('Year', 'GYear'), optional('CLineCompany', 'Text'), one('CLineText', 'Text')] },

  ReleaseList: { content: [one('Release'), oneOrMore('TrackRelease')] },
  Release: {
    content: [
      one('ReleaseReference'),
      one('ReleaseType'),
      one('ReleaseId'),
      one('DisplayTitleText', 'Text'),
      one('DisplayTitle'),
      any('VersionType'),
      one('DisplayArtistName', 'Text'),
      oneOrMore('DisplayArtist'),
      one('ReleaseLabelReference'),
      optional('PLine'),
      optional('CLine'),
      one('Duration'),
      one('Genre'),
      optional('ReleaseDate', 'Date'),
      optional('OriginalReleaseDate', 'Date'),
      one('ParentalWarningType'),
      {
        choice: [[one('IsSingleArtistCompilation', 'Boolean')], [one('IsMultiArtistCompilation', 'Boolean')]],
        min: 0,
      },
      one('ResourceGroup'),
    ],
  },
  ReleaseReference: { value: reference('R'), id: 'release' },
  ReleaseType: simple(allowed('ReleaseType_ERN4', RELEASE_TYPES_ERN4)),
  ReleaseId: {
    content: [
      optional('ICPN'),
      optional('CatalogNumber', 'NamespacedId'),
      optional('ProprietaryId', 'NamespacedId'),
    ],
  },
  ICPN: simple(ICPN),
  NamespacedId: simple(TEXT, { Namespace: { required: true, value: TEXT } }),
  ReleaseLabelReference: { value: reference('P'), ref: 'party' },
  Genre: { content: [one('GenreText', 'Text')] },
  ResourceGroup: { content: [oneOrMore('ResourceGroupContentItem')] },
  ResourceGroupContentItem: {
    content: [one('SequenceNumber', 'PositiveInteger'), one('ReleaseResourceReference')],
  },
  ReleaseResourceReference: { value: reference('A'), ref: 'resource' },
  TrackRelease: {
    content: [
      one('ReleaseReference'),
      one('ReleaseId'),
      one('ReleaseResourceReference'),
      one('ReleaseLabelReference'),
      one('Genre'),
    ],
  },

  DealList: { content: [oneOrMore('ReleaseDeal')] },
  ReleaseDeal: { content: [oneOrMore('DealReleaseReference'), oneOrMore('Deal')] },
  DealReleaseReference: { value: reference('R'), ref: 'release' },
  Deal: { content: [one('DealTerms')] },
  DealTerms: {
    content: [
      {
        choice: [
          [oneOrMore('TerritoryCode', 'Territory')],
          [oneOrMore('ExcludedTerritoryCode', 'Territory')],
        ],
        min: 1,
      },
      one('ValidityPeriod'),
      oneOrMore('CommercialModelType'),
      oneOrMore('UseType'),
      optional('IsPreOrderDeal', 'Boolean'),
    ],
  },
  ValidityPeriod: { content: [one('StartDateTime', 'DateTime'), optional('EndDateTime', 'DateTime')] },
  CommercialModelType: simple(allowed('CommercialModelType', COMMERCIAL_MODEL_TYPES)),
  UseType: simple(allowed('UseType_ERN', USE_TYPES)),
  MessageControlType: simple(allowed('MessageControlType', MESSAGE_CONTROL_TYPES)),

  Text: text,
  Boolean: simple(BOOLEAN),
  PositiveInteger: simple(POSITIVE_INTEGER),
  GYear: simple(GYEAR),
  Date: simple(DATE),
  DateTime: simple(DATE_TIME),
  Dpid: simple(DPID_PATTERN),
  Territory: simple(TERRITORY),
};

/** One way a message departs from the structure above; `path` is the element, e.g. `…/Release[1]/Genre`. */
export interface StructureProblem {
  path: string;
  message: string;
}

const isComplex = (type: SimpleType | ComplexType): type is ComplexType => 'content' in type;
const isChoice = (particle: Particle): particle is ChoiceParticle => 'choice' in particle;

/** Names an option of a choice can start with. */
function firstNames(particles: Particle[]): string[] {
  const names: string[] = [];
  for (const particle of particles) {
    if (isChoice(particle)) {
      names.push(...particle.choice.flatMap(firstNames));
      if (particle.min > 0) break;
    } else {
      names.push(particle.name);
      if (particle.min > 0) break;
    }
  }
  return names;
}

class StructureChecker {
  readonly problems: StructureProblem[] = [];
  private readonly ids = new Map<string, ReferenceKind>();
  private readonly refs: Array<{ path: string; kind: ReferenceKind; value: string }> = [];

  report(path: string, message: string) {
    this.problems.push({ path, message });
  }

  element(element: XmlElement, typeName: string, path: string) {
    const type = TYPES[typeName];
    if (!type) throw new Error(`No structure for type ${typeName}`);
    this.attributes(element, type.attributes ?? {}, path);
    if (isComplex(type)) {
      if (typeof element.children === 'string' && element.children.trim() !== '')
        this.report(path, 'holds text where elements belong');
      const children = typeof element.children === 'string' ? [] : element.children;
      for (const child of children) {
        if (child.namespace !== '')
          this.report(`${path}/${child.name}`, 'must be unqualified (no namespace)');
      }
      const end = this.sequence(type.content, children, 0, path);
      if (end < children.length) {
        const after = end > 0 ? ` after <${children[end - 1]!.name}>` : ' first';
        this.report(`${path}/${children[end]!.name}`, `not expected here${after} (order or cardinality)`);
      }
      return;
    }
    if (typeof element.children !== 'string') {
      this.report(path, 'holds elements where a value belongs');
      return;
    }
    const value = element.children;
    if (!type.value.test(value)) this.report(path, `"${value}" is not ${type.value.what}`);
    if (type.id) {
      if (this.ids.has(value)) this.report(path, `reference ${value} is defined twice`);
      this.ids.set(value, type.id);
    }
    if (type.ref) this.refs.push({ path, kind: type.ref, value });
  }

  private attributes(element: XmlElement, rules: Record<string, AttributeRule>, path: string) {
    for (const [name, value] of Object.entries(element.attributes)) {
      const rule = rules[name];
      if (!rule) this.report(path, `attribute ${name} not expected`);
      else if (!rule.value.test(value))
        this.report(path, `attribute ${name}="${value}" is not ${rule.value.what}`);
    }
    for (const [name, rule] of Object.entries(rules)) {
      if (rule.required && !(name in element.attributes)) this.report(path, `attribute ${name} is required`);
    }
  }

  /** Matches `particles` in order from `children[start]`; returns where it stopped. */
  private sequence(particles: Particle[], children: XmlElement[], start: number, path: string): number {
    let i = start;
    for (const particle of particles) {
      if (isChoice(particle)) {
        const next = children[i];
        const option = next && particle.choice.find((o) => firstNames(o).includes(next.name));
        if (option) i = this.sequence(option, children, i, path);
        else if (particle.min > 0) {
          this.report(path, `one of <${particle.choice.flatMap(firstNames).join('>, <')}> is required here`);
        }
        continue;
      }
      let count = 0;
      while (i < children.length && children[i]!.name === particle.name && count < particle.max) {
        this.element(children[i]!, particle.type, `${path}/${particle.name}[${count + 1}]`);
        i++;
        count++;
      }
      if (count < particle.min) {
        const where = i < children.length ? ` (found <${children[i]!.name}> in its place)` : '';
        this.report(`${path}/${particle.name}`, `required element is missing${where}`);
      }
    }
    return i;
  }

  references() {
    for (const { path, kind, value } of this.refs) {
      const defined = this.ids.get(value);
      if (defined !== kind) this.report(path, `${value} does not name a ${kind} of this message`);
    }
  }
}

const elementsOf = (element: XmlElement | undefined, name: string): XmlElement[] =>
  element ? childrenNamed(element, name) : [];
/** The text of the first `names[0]`/`names[1]`/… below `element`, '' when absent. */
function textAt(element: XmlElement | undefined, ...names: string[]): string {
  let at = element;
  for (const name of names) at = elementsOf(at, name)[0];
  return at ? textOf(at) : '';
}

/** Rules of the DDEX release profiles that the export keeps, beyond the schema. */
function checkProfileRules(root: XmlElement, checker: StructureChecker) {
  const resources = elementsOf(elementsOf(root, 'ResourceList')[0], 'SoundRecording');
  const releaseList = elementsOf(root, 'ReleaseList')[0];
  const release = elementsOf(releaseList, 'Release')[0];
  const items = elementsOf(elementsOf(release, 'ResourceGroup')[0], 'ResourceGroupContentItem');
  const resourceRefs = resources.map((r) => textAt(r, 'ResourceReference'));

  // Rule 1021-1: sequence numbers differ inside a group; here they also run 1, 2, 3… in order.
  items.forEach((item, i) => {
    const sequence = textAt(item, 'SequenceNumber');
    if (sequence !== String(i + 1))
      checker.report(`ResourceGroupContentItem[${i + 1}]`, `SequenceNumber ${sequence} should be ${i + 1}`);
  });
  const grouped = items.map((item) => textAt(item, 'ReleaseResourceReference'));
  const tracked = elementsOf(releaseList, 'TrackRelease').map((t) => textAt(t, 'ReleaseResourceReference'));
  for (const ref of resourceRefs) {
    // Every track is in the release's group once, and has its TrackRelease (Audio profile 1045-1).
    if (grouped.filter((g) => g === ref).length !== 1)
      checker.report(`SoundRecording ${ref}`, 'must appear once in the ResourceGroup');
    if (tracked.filter((t) => t === ref).length !== 1)
      checker.report(`SoundRecording ${ref}`, 'must have exactly one TrackRelease');
  }
  if (grouped.length !== resourceRefs.length)
    checker.report('ResourceGroup', 'must list every SoundRecording and nothing else');
  const isrcs = resources.map((r) => textAt(r, 'SoundRecordingEdition', 'ResourceId', 'ISRC'));
  for (const isrc of new Set(isrcs)) {
    if (isrcs.filter((i) => i === isrc).length > 1)
      checker.report(`ISRC ${isrc}`, 'is used by two recordings');
  }
  // Rule 1016-1: display artists are numbered 1, 2, 3… wherever they appear.
  for (const holder of [...resources, ...(release ? [release] : [])]) {
    elementsOf(holder, 'DisplayArtist').forEach((artist, i) => {
      if (artist.attributes.SequenceNumber !== String(i + 1))
        checker.report(`${holder.name} DisplayArtist[${i + 1}]`, `SequenceNumber should be ${i + 1}`);
    });
  }
}

/**
 * Every way `root` departs from the ERN 4.3 structure this export writes (see above), or `[]`.
 * Works on the tree the export builds and on one parsed back from its XML.
 */
export function checkErn43Structure(root: XmlElement): StructureProblem[] {
  const checker = new StructureChecker();
  if (root.name !== 'NewReleaseMessage' || root.namespace !== ERN_43_NAMESPACE) {
    checker.report(root.name, `the root must be NewReleaseMessage in ${ERN_43_NAMESPACE}`);
    return checker.problems;
  }
  checker.element(root, 'NewReleaseMessage', 'NewReleaseMessage');
  checker.references();
  checkProfileRules(root, checker);
  return checker.problems;
}
