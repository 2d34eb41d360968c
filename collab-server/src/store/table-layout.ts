/**
 * Single-table layout of Patchline in DynamoDB (ARCHITECTURE.md). One partition per release keeps a
 * document's log, snapshot and connections together, so loading a release is one Query.
 *
 * | PK                  | SK                              | item                                                  |
 * |---------------------|---------------------------------|-------------------------------------------------------|
 * | `REL#<releaseId>`   | `META`                          | title, displayArtist, status, ownerId, timestamps,    |
 * |                     |                                 | snapshotId + snapshotChunks (the current snapshot),   |
 * |                     |                                 | connectionsVersion (bumped when a connection is       |
 * |                     |                                 | recorded or removed: cached lists are re-read)        |
 * | `REL#<releaseId>`   | `SNAP#<snapshotId>#<nnnn>`      | one chunk (≤ 300 KB) of a compacted Yjs state         |
 * | `REL#<releaseId>`   | `LOG#<seq>`                     | one commit: accepted Yjs update, who, when, which     |
 * |                     |                                 | field paths; a folded one keeps all but the update    |
 * |                     |                                 | for an hour (so its sequence number stays taken)      |
 * | `REL#<releaseId>`   | `HIST#<firstSeq>#<lastSeq>`     | attribution of folded commits (history-store.ts):     |
 * |                     |                                 | who, when, paths, small values, consecutive commits   |
 * |                     |                                 | of one person merged; ≤ 300 KB each, never expires    |
 * |                     |                                 | (`HIST#0#0`: what the release was created with)       |
 * | `REL#<releaseId>`   | `VER#<seq>#<versionId>`         | a version (checkpoint): kind, name, status, author,   |
 * |                     |                                 | contributors, summary, state chunk count              |
 * | `REL#<releaseId>`   | `VSTATE#<versionId>#<nnnn>`     | one chunk (≤ 300 KB) of a version's Yjs state; never  |
 * |                     |                                 | touched by compaction                                 |
 * | `REL#<releaseId>`   | `UPD#<epochMs>#<random>`        | a log item written before sequence numbers (read,     |
 * |                     |                                 | folded by the next compaction, never written)         |
 * | `REL#<releaseId>`   | `GRANT#<sub>`                   | a user's role on the release; GSI1 = `USER#<sub>`     |
 * | `REL#<releaseId>`   | `CONN#<connectionId>`           | an open connection: user, role, awareness, TTL        |
 * | `REL#<releaseId>`   | `CLIENT#<yjsClientId>`          | the user a Yjs client id is bound to (PROTOCOL.md)    |
 * | `REL#<releaseId>`   | `LINK#<linkId>`                 | a share link: role, expiry, use limit, token hash     |
 * | `REL#<releaseId>`   | `INVITE#<email>`                | a pending invite; GSI1 = `EMAIL#<email>`              |
 * | `REL#<releaseId>`   | `AUDIT#<epochMs>#<random>`      | one audit event (who did what to whom)                |
 * | `REL#<releaseId>`   | `OWNERS`                        | the set of owners (the last one cannot be removed)    |
 * | `REL#<releaseId>`   | `REMOVED#<sub>`                 | a removal: links no longer let that person back in    |
 * | `REL#<releaseId>`   | `IDENTIFIERS`                   | UPC and ISRCs (with title, version, length) as last   |
 * |                     |                                 | read from the document, for label-wide checks         |
 * | `REL#<releaseId>`   | `DELIVERY#<deliveryId>`         | a delivery: when, who, and per kept file (DDEX, JSON) |
 * |                     |                                 | its size, chunk count and SHA-256 (delivery-store.ts) |
 * | `REL#<releaseId>`   | `DELIVERYFILE#<deliveryId>#`    | one chunk (≤ 300 KB) of a file kept at delivery, as   |
 * |                     | `<ddex|json>#<nnnn>`            | it was sent; written once, never compacted or changed |
 * | `UPC#<upc>`         | `CLAIM`                         | the release that last submitted with this UPC: two   |
 * |                     |                                 | submits of one new UPC at once cannot both pass       |
 * | `TOKEN#<sha256>`    | `META`                          | share-link lookup by token hash (never the token)     |
 * | `LIMIT#<name>#<subject>` | `META`                     | a per-person / per-client request counter, TTL        |
 * | `USER#<sub>`        | `GROUPS`                        | label groups as last set by an admin; tokens issued   |
 * |                     |                                 | before `tokensValidFrom` are refused                  |
 * | `CONN#<connectionId>` | `META`                        | the release of a connection (events carry only ids),  |
 * |                     |                                 | its refusal count, message-rate state and, once the   |
 * |                     |                                 | server ended it, what it was told (until $disconnect) |
 * | `CONN#<connectionId>` | `STAGE#<messageId>#<nnnn>`    | a staged chunk of a large incoming message, TTL       |
 * | `CONN#<connectionId>` | `STAGE#~`                     | what the connection has staged: per partial message   |
 * |                     |                                 | (chunks, bytes, count, last chunk) and in total       |
 * | `USER#<sub>`        | `CONN#<connectionId>`           | an open connection of the user (release, time), TTL:  |
 * |                     |                                 | per-user limits and "every connection of a user"      |
 *
 * GSI1 (`GSI1PK`, `GSI1SK`) answers "releases of user X" from grant items, "invites for
 * email X" from invite items, and "every release" from META items (`GSI1PK = RELEASES`).
 * A user's connections are items of their own partition (`USER#<sub>`), not GSI1 entries: the
 * per-user connection limits and a revocation racing a `$connect` need a consistent read, which
 * no GSI gives; and GSI1's `USER#<sub>` entries stay grants only.
 * TTL attribute `expiresAt` (epoch seconds) ends connections and staged chunks that were never
 * cleaned up (a crashed handler, a lost `$disconnect`).
 * No item exceeds DynamoDB's 400 KB limit: snapshots and version states are chunked,
 * attribution items are cut at 300 KB, updates are at most
 * `maxUpdateBytes`, staged chunks are single frames.
 */
export const GSI1 = 'GSI1';
/** GSI1 partition of every release's META item (label staff list all releases). */
export const ALL_RELEASES_KEY = 'RELEASES';
export const TTL_ATTRIBUTE = 'expiresAt';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const keys = {
  release: (releaseId: string) => `REL#${releaseId}`,
  meta: 'META',
  snapshotPrefix: (snapshotId: string) => `SNAP#${snapshotId}#`,
  snapshotChunk: (snapshotId: string, index: number) => `SNAP#${snapshotId}#${pad(index, 4)}`,
  /** Log items from before sequence numbers (ARCHITECTURE.md, "Storage"): read, never written. */
  legacyUpdatePrefix: 'UPD#',
  logPrefix: 'LOG#',
  /** A commit's log item: sequence numbers sort as strings. */
  log: (seq: number) => `LOG#${pad(seq, 12)}`,
  /** Above every log key: the end of a log range query. */
  logEnd: 'LOG#~',
  /** Attribution of folded commits `first..last` (history-store.ts). */
  historyPrefix: 'HIST#',
  history: (firstSeq: number, lastSeq: number) => `HIST#${pad(firstSeq, 12)}#${pad(lastSeq, 12)}`,
  /** Above every attribution key whose range starts at or before `seq`. */
  historyUpTo: (seq: number) => `HIST#${pad(seq, 12)}#~`,
  versionPrefix: 'VER#',
  /** A version, sorted by the log position it was taken at. */
  version: (seq: number, versionId: string) => `VER#${pad(seq, 12)}#${versionId}`,
  versionStatePrefix: (versionId: string) => `VSTATE#${versionId}#`,
  versionStateChunk: (versionId: string, index: number) => `VSTATE#${versionId}#${pad(index, 4)}`,
  grantPrefix: 'GRANT#',
  /** The release's owners, changed by conditional writes before grants (grant-store.ts, OwnerSet). */
  owners: 'OWNERS',
  /** The release's identifiers for label-wide checks (identifier-store.ts). */
  identifiers: 'IDENTIFIERS',
  /** Which release submitted with a UPC (identifier-store.ts, `claimUpc`). */
  upc: (upc: string) => `UPC#${upc}`,
  claim: 'CLAIM',
  /** Someone removed from the release: links no longer let them in until they are added again. */
  removal: (sub: string) => `REMOVED#${sub}`,
  /** A request counter of one limit and subject (limit-counter-store.ts). */
  limitCounter: (limit: string, subject: string) => `LIMIT#${limit}#${subject}`,
  grant: (sub: string) => `GRANT#${sub}`,
  user: (sub: string) => `USER#${sub}`,
  /** Under `user(sub)`: the person's label groups as Patchline last set them. */
  labelGroups: 'GROUPS',
  linkPrefix: 'LINK#',
  link: (linkId: string) => `LINK#${linkId}`,
  token: (tokenHash: string) => `TOKEN#${tokenHash}`,
  invitePrefix: 'INVITE#',
  invite: (email: string) => `INVITE#${email}`,
  email: (email: string) => `EMAIL#${email}`,
  auditPrefix: 'AUDIT#',
  audit: (epochMs: number, suffix: string) => `AUDIT#${pad(epochMs, 13)}#${suffix}`,
  client: (clientId: number) => `CLIENT#${clientId}`,
  connectionPrefix: 'CONN#',
  connectionInRelease: (connectionId: string) => `CONN#${connectionId}`,
  connection: (connectionId: string) => `CONN#${connectionId}`,
  stagePrefix: (messageId: string) => `STAGE#${messageId}#`,
  stage: (messageId: string, index: number) => `STAGE#${messageId}#${pad(index, 4)}`,
  /** Every item a connection staged starts with this (chunks and the tally). */
  stagingPrefix: 'STAGE#',
  /** The tally of a connection's staged chunks; `~` is outside the message id alphabet. */
  stagingTally: 'STAGE#~',
  userConnection: (connectionId: string) => `CONN#${connectionId}`,
  /** A delivery's record; ids start with the time, so they list oldest first (delivery-store.ts). */
  deliveryPrefix: 'DELIVERY#',
  delivery: (deliveryId: string) => `DELIVERY#${deliveryId}`,
  /** A chunk of a file kept at delivery; `DELIVERYFILE#` is outside `DELIVERY#`'s range. */
  deliveryFileChunk: (deliveryId: string, format: string, index: number) =>
    `DELIVERYFILE#${deliveryId}#${format}#${pad(index, 4)}`,
} as const;

export const epochSeconds = (ms: number) => Math.floor(ms / 1000);
