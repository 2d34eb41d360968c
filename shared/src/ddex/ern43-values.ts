/**
 * The values of the DDEX allowed-value sets (AVS) this export uses, and no others: each list is
 * the part of one set that the export can emit (docs/DELIVERY.md lists them with the set they
 * come from). The sets themselves are DDEX's and stay out of the repository.
 */
export const ERN_43_NAMESPACE = 'http://ddex.net/xml/ern/43';
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
export const ERN_43_SCHEMA_LOCATION = `${ERN_43_NAMESPACE} http://service.ddex.net/xml/ern/43/release-notification.xsd`;
/** The AVS version the ERN 4.3 schema ships with (`AvsVersionId`). */
export const AVS_VERSION_ID = '3';

export const MESSAGE_CONTROL_TYPES = ['LiveMessage', 'TestMessage'] as const;
export const SOUND_RECORDING_TYPES = ['MusicalWorkSoundRecording'] as const;
export const RELEASE_TYPES_ERN4 = ['Album', 'EP', 'Single'] as const;
export const DISPLAY_ARTIST_ROLES = ['MainArtist', 'FeaturedArtist'] as const;
export const PARENTAL_WARNING_TYPES = [
  'Explicit',
  'ExplicitContentEdited',
  'NotExplicit',
  'NoAdviceAvailable',
] as const;
export const SUB_TITLE_TYPES = ['Version'] as const;
export const COMMERCIAL_MODEL_TYPES = [
  'SubscriptionModel',
  'AdvertisementSupportedModel',
  'PayAsYouGoModel',
] as const;
export const USE_TYPES = ['OnDemandStream', 'PermanentDownload'] as const;

/** `VersionType` (AVS `VersionType`) by a word of the version text; the first match wins. */
export const VERSION_TYPES_BY_WORD = [
  [/\bradio\b/i, 'RadioVersion'],
  [/\blive\b/i, 'LiveVersion'],
  [/\bremix\b/i, 'RemixVersion'],
  [/\binstrumental\b/i, 'InstrumentalVersion'],
  [/\ba ?cappella\b/i, 'ACappellaVersion'],
  [/\bkaraoke\b/i, 'KaraokeVersion'],
  [/\bclean\b/i, 'CleanVersion'],
  [/\bdemo\b/i, 'DemoVersion'],
  [/\bmono\b/i, 'MonoVersion'],
  [/\bstereo\b/i, 'StereoVersion'],
  [/\bsession\b/i, 'SessionVersion'],
  [/\balbum version\b/i, 'AlbumVersion'],
  [/\bsingle version\b/i, 'SingleVersion'],
  [/\bmix\b/i, 'MixVersion'],
  [/\bedit(?:ed)?\b/i, 'EditedVersion'],
] as const satisfies ReadonlyArray<readonly [RegExp, string]>;
export const VERSION_TYPES = [...new Set(VERSION_TYPES_BY_WORD.map(([, value]) => value))];

/**
 * `ContributorRole` (AVS `ContributorRole`) for the role words people type in a credit,
 * compared lower-case with spaces, hyphens and dots removed. A role not listed is sent as
 * `UserDefined` with the typed text in `UserDefinedValue`, never guessed.
 */
export const CONTRIBUTOR_ROLES_BY_TEXT: Readonly<Record<string, string>> = {
  producer: 'StudioProducer',
  studioproducer: 'StudioProducer',
  coproducer: 'CoProducer',
  executiveproducer: 'ExecutiveProducer',
  vocalproducer: 'VocalProducer',
  composer: 'Composer',
  music: 'Composer',
  lyricist: 'Lyricist',
  lyrics: 'Lyricist',
  songwriter: 'ComposerLyricist',
  writer: 'ComposerLyricist',
  composerlyricist: 'ComposerLyricist',
  author: 'Author',
  arranger: 'Arranger',
  arrangement: 'Arranger',
  translator: 'Translator',
  publisher: 'MusicPublisher',
  musicpublisher: 'MusicPublisher',
  remixer: 'Remixer',
  remix: 'Remixer',
  mixer: 'MixingEngineer',
  mix: 'MixingEngineer',
  mixing: 'MixingEngineer',
  mixingengineer: 'MixingEngineer',
  mastering: 'MasteringEngineer',
  masteringengineer: 'MasteringEngineer',
  engineer: 'RecordingEngineer',
  recording: 'RecordingEngineer',
  recordingengineer: 'RecordingEngineer',
  assistantengineer: 'AssistantEngineer',
  programmer: 'Programmer',
  programming: 'Programmer',
  vocals: 'Vocalist',
  vocalist: 'Vocalist',
  leadvocals: 'LeadVocalist',
  leadvocalist: 'LeadVocalist',
  backingvocals: 'BackgroundVocalist',
  backgroundvocals: 'BackgroundVocalist',
  backgroundvocalist: 'BackgroundVocalist',
  musician: 'Musician',
  performer: 'Performer',
  soloist: 'Soloist',
  conductor: 'Conductor',
  orchestra: 'Orchestra',
  ensemble: 'Ensemble',
  dj: 'DJ',
};
export const CONTRIBUTOR_ROLES = [...new Set([...Object.values(CONTRIBUTOR_ROLES_BY_TEXT), 'UserDefined'])];

/** Every AVS list above by the set it is part of, for tests that compare with the real sets. */
export const ALLOWED_VALUES_USED: Readonly<Record<string, readonly string[]>> = {
  MessageControlType: MESSAGE_CONTROL_TYPES,
  SoundRecordingType: SOUND_RECORDING_TYPES,
  ReleaseType_ERN4: RELEASE_TYPES_ERN4,
  DisplayArtistRole: DISPLAY_ARTIST_ROLES,
  ParentalWarningType: PARENTAL_WARNING_TYPES,
  SubTitleType: SUB_TITLE_TYPES,
  CommercialModelType: COMMERCIAL_MODEL_TYPES,
  UseType_ERN: USE_TYPES,
  VersionType: VERSION_TYPES,
  ContributorRole: CONTRIBUTOR_ROLES,
};
