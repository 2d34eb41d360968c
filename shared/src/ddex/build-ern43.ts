import { fieldPath } from '../doc-layout.js';
import type { ReleaseSheet, Track } from '../domain/release-sheet.js';
import { type Problem, ProblemCode } from '../validation/problem.js';
import { deliveryReadiness } from '../validation/validate-sheet.js';
import { formatIsoDuration, parseIsoDuration } from '../validators/iso-duration.js';
import { normalizeIsrc } from '../validators/isrc.js';
import { normalizeIswc } from '../validators/iswc.js';
import type { DdexSettings } from './ddex-settings.js';
import {
  AVS_VERSION_ID,
  CONTRIBUTOR_ROLES_BY_TEXT,
  ERN_43_NAMESPACE,
  VERSION_TYPES_BY_WORD,
} from './ern43-values.js';
import { type XmlElement, xml } from './xml-tree.js';

/** What identifies one message, besides the sheet: given by the caller so a message can be rebuilt. */
export interface Ern43MessageOptions {
  /** The release: the message thread, so a recipient sees every message about it as one thread. */
  releaseId: string;
  /** Unique per message. */
  messageId: string;
  createdAt: Date;
}

const VARIOUS_ARTISTS = /^various artists$/i;
// "A feat. B", "A ft. B", "A featuring B", "A (feat. B)".
const FEATURING = /\s*[([]?\s*\b(?:feat\.?|ft\.|featuring)\s+/i;
// Featured artists are listed as "B, C & D" (docs/DELIVERY.md, "Artists").
const FEATURED_SEPARATOR = /\s*,\s*|\s+&\s+/;
// A credit's role text may name several roles: "Producer, Mixer", "Composer/Lyricist".
const ROLE_SEPARATOR = /\s*[,;/&+]\s*|\s+and\s+/i;
// Durations are written to the millisecond; past this a number no longer has one.
const MAX_DURATION_SECONDS = Number.MAX_SAFE_INTEGER / 1000;

type DisplayRole = 'MainArtist' | 'FeaturedArtist';
interface DisplayArtist {
  name: string;
  role: DisplayRole;
}

/**
 * The artists of a display string: the text before "feat." is the main artist (kept whole, so
 * "Simon & Garfunkel" stays one act), the featured list after it splits at commas and "&".
 */
export function parseDisplayArtists(display: string): DisplayArtist[] {
  const text = display.trim();
  const match = FEATURING.exec(text);
  const main = match ? text.slice(0, match.index).trim() : text;
  if (!match || !main) return text ? [{ name: text, role: 'MainArtist' }] : [];
  const featured = text
    .slice(match.index + match[0].length)
    .replace(/\s*[)\]]\s*$/, '')
    .split(FEATURED_SEPARATOR)
    .map((name) => name.trim())
    .filter(Boolean);
  return [
    { name: main, role: 'MainArtist' },
    ...featured.map((name) => ({ name, role: 'FeaturedArtist' as const })),
  ];
}

/** The AVS `ContributorRole` of typed role text, or `UserDefined` carrying the text. */
export function contributorRole(text: string): { role: string; userDefinedValue?: string } {
  const key = text.toLowerCase().replace(/[\s.\-_]/g, '');
  const role = CONTRIBUTOR_ROLES_BY_TEXT[key];
  return role ? { role } : { role: 'UserDefined', userDefinedValue: text };
}

/** The AVS `VersionType` a version text names, if any ("Radio Edit" → RadioVersion). */
export function versionType(version: string): string | undefined {
  return VERSION_TYPES_BY_WORD.find(([word]) => word.test(version))?.[1];
}

const trackSeconds = (track: Track) => parseIsoDuration(track.duration) ?? 0;

/**
 * ERN `ReleaseType` (docs/DELIVERY.md, "Release type"): the sheet's Album, EP or Single as it
 * is; a compilation or an unset type by its size, as Spotify classifies: up to 3 tracks and
 * 30 minutes a Single, up to 6 tracks and 30 minutes an EP, anything longer an Album.
 */
export function ern43ReleaseType(sheet: ReleaseSheet): 'Album' | 'EP' | 'Single' {
  const type = sheet.release.releaseType;
  if (type === 'Album' || type === 'EP' || type === 'Single') return type;
  const count = sheet.tracks.length;
  const isShort = sheet.tracks.reduce((sum, track) => sum + trackSeconds(track), 0) <= 30 * 60;
  if (count <= 3 && isShort) return 'Single';
  return count <= 6 && isShort ? 'EP' : 'Album';
}

/**
 * What keeps a sheet from becoming a DDEX message: the delivery checks' blocking problems, plus
 * what the ERN schema needs that those checks do not ask for (docs/DELIVERY.md, "Refusals").
 */
export function ddexBlockingProblems(sheet: ReleaseSheet): Problem[] {
  const problems = [...deliveryReadiness(sheet).blocking];
  const has = (path: string) => problems.some((problem) => problem.path === path);
  const genrePath = fieldPath.release('genre');
  if (!sheet.release.genre.trim() && !has(genrePath)) {
    problems.push({
      path: genrePath,
      severity: 'blocking',
      code: ProblemCode.required,
      message: 'Genre is required for a DDEX message',
    });
  }
  for (const track of sheet.tracks) {
    const path = fieldPath.trackField(track.id, 'duration');
    if (trackSeconds(track) > MAX_DURATION_SECONDS && !has(path)) {
      problems.push({
        path,
        severity: 'blocking',
        code: ProblemCode.invalidDuration,
        message: 'Duration is too long to write down',
      });
    }
  }
  return problems;
}

/** Parties by name (case-insensitive), each defined once and referenced as P1, P2… */
class Parties {
  private readonly byKey = new Map<string, { reference: string; name: string }>();

  reference(name: string): string {
    const key = name.normalize('NFKC').toLowerCase();
    let party = this.byKey.get(key);
    if (!party) {
      party = { reference: `P${this.byKey.size + 1}`, name };
      this.byKey.set(key, party);
    }
    return party.reference;
  }

  toXml(): XmlElement {
    return xml(
      'PartyList',
      null,
      [...this.byKey.values()].map(({ reference, name }) =>
        xml(
          'Party',
          null,
          xml('PartyReference', null, reference),
          xml('PartyName', null, xml('FullName', null, name)),
        ),
      ),
    );
  }
}

/** `PLine`/`CLine` from "2026 Label Name" (with or without ℗, ©, (P) or (C) in front). */
function copyrightLine(kind: 'P' | 'C', line: string): XmlElement | null {
  const text = line.trim();
  if (!text) return null;
  const year = /\b[12]\d{3}\b/.exec(text)?.[0];
  const company = text
    .replace(/^(?:℗|©|\([pc]\))\s*/i, '')
    .replace(year ?? '', '')
    .replace(/^[\s,.;:-]+|[\s,;:-]+$/g, '')
    .replace(/\s{2,}/g, ' ');
  return xml(
    `${kind}Line`,
    null,
    year && xml('Year', null, year),
    company && xml(`${kind}LineCompany`, null, company),
    xml(`${kind}LineText`, null, text),
  );
}

function titleElements(title: string, version: string): XmlElement[] {
  return [
    xml('DisplayTitleText', null, version ? `${title} (${version})` : title),
    xml(
      'DisplayTitle',
      null,
      xml('TitleText', null, title),
      version && xml('SubTitle', { SubTitleType: 'Version' }, version),
    ),
  ];
}

function displayArtistElements(display: string, artists: DisplayArtist[], parties: Parties): XmlElement[] {
  return [
    xml('DisplayArtistName', null, display),
    ...artists.map((artist, i) =>
      xml(
        'DisplayArtist',
        { SequenceNumber: i + 1 },
        xml('ArtistPartyReference', null, parties.reference(artist.name)),
        xml('DisplayArtistRole', null, artist.role),
      ),
    ),
  ];
}

/** One `Contributor` per person, carrying every role credited to them on the track (rule 1030-1). */
function contributorElements(track: Track, parties: Parties): XmlElement[] {
  const roles = new Map<string, Map<string, { role: string; userDefinedValue?: string }>>();
  for (const credit of track.credits) {
    const name = credit.name.trim();
    if (!name) continue;
    const reference = parties.reference(name);
    const held = roles.get(reference) ?? new Map();
    roles.set(reference, held);
    for (const text of credit.role.split(ROLE_SEPARATOR).map((part) => part.trim())) {
      if (!text) continue;
      const role = contributorRole(text);
      held.set(`${role.role}:${role.userDefinedValue ?? ''}`, role);
    }
  }
  return [...roles].map(([reference, held], i) =>
    xml(
      'Contributor',
      { SequenceNumber: i + 1 },
      xml('ContributorPartyReference', null, reference),
      [...held.values()].map(({ role, userDefinedValue }) =>
        xml('Role', { UserDefinedValue: userDefinedValue }, role),
      ),
    ),
  );
}

/** Explicit, the edited ("Clean") version of explicit content, or not explicit. */
function trackWarning(track: Track, trackVersionType: string | undefined): string {
  if (track.explicit) return 'Explicit';
  return trackVersionType === 'CleanVersion' ? 'ExplicitContentEdited' : 'NotExplicit';
}

const duration = (seconds: number) => formatIsoDuration(seconds);
const startOf = (date: string) => `${date}T00:00:00`;

/**
 * The ERN 4.3 `NewReleaseMessage` of a sheet that `ddexBlockingProblems` has nothing against,
 * as an element tree (docs/DELIVERY.md maps every field). Pure: the same sheet, settings and
 * options give the same tree.
 */
export function buildErn43Message(
  sheet: ReleaseSheet,
  settings: DdexSettings,
  options: Ern43MessageOptions,
): XmlElement {
  const { release, tracks } = sheet;
  const parties = new Parties();
  const title = release.title.trim();
  const version = release.version.trim();
  const releaseDisplay = release.displayArtist.trim();
  const upc = release.upc.trim();
  const namespace = settings.sender.dpid;

  // Parties in order of first mention: release artists, then each track's artists and credits.
  const releaseArtists = parseDisplayArtists(releaseDisplay);
  for (const artist of releaseArtists) parties.reference(artist.name);
  const trackArtists = tracks.map((track) => {
    const display = track.artists.trim() || releaseDisplay;
    return { display, artists: parseDisplayArtists(display) };
  });

  const pLine = copyrightLine('P', release.pLine);
  const cLine = copyrightLine('C', release.cLine);
  const anyExplicit = tracks.some((track) => track.explicit);
  const releaseWarning = anyExplicit
    ? 'Explicit'
    : release.parentalAdvisory === 'explicit'
      ? 'Explicit'
      : release.parentalAdvisory === 'clean'
        ? 'ExplicitContentEdited'
        : 'NotExplicit';

  const soundRecordings = tracks.map((track, i) => {
    const trackTitle = track.title.trim();
    const trackVersion = track.version.trim();
    const { display, artists } = trackArtists[i]!;
    const artistElements = displayArtistElements(display, artists, parties);
    const language = track.language.trim() || release.language.trim();
    const iswc = track.iswc.trim();
    const trackVersionType = trackVersion ? versionType(trackVersion) : undefined;
    return xml(
      'SoundRecording',
      null,
      xml('ResourceReference', null, `A${i + 1}`),
      xml('Type', null, 'MusicalWorkSoundRecording'),
      xml(
        'SoundRecordingEdition',
        null,
        xml('ResourceId', null, xml('ISRC', null, normalizeIsrc(track.isrc))),
        pLine,
      ),
      iswc && xml('WorkId', null, xml('ISWC', null, normalizeIswc(iswc))),
      titleElements(trackTitle, trackVersion),
      trackVersionType && xml('VersionType', null, trackVersionType),
      artistElements,
      contributorElements(track, parties),
      xml('Duration', null, duration(trackSeconds(track))),
      xml('ParentalWarningType', null, trackWarning(track, trackVersionType)),
      language && xml('LanguageOfPerformance', null, language),
    );
  });
  const labelReference = parties.reference(release.label.trim());

  const mainArtists = new Set(
    trackArtists.flatMap(({ artists }) =>
      artists.filter((a) => a.role === 'MainArtist').map((a) => a.name.normalize('NFKC').toLowerCase()),
    ),
  );
  const isCompilation = release.releaseType === 'Compilation' || VARIOUS_ARTISTS.test(releaseDisplay);
  const releaseVersionType = version ? versionType(version) : undefined;
  const totalSeconds = tracks.reduce((sum, track) => sum + trackSeconds(track), 0);
  const genre = xml('Genre', null, xml('GenreText', null, release.genre.trim()));
  const trackReleaseId = (track: Track) =>
    xml(
      'ReleaseId',
      null,
      xml('ProprietaryId', { Namespace: namespace }, `${upc}_${normalizeIsrc(track.isrc)}`),
    );

  const mainRelease = xml(
    'Release',
    null,
    xml('ReleaseReference', null, 'R0'),
    xml('ReleaseType', null, ern43ReleaseType(sheet)),
    xml(
      'ReleaseId',
      null,
      xml('ICPN', null, upc),
      release.catalogNumber.trim() &&
        xml('CatalogNumber', { Namespace: namespace }, release.catalogNumber.trim()),
    ),
    titleElements(title, version),
    releaseVersionType && xml('VersionType', null, releaseVersionType),
    displayArtistElements(releaseDisplay, releaseArtists, parties),
    xml('ReleaseLabelReference', null, labelReference),
    pLine,
    cLine,
    xml('Duration', null, duration(totalSeconds)),
    genre,
    release.releaseDate && xml('ReleaseDate', null, release.releaseDate),
    release.originalReleaseDate && xml('OriginalReleaseDate', null, release.originalReleaseDate),
    xml('ParentalWarningType', null, releaseWarning),
    isCompilation &&
      (mainArtists.size > 1
        ? xml('IsMultiArtistCompilation', null, true)
        : xml('IsSingleArtistCompilation', null, true)),
    xml(
      'ResourceGroup',
      null,
      tracks.map((_, i) =>
        xml(
          'ResourceGroupContentItem',
          null,
          xml('SequenceNumber', null, i + 1),
          xml('ReleaseResourceReference', null, `A${i + 1}`),
        ),
      ),
    ),
  );
  const trackReleases = tracks.map((track, i) =>
    xml(
      'TrackRelease',
      null,
      xml('ReleaseReference', null, `R${i + 1}`),
      trackReleaseId(track),
      xml('ReleaseResourceReference', null, `A${i + 1}`),
      xml('ReleaseLabelReference', null, labelReference),
      genre,
    ),
  );

  const root = xml(
    'NewReleaseMessage',
    { AvsVersionId: AVS_VERSION_ID, LanguageAndScriptCode: release.language.trim() || 'und' },
    messageHeader(sheet, settings, options),
    parties.toXml(),
    xml('ResourceList', null, soundRecordings),
    xml('ReleaseList', null, mainRelease, trackReleases),
    dealList(sheet),
  );
  root.namespace = ERN_43_NAMESPACE;
  return root;
}

function messageHeader(
  sheet: ReleaseSheet,
  settings: DdexSettings,
  options: Ern43MessageOptions,
): XmlElement {
  const party = (name: string, { dpid, name: fullName }: DdexSettings['sender']) =>
    xml(name, null, xml('PartyId', null, dpid), xml('PartyName', null, xml('FullName', null, fullName)));
  return xml(
    'MessageHeader',
    null,
    xml('MessageThreadId', null, `patchline-release-${options.releaseId}`),
    xml('MessageId', null, options.messageId),
    party('MessageSender', settings.sender),
    party('MessageRecipient', settings.recipient),
    xml('MessageCreatedDateTime', null, options.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z')),
    xml('MessageControlType', null, sheet.release.status === 'delivered' ? 'LiveMessage' : 'TestMessage'),
  );
}

/**
 * Deals once the release date and territories are set: streaming and download from the release
 * date for the release and each track, and a pre-order of the release from the pre-order date
 * until release (docs/DELIVERY.md, "Deals").
 */
function dealList(sheet: ReleaseSheet): XmlElement | null {
  const { releaseDate, preorderDate, territories } = sheet.release;
  if (!releaseDate || territories.length === 0) return null;
  const deal = (start: string, models: string[], useType: string, preorder?: { end: string }): XmlElement =>
    xml(
      'Deal',
      null,
      xml(
        'DealTerms',
        null,
        [...new Set(territories)].map((code) => xml('TerritoryCode', null, code)),
        xml(
          'ValidityPeriod',
          null,
          xml('StartDateTime', null, startOf(start)),
          preorder && xml('EndDateTime', null, startOf(preorder.end)),
        ),
        models.map((model) => xml('CommercialModelType', null, model)),
        xml('UseType', null, useType),
        preorder && xml('IsPreOrderDeal', null, true),
      ),
    );
  const everyRelease = ['R0', ...sheet.tracks.map((_, i) => `R${i + 1}`)];
  return xml(
    'DealList',
    null,
    xml(
      'ReleaseDeal',
      null,
      everyRelease.map((reference) => xml('DealReleaseReference', null, reference)),
      deal(releaseDate, ['SubscriptionModel', 'AdvertisementSupportedModel'], 'OnDemandStream'),
      deal(releaseDate, ['PayAsYouGoModel'], 'PermanentDownload'),
    ),
    preorderDate &&
      preorderDate < releaseDate &&
      xml(
        'ReleaseDeal',
        null,
        xml('DealReleaseReference', null, 'R0'),
        deal(preorderDate, ['PayAsYouGoModel'], 'PermanentDownload', { end: releaseDate }),
      ),
  );
}
