import { fieldPath } from '../doc-layout.js';
import type { ReleaseFields, ReleaseType, Track } from '../domain/release-sheet.js';
import { parseIsoDuration } from '../validators/iso-duration.js';
import { parseArtistCredit } from './artist-credit.js';
import { blocking, type Fix, FixId, type Problem, ProblemCode, setField, warning } from './problem.js';
import { tracksSharing } from './track-rules.js';

/** Stores' product classes (docs/DELIVERY-CHECKS.md, "Release type"). */
export const SINGLE_MAX_TRACKS = 3;
export const EP_MAX_TRACKS = 6;
export const SHORT_PRODUCT_MAX_SECONDS = 30 * 60;
/** A track this long may make a 1–3 track release an EP (Apple). */
export const LONG_TRACK_SECONDS = 10 * 60;
/** Main artists across tracks from which the release artist is "Various Artists". */
export const VARIOUS_ARTISTS_MIN = 4;
export const VARIOUS_ARTISTS = 'Various Artists';

const path = fieldPath.release;
const trackName = (tracks: readonly Track[], track: Track) => `Track ${tracks.indexOf(track) + 1}`;

/**
 * The release types a track list fits, most usual first: ≤ 3 tracks within 30 minutes is a
 * Single (or an EP when one track runs 10 minutes or more), 4–6 within 30 minutes an EP,
 * anything longer an Album. Unknown durations count as nothing.
 */
export function expectedReleaseTypes(tracks: readonly Track[]): ReleaseType[] {
  const seconds = tracks.map((track) => parseIsoDuration(track.duration) ?? 0);
  const total = seconds.reduce((sum, s) => sum + s, 0);
  if (tracks.length === 0) return [];
  if (tracks.length > EP_MAX_TRACKS || total > SHORT_PRODUCT_MAX_SECONDS) return ['Album'];
  if (tracks.length > SINGLE_MAX_TRACKS) return ['EP'];
  return seconds.some((s) => s >= LONG_TRACK_SECONDS) ? ['Single', 'EP'] : ['Single'];
}

function checkReleaseType(release: ReleaseFields, tracks: readonly Track[]): Problem[] {
  const type = release.releaseType;
  // A compilation is the label's call, whatever its length.
  if (!type || type === 'Compilation' || tracks.length === 0) return [];
  const expected = expectedReleaseTypes(tracks);
  const [suggested] = expected;
  if (!suggested || expected.includes(type)) return [];
  const minutes = Math.round(tracks.reduce((sum, t) => sum + (parseIsoDuration(t.duration) ?? 0), 0) / 60);
  const count = `${tracks.length} ${tracks.length === 1 ? 'track' : 'tracks'}`;
  const article = suggested === 'EP' || suggested === 'Album' ? 'an' : 'a';
  return [
    warning(
      path('releaseType'),
      ProblemCode.releaseTypeMismatch,
      `${count} and ${minutes} min make ${article} ${suggested} in stores, not ${type === 'EP' || type === 'Album' ? 'an' : 'a'} ${type}`,
      setField(FixId.setReleaseType, `Make it ${article} ${suggested}`, path('releaseType'), type, suggested),
    ),
  ];
}

const isVariousArtists = (artist: string) => artist.trim().toLowerCase() === VARIOUS_ARTISTS.toLowerCase();

/** Four or more main artists → "Various Artists"; and then every track names its own artist. */
function checkVariousArtists(release: ReleaseFields, tracks: readonly Track[]): Problem[] {
  const problems: Problem[] = [];
  const releaseIsVarious = isVariousArtists(release.displayArtist);
  for (const track of tracks) {
    if (
      releaseIsVarious
        ? !track.artists.trim() || isVariousArtists(track.artists)
        : isVariousArtists(track.artists)
    ) {
      problems.push(
        blocking(
          fieldPath.trackField(track.id, 'artists'),
          ProblemCode.variousArtistsOnTrack,
          `${trackName(tracks, track)}: name the track's own artist; "${VARIOUS_ARTISTS}" is only a release artist`,
        ),
      );
    }
  }
  const mains = new Set(
    tracks
      .map((track) => parseArtistCredit(track.artists.trim() || release.displayArtist).main.toLowerCase())
      .filter((main) => main && !isVariousArtists(main)),
  );
  if (!releaseIsVarious && mains.size >= VARIOUS_ARTISTS_MIN) {
    problems.push(
      warning(
        path('displayArtist'),
        ProblemCode.variousArtistsExpected,
        `${mains.size} different main artists: stores list such a release under "${VARIOUS_ARTISTS}"`,
        setField(
          FixId.useVariousArtists,
          `Use “${VARIOUS_ARTISTS}”`,
          path('displayArtist'),
          release.displayArtist,
          VARIOUS_ARTISTS,
        ),
      ),
    );
  }
  return problems;
}

/** One explicit track makes the release explicit. */
function checkExplicit(release: ReleaseFields, tracks: readonly Track[]): Problem[] {
  const advisory = release.parentalAdvisory;
  if (advisory === null || tracks.length === 0) return [];
  const at = path('parentalAdvisory');
  const explicitTracks = tracks.filter((track) => track.explicit);
  if (explicitTracks.length > 0 && advisory !== 'explicit') {
    const names = explicitTracks.map((track) => trackName(tracks, track)).join(', ');
    return [
      blocking(
        at,
        ProblemCode.explicitTrackOnCleanRelease,
        `${names} ${explicitTracks.length === 1 ? 'is' : 'are'} explicit, so the release is explicit too`,
        setField(FixId.markReleaseExplicit, 'Mark the release explicit', at, advisory, 'explicit'),
      ),
    ];
  }
  if (explicitTracks.length === 0 && advisory === 'explicit') {
    return [
      warning(
        at,
        ProblemCode.explicitReleaseWithoutExplicitTrack,
        'The release is marked explicit but none of its tracks is',
        setField(FixId.markReleaseNotExplicit, 'Mark the release not explicit', at, advisory, 'none'),
      ),
    ];
  }
  return [];
}

/** A one-track release is named after its track (title and version). */
function checkSingleTitle(release: ReleaseFields, tracks: readonly Track[]): Problem[] {
  const [only] = tracks;
  if (tracks.length !== 1 || !only || !release.title.trim() || !only.title.trim()) return [];
  const same = (a: string, b: string) => a.trim() === b.trim();
  if (same(release.title, only.title) && same(release.version, only.version)) return [];
  const fix: Fix = {
    id: FixId.useTrackTitle,
    label: `Name the release “${[only.title.trim(), only.version.trim()].filter(Boolean).join(' – ')}”`,
    edits: [
      { path: path('title'), from: release.title, to: only.title.trim() },
      ...(same(release.version, only.version)
        ? []
        : [{ path: path('version'), from: release.version, to: only.version.trim() }]),
    ],
  };
  return [
    warning(
      path('title'),
      ProblemCode.singleTitleMismatch,
      'A one-track release has the same title and version as its track',
      fix,
    ),
  ];
}

/** Two tracks with one title and version (by the same artist) look like one recording twice. */
function checkDuplicateTitles(release: ReleaseFields, tracks: readonly Track[]): Problem[] {
  const keyOf = (track: Track) => {
    if (!track.title.trim()) return null;
    const artist = parseArtistCredit(track.artists.trim() || release.displayArtist).main;
    return [track.title, track.version, artist].map((s) => s.trim().toLowerCase()).join('\u0000');
  };
  return tracksSharing(tracks, keyOf).flatMap((group) =>
    group.map((track) =>
      warning(
        fieldPath.trackField(track.id, 'version'),
        ProblemCode.duplicateTrackTitle,
        `${trackName(tracks, track)}: ${group.length} tracks are called “${track.title.trim()}”; tell them apart with a version`,
      ),
    ),
  );
}

/** Rules about the product as a whole: its type, artist, advisory and track titles. */
export function checkProduct(release: ReleaseFields, tracks: readonly Track[]): Problem[] {
  return [
    ...checkReleaseType(release, tracks),
    ...checkVariousArtists(release, tracks),
    ...checkExplicit(release, tracks),
    ...checkSingleTitle(release, tracks),
    ...checkDuplicateTitles(release, tracks),
  ];
}
