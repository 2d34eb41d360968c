/**
 * A handler sends an update to the connections it listed up to `CONNECTION_LIST_MAX_AGE_MS`
 * ago: listing them afresh cost a DynamoDB Query on every update. A client that connected
 * within that window can be missing from such a list, and so miss updates stored while it was
 * joining. To get them, the client sends sync step 1 again `JOIN_RESYNC_MS` to twice that after
 * its first sync (spread, so that people who joined together do not resync together), when
 * every list already includes it; the answer carries what it lacks, and who is here.
 */
export const CONNECTION_LIST_MAX_AGE_MS = 1_000;
export const JOIN_RESYNC_MS = 2 * CONNECTION_LIST_MAX_AGE_MS;
