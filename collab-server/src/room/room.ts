import { authorizeTransaction } from '@patchline/permissions';
import {
  dropForeignContent,
  foreignContentIn,
  type ReleaseStatus,
  readReleaseFields,
  readReleaseStatus,
  recordedValues,
} from '@patchline/shared';
import * as Y from 'yjs';
import { type Access, accessOrRevoke } from '../core/access.js';
import type { CollabDeps } from '../core/collab-deps.js';
import { fanOut, sendControl, sendMessage } from '../core/send.js';
import type { UpdateOutbox } from '../core/update-outbox.js';
import { writeSyncStep1, writeSyncStep2 } from '../core/y-messages.js';
import { SYSTEM_OWNER } from '../store/client-binding-store.js';
import type { ConnectionRecord } from '../store/connection-store.js';
import type { CommitRecord, LoadedDocument, LogRecord, ReleaseSummary } from '../store/document-store.js';
import type { LogItem, ReleaseHead } from '../store/dynamo-document-store.js';
import type { Grant } from '../store/grant-store.js';
import type { NewVersion, StoredVersion } from '../store/history-store.js';
import type { LabelGroupRecord } from '../store/label-group-store.js';
import { RoomDocument } from './room-document.js';
import {
  hasMissingDependencies,
  MalformedUpdateError,
  newWriters,
  readUpdateStructure,
  type UpdateStructure,
} from './update-structure.js';

export interface RoomOptions {
  /** A document older than this is reloaded in full, whatever a refresh would find. */
  maxAgeMs: number;
}

export const DEFAULT_ROOM_OPTIONS: RoomOptions = { maxAgeMs: 10_000 };

/** Why the room refused an update; sent as `rejected.reason` (PROTOCOL.md, "Refusals"). */
export const RoomRefusal = {
  tooLarge: 'update-too-large',
  documentFull: 'document-too-large',
  undecodable: 'undecodable-update',
  foreignClientId: 'foreign-client-id',
  clockClaim: 'clock-claim',
} as const;

/** The state of the release as one call saw it: the document and the callers' grants and groups. */
interface View {
  document: RoomDocument;
  grants: ReadonlyMap<string, Grant | null>;
  labelGroups: ReadonlyMap<string, LabelGroupRecord | null>;
  connectionsVersion: number;
}

/** Clocks `[start, end)` of one Yjs client that an accepted update writes. */
interface ClockRange {
  clientId: number;
  start: number;
  end: number;
}

interface Accepted {
  update: Uint8Array;
  /** The clocks it writes: no other commit may have stored any of them (PROTOCOL.md, "Client ids"). */
  ranges: ClockRange[];
  /** Who sent it (SYSTEM_OWNER for the server's own edits), for the commit record. */
  userId: string;
  /**
   * Checked against the document as it stood (a status change): stored only right after what it
   * was checked against, never after another process's commit.
   */
  isStrict: boolean;
  senderConnectionId: string | null;
  paths: readonly string[];
  connectionsVersion: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** A commit stays well under DynamoDB's 400 KB item limit whatever it merges (with its record). */
const MAX_COMMIT_BYTES = 300 * 1024;
/**
 * How stale a listing's `updatedAt` may get while a release is being edited: refreshing it on
 * every keystroke costs an UpdateItem each, for a figure people read in minutes.
 */
const LISTING_TOUCH_INTERVAL_MS = 5_000;
/** Release fields mirrored into the listing metadata (META) when an update changes them. */
const STATUS_PATH = 'release.status';
const LISTED_PATHS = ['release.title', 'release.displayArtist', STATUS_PATH];
/** Rounds of `receiveUpdate` before the sender is asked to send again (see there). */
const MAX_ROUNDS = 20;
/** Log numbers a commit tries, each taken by another process meanwhile, before it gives up. */
const MAX_COMMIT_ROUNDS = 20;
/** Times a server edit is checked and applied again when other commits overtook it. */
const MAX_EDIT_ROUNDS = 10;
/** A room saves an automatic version once its first commit after the last one is this old. */
export const AUTO_VERSION_AFTER_MS = 5 * 60_000;
/** Binding value of a client id that is in the document but bound to no one (written before bindings). */
const NOBODY = '';

export class NotStoredError extends Error {}
/** A commit whose clocks another process stored first, with other content (PROTOCOL.md, "Client ids"). */
export class ClockConflictError extends NotStoredError {}

/**
 * Everything one handler process does for one release (ARCHITECTURE.md, "The room"):
 * receive → inspect → authorize → store → fan out. The room applies a client's update to its
 * own document inside one transaction, judges what that transaction changed, and stores and
 * relays the update its document emitted for it: never the client's bytes. A refused update
 * leaves the document tainted, so the room drops it and reloads from DynamoDB.
 *
 * State and its rules:
 * - `document`: the stored document plus what this room applied and queued (RoomDocument).
 * - `queue`/`inFlight`: canonical updates applied but not yet stored, committed in order, in
 *   batches (one log item per batch); on a reload they are applied to the new document too.
 * - `bindings`: Yjs client id → user, read from DynamoDB; bindings never change, so kept.
 * Everything is per process: another process's room learns of this one's commits from the log.
 */
export class Room {
  private document: RoomDocument | null = null;
  private loading: Promise<RoomDocument | null> | null = null;
  private refreshing: Promise<View | null> | null = null;
  private queuedRefresh: { users: Set<string>; promise: Promise<View | null> } | null = null;
  private readonly bindings = new Map<number, string>();
  private queue: Accepted[] = [];
  private inFlight: Accepted[] = [];
  private committing: Promise<void> | null = null;
  private compacting = false;
  /** When this room stored its first commit since it last saved a version (null: none since). */
  private activitySince: number | null = null;
  private versioning: Promise<StoredVersion | null> | null = null;
  private systemClientId: number | null = null;
  private lastTouched = 0;
  lastUsedAt: number;

  constructor(
    private readonly deps: CollabDeps,
    readonly releaseId: string,
    private readonly outbox: UpdateOutbox,
    private readonly options: RoomOptions = DEFAULT_ROOM_OPTIONS,
  ) {
    this.lastUsedAt = deps.now();
  }

  /** Whether the room holds nothing that must outlive it (for eviction). */
  get isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight.length === 0 && !this.compacting && !this.versioning;
  }

  // ─── receive ──────────────────────────────────────────────────────────────────────────────

  /** A Yjs update from a client (sync step 2 or update). */
  async receiveUpdate(connection: ConnectionRecord, update: Uint8Array): Promise<void> {
    this.lastUsedAt = this.deps.now();
    const { limits } = this.deps;
    if (update.length > limits.maxUpdateBytes) {
      return this.refuse(
        connection,
        RoomRefusal.tooLarge,
        `An update may be at most ${limits.maxUpdateBytes} bytes; nothing was stored`,
      );
    }
    let structure: UpdateStructure;
    try {
      structure = readUpdateStructure(update);
    } catch (error) {
      if (!(error instanceof MalformedUpdateError)) throw error;
      return this.refuse(connection, RoomRefusal.undecodable, error.message);
    }
    let reloaded = false;
    // Each round reads the document again: after another update's refusal dropped it, or after
    // a writer new since the bindings were read. Refusals are bounded per connection, so this is.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const view = await this.view([connection.userId]);
      if (!view) return this.gone(connection);
      const access = await accessOrRevoke(
        this.deps,
        connection,
        view.document.doc,
        view.grants.get(connection.userId) ?? null,
        view.labelGroups.get(connection.userId) ?? null,
      );
      if (!access) return;
      await this.resolveBindings(structure, connection.userId);
      const outcome = this.integrate(connection, access, structure, update, view.connectionsVersion);
      if (outcome.kind === 'retry') continue;
      if (outcome.kind === 'stale') {
        // Structs under someone else's id that this room has not seen: they may be stored by
        // another process after our last look. Reload once before calling them foreign.
        if (reloaded) return this.refuse(connection, outcome.reason, outcome.message, [], true);
        reloaded = true;
        this.dropDocument();
        continue;
      }
      if (outcome.kind === 'missing') {
        // Built on changes this room does not have (messages overtake each other across
        // handler instances): ask for everything we lack; the client answers with one update.
        return this.askForMissing(connection);
      }
      if (outcome.kind === 'refused')
        return this.refuse(connection, outcome.reason, outcome.message, outcome.paths, outcome.costly);
      if (outcome.kind === 'unchanged') return;
      try {
        await outcome.stored;
      } catch (error) {
        if (!(error instanceof NotStoredError)) throw error;
        // Two versions of one clock at once come from one id's owner only: counted like a refusal.
        if (error instanceof ClockConflictError) await this.countCostlyRefusal(connection.connectionId);
        // Not stored: the client keeps its edit and sends it again when asked.
        return this.askForMissing(connection);
      }
      await this.afterCommit();
      return;
    }
    // The document kept moving under this update; the client resends on our step 1.
    return this.askForMissing(connection);
  }

  /**
   * Sends our sync step 1, so the client sends what we lack. Its state vector is one of stored
   * state only: clients take it as "saved up to here" (the web's save status).
   */
  private async askForMissing(connection: ConnectionRecord): Promise<void> {
    const view = await this.view([]);
    if (!view) return;
    const step1 = writeSyncStep1(view.document.doc);
    try {
      await this.committed();
    } catch {
      return this.askForMissing(connection);
    }
    await sendMessage(this.deps, connection.connectionId, step1);
  }

  /**
   * The synchronous heart of `receiveUpdate`: check, apply, judge, queue. Nothing awaits in here,
   * so no other update touches the document between the checks and the verdict.
   */
  private integrate(
    connection: ConnectionRecord,
    access: Access,
    structure: UpdateStructure,
    update: Uint8Array,
    connectionsVersion: number,
  ):
    | { kind: 'retry' }
    | { kind: 'stale'; reason: string; message: string }
    | { kind: 'missing' }
    | { kind: 'refused'; reason: string; message: string; paths: string[]; costly?: true }
    | { kind: 'unchanged' }
    | { kind: 'queued'; stored: Promise<void> } {
    const document = this.document;
    if (!document) return { kind: 'retry' };
    const state = stateOf(document.doc);
    for (const writer of newWriters(structure, state)) {
      const owner = this.bindings.get(writer.clientId);
      if (owner === undefined && !writer.writesContent) {
        // Clocks claimed with no content under an id nobody holds: squatting on someone's next
        // edits (PROTOCOL.md, "Client ids"). Never bound, always refused.
        return {
          kind: 'refused',
          reason: RoomRefusal.clockClaim,
          message: `Yjs client ${writer.clientId} is not yours: only content may start a client id`,
          paths: [],
        };
      }
      if (owner === undefined) return { kind: 'retry' }; // a writer new since the bindings were read
      if (owner === connection.userId) continue;
      if (owner === NOBODY) {
        return {
          kind: 'refused',
          reason: RoomRefusal.foreignClientId,
          message: `Yjs client ${writer.clientId} predates client binding and cannot be extended; reload the page`,
          paths: [],
        };
      }
      return {
        kind: 'stale',
        reason: writer.claimsClocks ? RoomRefusal.clockClaim : RoomRefusal.foreignClientId,
        message: `Yjs client ${writer.clientId} belongs to someone else`,
      };
    }
    if (hasMissingDependencies(structure, state)) return { kind: 'missing' };
    const { maxDocumentBytes } = this.deps.limits;
    if (document.bytes + update.length > maxDocumentBytes) {
      document.bytes = Y.encodeStateAsUpdate(document.doc).length;
      if (document.bytes + update.length > maxDocumentBytes) {
        return {
          kind: 'refused',
          reason: RoomRefusal.documentFull,
          message: `A release may be at most ${maxDocumentBytes} bytes; nothing was stored`,
          paths: [],
          costly: true, // the exact size took an encode of the whole document
        };
      }
    }
    const statusBefore = readReleaseStatus(document.doc);
    const clocksBefore = [...structure.clients.keys()].map((client) => [client, state(client)] as const);
    const applied = applyInTransaction(document.doc, (doc) => Y.applyUpdate(doc, update));
    if (applied.error !== null || document.hasPending) {
      this.dropDocument();
      return {
        kind: 'refused',
        reason: RoomRefusal.undecodable,
        message: `The update could not be applied: ${applied.error ?? 'it depends on missing changes'}`,
        paths: [],
        costly: true,
      };
    }
    if (applied.transaction === null || applied.update === null) return { kind: 'unchanged' };
    const verdict = authorizeTransaction(access.ability, this.releaseId, statusBefore, applied.transaction);
    if (!verdict.allowed) {
      this.dropDocument();
      return {
        kind: 'refused',
        reason: verdict.reason,
        message: verdict.message,
        paths: verdict.paths,
        costly: true,
      };
    }
    document.bytes += applied.update.length;
    return {
      kind: 'queued',
      stored: this.enqueue({
        update: applied.update,
        ranges: rangesAfter(document.doc, clocksBefore),
        userId: connection.userId,
        isStrict: false,
        senderConnectionId: connection.connectionId,
        paths: verdict.paths,
        connectionsVersion,
      }),
    };
  }

  /**
   * A change made by the server itself (a status change, a repair), committed like any edit under
   * a Yjs client id bound to the system. `check` runs on the current document right before the
   * change and may throw to refuse it: nothing is applied then. The change is stored right after
   * the document `check` saw, or checked again (ST1 in dynamo-document-store.ts): an edit
   * authorized under the old status can never be stored after it. `by` is the person the commit
   * is recorded for (a restore, a status change), the server itself when omitted.
   */
  async edit<T>(
    check: (doc: Y.Doc) => T,
    change: (doc: Y.Doc, checked: T) => void,
    /** The paths it changes, or how to tell them from what `check` found. */
    paths: string[] | ((checked: T) => string[]),
    by: string = SYSTEM_OWNER,
  ): Promise<T> {
    this.lastUsedAt = this.deps.now();
    const clientId = await this.systemClient();
    for (let round = 0; ; round++) {
      const view = await this.view([]);
      if (!view) throw new NotStoredError(`release ${this.releaseId} does not exist`);
      const document = this.document;
      if (!document) continue;
      const checked = check(document.doc);
      // Only the system's own id is recorded: what else server code applies in an edit (tests
      // replaying stored updates) is trusted.
      const clocksBefore = [[clientId, Y.getState(document.doc.store, clientId)] as const];
      const applied = applyInTransaction(document.doc, (doc) => {
        doc.clientID = clientId;
        change(doc, checked);
      });
      if (applied.error !== null) {
        this.dropDocument();
        throw new Error(`server edit failed: ${applied.error}`);
      }
      if (!applied.update) return checked;
      document.bytes += applied.update.length;
      try {
        await this.enqueue({
          update: applied.update,
          ranges: rangesAfter(document.doc, clocksBefore),
          userId: by,
          isStrict: true,
          senderConnectionId: null,
          paths: typeof paths === 'function' ? paths(checked) : paths,
          connectionsVersion: view.connectionsVersion,
        });
      } catch (error) {
        if (!(error instanceof NotStoredError) || round + 1 >= MAX_EDIT_ROUNDS) throw error;
        continue;
      }
      await this.afterCommit();
      return checked;
    }
  }

  /**
   * Answers sync step 1: what the client lacks (step 2) and what we lack (our step 1). A first
   * sync loads the stored document in full (every stored update, whatever the log's overlap
   * window missed); a join resync reads through the room. Either way what is sent is stored:
   * the room's step 2 waits until everything it holds has been committed.
   */
  async answerSyncStep1(
    connection: ConnectionRecord,
    stateVector: Uint8Array,
    isJoinResync: boolean,
  ): Promise<'answered' | 'refused'> {
    this.lastUsedAt = this.deps.now();
    let doc: Y.Doc;
    let grant: Grant | null;
    let labelGroups: LabelGroupRecord | null;
    let committed: Promise<void> = Promise.resolve();
    let answer: { step2: Uint8Array; step1: Uint8Array } | null;
    if (isJoinResync) {
      const view = await this.view([connection.userId]);
      if (!view) return this.gone(connection).then(() => 'refused' as const);
      doc = view.document.doc;
      grant = view.grants.get(connection.userId) ?? null;
      labelGroups = view.labelGroups.get(connection.userId) ?? null;
      // Encoded and awaited together: what it holds is stored before it is sent.
      answer = syncAnswer(doc, stateVector);
      committed = this.committed();
    } else {
      const [loaded, read, groups] = await Promise.all([
        this.deps.stores.documents.load(this.releaseId),
        this.deps.stores.grants.get(this.releaseId, connection.userId),
        this.deps.stores.labelGroups.get(connection.userId),
      ]);
      if (!loaded) return this.gone(connection).then(() => 'refused' as const);
      doc = loaded.doc;
      grant = read;
      labelGroups = groups;
      if (foreignContentIn(doc).length > 0) {
        // Stored before the exact layout was enforced (ARCHITECTURE.md, "The room"): dropped
        // once, by a server edit everyone receives, then the client is answered from the room.
        this.adoptLoaded(loaded);
        if (!(await accessOrRevoke(this.deps, connection, doc, grant, labelGroups))) return 'refused';
        const removed = await this.edit(
          () => undefined,
          (room) => void dropForeignContent(room),
          [],
        ).then(() => true);
        this.deps.log('foreign content dropped', { releaseId: this.releaseId, removed });
        return this.answerSyncStep1(connection, stateVector, true);
      }
      // Encoded before the room adopts (and adds its unstored edits to) the loaded document.
      answer = syncAnswer(doc, stateVector);
      this.adoptLoaded(loaded);
    }
    if (!(await accessOrRevoke(this.deps, connection, doc, grant, labelGroups))) return 'refused';
    if (!answer) {
      await sendControl(this.deps, connection.connectionId, {
        type: 'error',
        code: 'malformed-message',
        message: 'Invalid state vector',
      });
      return 'refused';
    }
    try {
      await committed;
    } catch {
      // What the step 2 holds was not all stored; the client asks again on its next sync.
      return 'refused';
    }
    await sendMessage(this.deps, connection.connectionId, answer.step2);
    await sendMessage(this.deps, connection.connectionId, answer.step1);
    return 'answered';
  }

  // ─── the document ─────────────────────────────────────────────────────────────────────────

  /**
   * The room's document as it stands after a refresh, with the grants of `users` (null when the
   * release is gone). For tests and server code that only reads; nothing may modify `doc`.
   */
  async read(users: string[] = []) {
    const view = await this.view(users);
    if (!view) return null;
    const { document } = view;
    return { ...document.logView(), grants: view.grants, connectionsVersion: view.connectionsVersion };
  }

  /** Keeps a document loaded in full elsewhere (a first sync), unless the room holds a fresh one. */
  adoptLoaded(loaded: LoadedDocument): void {
    // Checked first: building a RoomDocument measures the whole document.
    if (!this.isFresh(this.document)) this.adopt(RoomDocument.fromLoad(loaded, this.deps.now()));
  }

  /** Whether `document` is recent enough to be brought up to date by a refresh instead of a reload. */
  private isFresh(document: RoomDocument | null): document is RoomDocument {
    return document !== null && this.deps.now() - document.loadedAt <= this.options.maxAgeMs;
  }

  /**
   * The current document with the grants of `users`, read after this call: every update stored
   * before it (within `overlapMs` of put latency) is in it. Concurrent callers share refreshes:
   * one runs, and the callers arriving meanwhile share the next one.
   */
  private view(users: string[]): Promise<View | null> {
    if (!this.refreshing) {
      this.refreshing = this.refresh(users).finally(() => {
        this.refreshing = null;
      });
      return this.refreshing;
    }
    if (!this.queuedRefresh) {
      const queued = { users: new Set<string>(), promise: null as unknown as Promise<View | null> };
      const next = () => {
        this.queuedRefresh = null;
        return this.view([...queued.users]);
      };
      queued.promise = this.refreshing.then(next, next);
      this.queuedRefresh = queued;
    }
    for (const user of users) this.queuedRefresh.users.add(user);
    return this.queuedRefresh.promise;
  }

  private async refresh(users: string[]): Promise<View | null> {
    const { documents } = this.deps.stores;
    const current = this.document;
    if (!this.isFresh(current)) {
      const [document, head] = await Promise.all([this.load(), documents.readHead(this.releaseId, users)]);
      if (!document || !head) return null;
      return viewOf(document, head);
    }
    const [tail, head] = await Promise.all([
      documents.readLogAfter(this.releaseId, current.seq),
      documents.readHead(this.releaseId, users),
    ]);
    if (head === undefined) {
      this.document = null;
      return null;
    }
    if (this.document !== current) return this.refresh(users);
    if (head.snapshotId !== current.snapshotId) {
      // Another process compacted; its snapshot is needed only when it folded what we lack.
      const state =
        head.snapshotSeq > current.seq && head.snapshotId !== null
          ? await documents.readSnapshot(this.releaseId, head.snapshotId, head.snapshotChunks)
          : null;
      if (this.document !== current) return this.refresh(users);
      if (head.snapshotSeq > current.seq && state === null) {
        this.dropDocument();
        return this.refresh(users);
      }
      current.moveToSnapshot(head, state);
    }
    if (!current.applyTail(tail.filter((item) => item.seq > current.snapshotSeq)) || current.hasPending) {
      // Folded while we read (a compaction ran between the two reads): read again.
      this.dropDocument();
      return this.refresh(users);
    }
    return viewOf(current, head);
  }

  /** Loads the stored document in full and makes it the room's, shared by concurrent callers. */
  private load(): Promise<RoomDocument | null> {
    if (!this.loading) {
      this.loading = this.deps.stores.documents
        .load(this.releaseId)
        .then((loaded) => {
          if (!loaded) {
            this.document = null;
            return null;
          }
          return this.adopt(RoomDocument.fromLoad(loaded, this.deps.now()));
        })
        .finally(() => {
          this.loading = null;
        });
    }
    return this.loading;
  }

  /**
   * Makes a freshly loaded document the room's, unless the room holds a fresher one. Updates
   * applied but not yet stored are applied to it too: they are accepted, and the load may
   * predate their commit.
   */
  private adopt(document: RoomDocument): RoomDocument {
    const current = this.document;
    if (this.isFresh(current)) return current;
    for (const accepted of [...this.inFlight, ...this.queue]) {
      Y.applyUpdate(document.doc, accepted.update);
      document.bytes += accepted.update.length;
    }
    this.document = document;
    return document;
  }

  /** Forgets a document that holds something refused or unstored; the next view reloads. */
  private dropDocument(): void {
    this.document = null;
  }

  // ─── client ids ───────────────────────────────────────────────────────────────────────────

  /**
   * Reads (or writes) the binding of every client id the update would write new structs under
   * (PROTOCOL.md, "Client ids"). An id nobody holds yet and the document does not know is
   * bound to the sender by a conditional write; one the document knows but nobody holds was
   * written before bindings existed and belongs to no one.
   */
  private async resolveBindings(structure: UpdateStructure, userId: string): Promise<void> {
    const document = this.document;
    if (!document) return;
    const state = stateOf(document.doc);
    const unknown = newWriters(structure, state).filter((writer) => !this.bindings.has(writer.clientId));
    const { clientBindings } = this.deps.stores;
    await Promise.all(
      unknown.map(async (writer) => {
        const bound = await clientBindings.get(this.releaseId, writer.clientId);
        if (bound !== null) this.bindings.set(writer.clientId, bound);
        else if (writer.isKnown) this.bindings.set(writer.clientId, NOBODY);
        // Only content starts an id: a bare clock claim is refused in `integrate`.
        else if (writer.writesContent)
          this.bindings.set(
            writer.clientId,
            await clientBindings.bind(this.releaseId, writer.clientId, userId),
          );
      }),
    );
  }

  /** A client id for the server's own edits in this room, bound to the system. */
  private async systemClient(): Promise<number> {
    while (this.systemClientId === null) {
      const candidate = Math.floor(Math.random() * 0xffffffff);
      const owner = await this.deps.stores.clientBindings.bind(this.releaseId, candidate, SYSTEM_OWNER);
      this.bindings.set(candidate, owner);
      if (owner === SYSTEM_OWNER) this.systemClientId = candidate;
    }
    return this.systemClientId;
  }

  // ─── store and fan out ────────────────────────────────────────────────────────────────────

  /**
   * Queues a canonical update for storing. One commit runs at a time; updates accepted while it
   * runs go into the next one, merged into one log item. Each caller's promise settles once its
   * update is stored and sent; it rejects with NotStoredError when its commit, or one before
   * it, failed (everything queued behind a failed commit may build on it).
   */
  private enqueue(accepted: Omit<Accepted, 'resolve' | 'reject'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...accepted, resolve, reject });
      if (!this.committing) {
        this.committing = this.drain().finally(() => {
          this.committing = null;
        });
      }
    });
  }

  /** Settles once everything applied so far is stored (rejects when any of it was not). */
  private committed(): Promise<void> {
    const last = this.queue.at(-1) ?? this.inFlight.at(-1);
    if (!last) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const { resolve: settle, reject: fail } = last;
      last.resolve = () => {
        settle();
        resolve();
      };
      last.reject = (error) => {
        fail(error);
        reject(error);
      };
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      this.inFlight = takeBatch(this.queue);
      const batch = this.inFlight;
      try {
        await this.commitBatch(batch);
        this.inFlight = [];
        for (const accepted of batch) accepted.resolve();
      } catch (error) {
        this.deps.log('commit failed', { releaseId: this.releaseId, error: String(error) });
        const failed = [...batch, ...this.queue];
        this.inFlight = [];
        this.queue = [];
        this.dropDocument();
        for (const accepted of failed) accepted.reject(new NotStoredError(String(error)));
      }
    }
  }

  private async commitBatch(batch: Accepted[]): Promise<void> {
    const update = batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((a) => a.update));
    const paths = [...new Set(batch.flatMap((accepted) => accepted.paths))];
    // The one rule of history's recording (README.md, "Version history"): a commit records who,
    // when, its paths, and the small scalar values among them as the room's document holds them
    // when the commit is prepared (this batch's values, or a later batch's already applied).
    const record: CommitRecord = {
      by: [...new Set(batch.map((accepted) => accepted.userId))],
      paths,
      ...(this.document ? { values: recordedValues(this.document.doc, paths) } : {}),
    };
    const stored = await this.store(batch, update, record);
    this.document?.record(stored);
    this.activitySince ??= this.deps.now();
    const senders = new Set(batch.map((accepted) => accepted.senderConnectionId));
    // A lone sender is spared its own update; with several, each gets the merged update, its own
    // part included, which Yjs ignores on arrival.
    const [only] = senders;
    const except = senders.size === 1 && only ? { except: only } : {};
    const connectionsVersion = Math.max(...batch.map((accepted) => accepted.connectionsVersion));
    // Stored, so it may go out; the listing metadata is refreshed meanwhile.
    await Promise.all([
      fanOut(this.deps, this.releaseId, { ...except, connectionsVersion }, (connectionId) =>
        this.outbox.send(connectionId, update),
      ),
      this.touchListing(record.paths),
    ]);
  }

  /**
   * Stores a commit as the log item after the document's (ST1 in dynamo-document-store.ts).
   * When another process took that number, what it stored is read and applied, and the commit
   * tries the next number, unless what came in decides otherwise: the commit then fails
   * (NotStoredError) and its senders are asked again, so their updates are judged anew.
   * - a strict update (a status change) was checked against the document it missed;
   * - a status change came in: the batch was authorized under the old status;
   * - clocks the batch writes came in: their owner sent two versions at once (ClockConflictError).
   */
  private async store(
    batch: readonly Accepted[],
    update: Uint8Array,
    record: CommitRecord,
  ): Promise<LogRecord> {
    const { documents } = this.deps.stores;
    for (let round = 0; round < MAX_COMMIT_ROUNDS; round++) {
      const document = this.document ?? (await this.view([]))?.document;
      if (!document) throw new NotStoredError(`release ${this.releaseId} does not exist`);
      const stored = await documents.appendAt(this.releaseId, document.seq + 1, update, record);
      if (stored) return stored;
      const tail = (await documents.readLogAfter(this.releaseId, document.seq)).filter(
        (item) => item.seq > document.seq,
      );
      if (this.document !== document) continue; // reloaded meanwhile, with this batch applied
      const verdict = overtaken(batch, tail);
      if (verdict !== null) throw verdict;
      if (!document.applyTail(tail)) throw new NotStoredError('the log was folded past this commit');
    }
    throw new NotStoredError(
      `release ${this.releaseId} is too busy: ${MAX_COMMIT_ROUNDS} commits overtook this one`,
    );
  }

  /** Refreshes the listing metadata: always when a listed field changed, else at most every interval. */
  private async touchListing(paths: readonly string[]): Promise<void> {
    const summary: ReleaseSummary = {};
    const doc = this.document?.doc;
    // Parsing the release fields only when a listed one changed: this runs on every commit.
    if (doc && LISTED_PATHS.some((path) => paths.includes(path))) {
      const fields = readReleaseFields(doc);
      if (paths.includes('release.title')) summary.title = fields.title;
      if (paths.includes('release.displayArtist')) summary.displayArtist = fields.displayArtist;
      if (paths.includes('release.status')) summary.status = fields.status;
    }
    const now = this.deps.now();
    if (Object.keys(summary).length === 0 && now - this.lastTouched < LISTING_TOUCH_INTERVAL_MS) return;
    this.lastTouched = now;
    await this.deps.stores.documents.touch(this.releaseId, summary);
  }

  /** After a stored edit: compaction when due, and an automatic version after a stretch of activity. */
  private async afterCommit(): Promise<void> {
    await this.compactIfDue();
    if (this.activitySince === null || this.deps.now() - this.activitySince < AUTO_VERSION_AFTER_MS) return;
    await this.saveVersion({ kind: 'auto' }).catch((error: unknown) =>
      this.deps.log('version failed', { releaseId: this.releaseId, error: String(error) }),
    );
  }

  /**
   * Saves a version of the stored document as it stands once what this room holds is stored
   * (history-store.ts); null for an automatic one when nothing changed since the last version.
   * One at a time per room: a second automatic request meanwhile is answered by the first.
   */
  async saveVersion(input: Pick<NewVersion, 'kind' | 'name' | 'createdBy'>): Promise<StoredVersion | null> {
    if (input.kind === 'auto' && this.versioning) return this.versioning;
    const saving = (async () => {
      await this.versioning?.catch(() => null);
      // Two key reads decide most automatic ones (someone only looked, then left) before the
      // document is loaded and encoded.
      if (input.kind === 'auto' && !(await this.committedSinceLastVersion())) {
        this.activitySince = null;
        return null;
      }
      const stored = await this.storedState();
      if (!stored) return null;
      this.activitySince = null;
      return this.deps.stores.history.saveVersion(this.releaseId, {
        ...input,
        ...stored,
        at: this.deps.now(),
      });
    })();
    this.versioning = saving;
    try {
      return await saving;
    } finally {
      if (this.versioning === saving) this.versioning = null;
    }
  }

  /** Whether the log holds a commit after the newest version's position. */
  private async committedSinceLastVersion(): Promise<boolean> {
    const { documents, history } = this.deps.stores;
    const [newest, last] = await Promise.all([
      history.newestVersionSeq(this.releaseId),
      documents.lastSeq(this.releaseId),
    ]);
    return newest === null || last > newest;
  }

  /** The stored document's state and position, once nothing applied here waits to be stored. */
  private async storedState(): Promise<{ seq: number; state: Uint8Array; status: ReleaseStatus } | null> {
    for (let round = 0; round < MAX_EDIT_ROUNDS; round++) {
      if (!(await this.view([]))) return null;
      await this.committed();
      const document = this.document;
      if (document && this.queue.length === 0 && this.inFlight.length === 0) {
        return {
          seq: document.seq,
          state: Y.encodeStateAsUpdate(document.doc),
          status: readReleaseStatus(document.doc),
        };
      }
    }
    throw new NotStoredError(`release ${this.releaseId} is too busy to save a version`);
  }

  /**
   * Folds the log into a snapshot once it is long enough. Only while nothing is waiting to be
   * stored: the snapshot holds exactly the stored log up to `seq`, never an update that may still
   * fail to be stored.
   */
  async compactIfDue(options: { force?: boolean } = {}): Promise<string | null> {
    const document = this.document;
    const { documents } = this.deps.stores;
    if (!document || this.compacting || this.queue.length > 0 || this.inFlight.length > 0) return null;
    if (!options.force && !documents.needsCompaction(document, document.bytes)) return null;
    this.compacting = true;
    try {
      const foldable = document.foldable();
      const snapshotId = await documents.compact(this.releaseId, foldable);
      if (snapshotId !== null && this.document === document && document.snapshotId === foldable.snapshotId) {
        document.compactedInto(snapshotId, foldable, foldable.state.length);
      }
      this.deps.log('compaction', { releaseId: this.releaseId, snapshotId, updates: foldable.log.length });
      return snapshotId;
    } finally {
      this.compacting = false;
    }
  }

  // ─── answers ──────────────────────────────────────────────────────────────────────────────

  /**
   * Tells the sender its update was refused, and closes a connection that keeps sending refused
   * updates that cost the room a reload: refusals must not become a way to force work. Those
   * refused before anything was applied (too large, undecodable, a bare clock claim) cost no
   * more than reading them and are not counted.
   */
  private async refuse(
    connection: ConnectionRecord,
    reason: string,
    message: string,
    paths: readonly string[] = [],
    /** Whether it cost the room a reload (or a whole-document encode); only those are counted. */
    isCostly = false,
  ): Promise<void> {
    const { connectionId } = connection;
    this.deps.log('update rejected', { connectionId, releaseId: this.releaseId, reason, paths });
    await sendControl(this.deps, connectionId, {
      type: 'rejected',
      reason,
      fields: paths.slice(0, 100).map((path) => path.slice(0, 200)),
      message: message.slice(0, 2000),
    });
    if (isCostly) await this.countCostlyRefusal(connectionId);
  }

  /** Counts a refusal that cost the room a reload; closes the connection over the limit. */
  private async countCostlyRefusal(connectionId: string): Promise<void> {
    const count = await this.deps.stores.connections.countRefusal(connectionId, this.deps.now(), 60_000);
    if (count > this.deps.limits.maxRefusalsPerMinute) {
      await sendControl(this.deps, connectionId, {
        type: 'error',
        code: 'too-many-refusals',
        message: `More than ${this.deps.limits.maxRefusalsPerMinute} refused updates in a minute`,
      });
      await this.deps.messenger.close(connectionId);
    }
  }

  private async gone(connection: ConnectionRecord): Promise<void> {
    await sendControl(this.deps, connection.connectionId, {
      type: 'revoked',
      message: 'This release no longer exists',
    });
    await this.deps.messenger.close(connection.connectionId);
  }
}

const viewOf = (document: RoomDocument, head: ReleaseHead): View => ({
  document,
  grants: head.grants,
  labelGroups: head.labelGroups,
  connectionsVersion: head.connectionsVersion,
});

/** Applies `change` in one transaction of `doc`, and returns the update it emitted (null when nothing changed). */
function applyInTransaction(
  doc: Y.Doc,
  change: (doc: Y.Doc) => void,
): { transaction: Y.Transaction | null; update: Uint8Array | null; error: string | null } {
  const origin = Symbol('room');
  let transaction: Y.Transaction | null = null;
  let update: Uint8Array | null = null;
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.origin === origin) transaction = tr;
  };
  const onUpdate = (emitted: Uint8Array, emittedOrigin: unknown) => {
    if (emittedOrigin === origin) update = emitted;
  };
  doc.on('afterTransaction', onTransaction);
  doc.on('update', onUpdate);
  try {
    Y.transact(doc, () => change(doc), origin);
    return { transaction, update, error: null };
  } catch (error) {
    return { transaction, update, error: (error as Error).message };
  } finally {
    doc.off('afterTransaction', onTransaction);
    doc.off('update', onUpdate);
  }
}

/** The oldest updates in the queue, up to the commit size limit (at least one). */
function takeBatch(queue: Accepted[]): Accepted[] {
  let bytes = queue[0]!.update.length;
  let count = 1;
  while (count < queue.length && bytes + queue[count]!.update.length <= MAX_COMMIT_BYTES) {
    bytes += queue[count]!.update.length;
    count += 1;
  }
  return queue.splice(0, count);
}

/** A client's next clock in `doc`, for the clients an update names only (not the whole state vector). */
const stateOf =
  (doc: Y.Doc) =>
  (client: number): number =>
    Y.getState(doc.store, client);

/** Sync step 2 for a peer at `stateVector`, and our step 1; null when the state vector is invalid. */
function syncAnswer(doc: Y.Doc, stateVector: Uint8Array): { step2: Uint8Array; step1: Uint8Array } | null {
  try {
    return { step2: writeSyncStep2(doc, stateVector), step1: writeSyncStep1(doc) };
  } catch {
    return null;
  }
}

/** The clocks each client named in `before` gained in `doc` since: what a commit writes. */
function rangesAfter(doc: Y.Doc, before: ReadonlyArray<readonly [number, number]>): ClockRange[] {
  const ranges: ClockRange[] = [];
  for (const [clientId, start] of before) {
    const end = Y.getState(doc.store, clientId);
    if (end > start) ranges.push({ clientId, start, end });
  }
  return ranges;
}

/**
 * Why a batch must not be stored after `tail`, other processes' commits it did not see (see
 * `Room.store`); null when it may follow them.
 */
function overtaken(batch: readonly Accepted[], tail: readonly LogItem[]): NotStoredError | null {
  if (batch.some((accepted) => accepted.isStrict))
    return new NotStoredError('the document changed after this change was checked');
  if (tail.some((item) => item.paths.includes(STATUS_PATH)))
    return new NotStoredError('the release status changed after this update was authorized');
  const ranges = batch.flatMap((accepted) => accepted.ranges);
  for (const item of tail) {
    if (item.data === null) return new NotStoredError('the log was folded past this commit');
    const { from, to } = Y.parseUpdateMeta(item.data);
    for (const range of ranges) {
      const start = from.get(range.clientId);
      const end = to.get(range.clientId);
      if (start === undefined || end === undefined || start >= range.end || end <= range.start) continue;
      // The same edit stored by another process (a client's resend reached two): not a conflict.
      // The same edit with some of it deleted since (a resend carries deleted text as such):
      // not stored now, asked again, and not counted against the sender.
      const overlap = { ...range, start: Math.max(start, range.start), end: Math.min(end, range.end) };
      const ours = batch.find((accepted) => accepted.ranges.includes(range))!.update;
      const comparison = compareStructs(item.data, ours, overlap);
      if (comparison === 'deleted-since')
        return new NotStoredError(`clocks of Yjs client ${range.clientId} were stored, since partly deleted`);
      if (comparison === 'different') {
        return new ClockConflictError(`clocks of Yjs client ${range.clientId} were stored by another commit`);
      }
    }
  }
  return null;
}

/**
 * How two updates' structs at the clocks of `range` compare, whatever the boundaries of the
 * structs they were encoded in, clock by clock (content, origins, parent): the same; the same
 * but for clocks one side holds as deleted content (GC'd after a deletion); or different.
 */
function compareStructs(
  a: Uint8Array,
  b: Uint8Array,
  range: ClockRange,
): 'same' | 'deleted-since' | 'different' {
  const unitsOf = (update: Uint8Array): Unit[] | null => {
    const units: Unit[] = [];
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct.id.client !== range.clientId) continue;
      for (let i = 0; i < struct.length; i++) {
        const clock = struct.id.clock + i;
        if (clock < range.start || clock >= range.end) continue;
        units[clock - range.start] = unitOf(struct, i);
      }
    }
    const isComplete = units.length === range.end - range.start && !units.includes(undefined as never);
    return isComplete ? units : null;
  };
  const left = unitsOf(a);
  const right = unitsOf(b);
  if (left === null || right === null) return 'different';
  let comparison: 'same' | 'deleted-since' = 'same';
  for (const [i, unit] of left.entries()) {
    const other = right[i]!;
    if (unit.key === other.key) continue;
    if (!unit.isDeleted && !other.isDeleted) return 'different';
    comparison = 'deleted-since';
  }
  return comparison;
}

interface Unit {
  key: string;
  /** GC'd or deleted content: what a resend carries for text deleted since it was first sent. */
  isDeleted: boolean;
}

/** One clock of a struct, comparable: what it holds and where it was inserted. */
function unitOf(struct: Y.Item | Y.GC | Y.Skip, offset: number): Unit {
  if (!(struct instanceof Y.Item)) return { key: struct.constructor.name, isDeleted: struct instanceof Y.GC };
  const origin =
    offset === 0 ? struct.origin : { client: struct.id.client, clock: struct.id.clock + offset - 1 };
  const { content } = struct;
  // What getContent() leaves out: a format's key and value, a type's kind and element name.
  const detail =
    content instanceof Y.ContentFormat
      ? [content.key, content.value]
      : content instanceof Y.ContentType
        ? [content.type.constructor.name, content.type instanceof Y.XmlElement ? content.type.nodeName : null]
        : content instanceof Y.ContentDoc
          ? (content.doc?.guid ?? null)
          : (content.getContent()[offset] ?? null);
  const key = JSON.stringify([
    content.constructor.name,
    detail,
    origin,
    struct.rightOrigin,
    struct.parent instanceof Y.AbstractType ? null : struct.parent,
    struct.parentSub,
  ]);
  return { key, isDeleted: content instanceof Y.ContentDeleted };
}
