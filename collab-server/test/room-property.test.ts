import { authorizeTransaction, defineAbilityFor } from '@patchline/permissions';
import {
  addCredit,
  addTrack,
  createSheet,
  foreignContentIn,
  moveTrack,
  orderedTrackIds,
  RELEASE_TYPES,
  type ReleaseFields,
  type ReleaseStatus,
  readReleaseFields,
  readSheet,
  replaceNotesText,
  SheetError,
  STATUS_TRANSITIONS,
  setReleaseField,
  setTrackField,
} from '@patchline/shared';
import {
  createReleaseProvider,
  type ReleaseConnection,
  type WebSocketConstructor,
} from '@patchline/shared/client';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { createRelease } from '../src/core/create-release.js';
import { hasMissingDependencies, newWriters, readUpdateStructure } from '../src/room/update-structure.js';
import { SYSTEM_OWNER } from '../src/store/client-binding-store.js';
import {
  type AttackMessage,
  type AttackSpec,
  attackArb,
  buildAttack,
  LABEL_FIELDS,
  type LabelField,
} from './support/adversarial-updates.js';
import { freshUpc } from './support/api-actors.js';
import { apiClient } from './support/api-client.js';
import { decodeJwt } from './support/jwt.js';
import { openRawClient, type RawClient, writeSyncUpdate } from './support/raw-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Property: honest clients and one attacker edit a release at once, through the real stack (the
 * harsh gateway, handler workers, dynalite). Whatever the attacker sends (PROTOCOL.md, "Updates:
 * what the server stores and relays", "Refusals", "Client ids", "Out of order", "Limits"):
 * - nothing forbidden is stored: no foreign content, label fields and status only as honest
 *   label staff set them, no struct under a client id bound to anyone but its writer;
 * - nothing forbidden reaches an honest client (checked on every update it receives);
 * - every honest edit is stored, or its client was told `rejected` (and only legitimately);
 * - every honest replica and the store converge.
 *
 * FC_SEED=<seed> (with FC_PATH=<path> for one case) replays the generated scenarios (fast-check
 * prints seed and path on failure);
 * PATCHLINE_GATEWAY_SEED replays the gateway's jitter (announced at start, gateway README).
 */
const NUM_RUNS = Number(process.env.ROOM_PROPERTY_RUNS ?? 24);
const fcSeed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
/** Bound on every wait for the stack to settle (join resync takes up to 4 s, PROTOCOL.md). */
const SETTLE_MS = 20_000;
/** Bound on waiting for answers to the attacker's updates (an accepted one has no answer). */
const ATTACKER_SETTLE_MS = 3_000;

type Person = 'editor' | 'manager' | 'admin' | 'viewer';
let stack: TestStack;
const tokens = {} as Record<Person, string>;
const subs = {} as Record<Person, string>;

beforeAll(async () => {
  const started = await startTestStack({ workers: 3 });
  stack = started.stack;
  for (const person of ['editor', 'manager', 'admin', 'viewer'] as const) {
    tokens[person] = await idTokenOf(stack.config, person);
    subs[person] = decodeJwt(tokens[person]).sub as string;
  }
  return started.teardown;
});

// ─── scenarios ──────────────────────────────────────────────────────────────────────────────

/** Honest clients: 0 the demo editor, 1 the demo manager, 2 the demo admin (label staff: 1, 2). */
const HONEST: readonly Person[] = ['editor', 'manager', 'admin'];
const TEAM_FIELDS = ['title', 'version', 'displayArtist', 'genre', 'language'] as const;

type HonestAction =
  | { kind: 'field'; who: number; field: (typeof TEAM_FIELDS)[number]; value: string }
  | { kind: 'release-type'; who: number; value: (typeof RELEASE_TYPES)[number] }
  | { kind: 'label'; who: number; field: LabelField; value: string }
  | { kind: 'add-track'; who: number; title: string }
  | { kind: 'track-title'; who: number; track: number; value: string }
  | { kind: 'move-track'; who: number; track: number; to: number }
  | { kind: 'notes'; who: number; value: string }
  | { kind: 'credit'; who: number; track: number; name: string; role: string }
  | { kind: 'transition'; transition: 'submit' | 'request_changes' | 'reopen' };

type Step =
  | { kind: 'honest'; action: HonestAction }
  | { kind: 'attack'; spec: AttackSpec; choice: number }
  | { kind: 'pause'; ms: number };

interface Scenario {
  ownerIsEditor: boolean;
  honestCount: 2 | 3;
  attacker: 'editor' | 'viewer';
  steps: Step[];
}

/**
 * Honest values keep the sheet deliverable (shared/src/validation), so that the manager's
 * "submit" can succeed and status changes happen during some runs.
 */
const text = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,9}$/);
const who = fc.nat(2);
const staff = fc.integer({ min: 1, max: 2 });
const LABEL_VALUES: Record<LabelField, fc.Arbitrary<string>> = {
  upc: fc.constantFrom('036000291452', '012345678905'),
  label: text,
  catalogNumber: text,
  pLine: text.map((value) => `2026 ${value}`),
  cLine: text.map((value) => `2026 ${value}`),
};
const labelArb = fc.constantFrom(...LABEL_FIELDS).chain((field) =>
  fc.record({
    kind: fc.constant('label' as const),
    who: staff,
    field: fc.constant(field),
    value: LABEL_VALUES[field],
  }),
);
const honestArb: fc.Arbitrary<HonestAction> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(...TEAM_FIELDS).chain((field) =>
      fc.record({
        kind: fc.constant('field' as const),
        who,
        field: fc.constant(field),
        value: field === 'language' ? fc.constantFrom('en', 'fr', 'de') : text,
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('release-type' as const),
      who,
      value: fc.constantFrom(...RELEASE_TYPES),
    }),
  },
  { weight: 2, arbitrary: labelArb },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add-track' as const), who, title: text }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('track-title' as const), who, track: fc.nat(5), value: text }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('move-track' as const), who, track: fc.nat(5), to: fc.nat(6) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('notes' as const), who, value: text }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('credit' as const),
      who,
      track: fc.nat(5),
      name: text,
      role: text,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('transition' as const),
      transition: fc.constantFrom('submit' as const, 'request_changes' as const, 'reopen' as const),
    }),
  },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('honest' as const), action: honestArb }) },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('attack' as const), spec: attackArb, choice: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 1, max: 40 }) }),
  },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  ownerIsEditor: fc.boolean(),
  honestCount: fc.constantFrom(2 as const, 3 as const),
  attacker: fc.constantFrom('editor' as const, 'viewer' as const),
  steps: fc.array(stepArb, { minLength: 14, maxLength: 22 }),
});

/** One honest edit through the sheet helpers; nothing when it no longer applies (a track gone). */
function applyHonest(doc: Y.Doc, action: Exclude<HonestAction, { kind: 'transition' }>): void {
  const trackAt = (i: number) => {
    const ids = orderedTrackIds(doc);
    return ids.length === 0 ? undefined : ids[i % ids.length];
  };
  try {
    switch (action.kind) {
      case 'field':
        setReleaseField(doc, action.field, action.value);
        return;
      case 'release-type':
        setReleaseField(doc, 'releaseType', action.value);
        return;
      case 'label':
        setReleaseField(doc, action.field, action.value);
        return;
      case 'add-track':
        addTrack(doc, { title: action.title, isrc: `USRC176${nextIsrc++}`, duration: 'PT3M00S' });
        return;
      case 'notes':
        replaceNotesText(doc, action.value);
        return;
      default: {
        const id = trackAt(action.track);
        if (!id) return;
        if (action.kind === 'track-title') setTrackField(doc, id, 'title', action.value);
        else if (action.kind === 'move-track') moveTrack(doc, id, action.to);
        else addCredit(doc, id, { name: action.name, role: action.role });
      }
    }
  } catch (error) {
    if (!(error instanceof SheetError)) throw error;
  }
}

// ─── the honest side ──────────────────────────────────────────────────────────────────────────

interface HonestEdit {
  who: number;
  doc: Y.Doc;
  clientId: number;
  /** The client's next clock after the edit: stored means the store's state reaches it. */
  end: number;
  action: HonestAction;
}

/** Honest clients, every document each one had, what they were told, and what they received. */
class HonestSide {
  readonly connections: ReleaseConnection[];
  /** Every document an honest connection had (a rejection replaces it), with its owner's index. */
  readonly docsEver = new Map<Y.Doc, number>();
  readonly rejections: Array<{ who: number; doc: Y.Doc; reason: string; fields: string[] }> = [];
  readonly edits: HonestEdit[] = [];
  /** Forbidden things an honest client received (PROTOCOL.md: never relayed). */
  readonly relayed: string[] = [];
  /** Client ids of structs honest clients received. */
  readonly receivedClients = new Set<number>();
  private readonly listeners = new Set<() => void>();

  constructor(
    releaseId: string,
    people: readonly Person[],
    private readonly allowed: { label: Map<string, Set<string>>; statuses: Set<string> },
    private readonly seed: { clientId: number; end: number },
  ) {
    this.connections = people.map((person, index) => {
      const connection = createReleaseProvider(new Y.Doc(), {
        url: stack.config.websocketUrl,
        releaseId,
        getToken: () => tokens[person],
        WebSocketImpl: WebSocket as unknown as WebSocketConstructor,
      });
      this.watch(connection.doc, index);
      connection.on('control', (message) => {
        // Emitted before the document is replaced: `connection.doc` is the refused one.
        if (message.type === 'rejected')
          this.rejections.push({
            who: index,
            doc: connection.doc,
            reason: message.reason,
            fields: message.fields,
          });
      });
      connection.on('synced', () => this.notify());
      connection.on('doc', (doc) => {
        this.watch(doc, index);
        this.notify();
      });
      return connection;
    });
  }

  get docs(): Y.Doc[] {
    return this.connections.map((connection) => connection.doc);
  }

  get clientIds(): Map<number, number> {
    return new Map([...this.docsEver].map(([doc, index]) => [doc.clientID, index]));
  }

  private watch(doc: Y.Doc, index: number): void {
    this.docsEver.set(doc, index);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== null) this.checkReceived(doc, update);
      this.notify();
    });
  }

  /** What arrived from the server: no foreign content, no label field or status nobody set. */
  private checkReceived(doc: Y.Doc, update: Uint8Array): void {
    for (const struct of Y.decodeUpdate(update).structs) this.receivedClients.add(struct.id.client);
    // Another person's update may arrive before the first sync step 2 (y-websocket): until the
    // seed is in, fields read as their empty values.
    if (Y.getState(doc.store, this.seed.clientId) < this.seed.end) return;
    const foreign = foreignContentIn(doc);
    if (foreign.length > 0) this.relayed.push(`foreign content: ${foreign.join('; ')}`);
    const fields = readReleaseFields(doc);
    for (const field of LABEL_FIELDS) {
      if (!this.allowed.label.get(field)!.has(fields[field]))
        this.relayed.push(`release.${field} = ${JSON.stringify(fields[field])}, set by no label staff`);
    }
    if (!this.allowed.statuses.has(fields.status)) this.relayed.push(`release.status = ${fields.status}`);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves once `check` holds, re-checked whenever an honest document changes; bounded. */
  until(
    what: string,
    check: () => boolean | Promise<boolean>,
    timeoutMs = SETTLE_MS,
    explain: () => Promise<string> | string = () => '',
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      let running = false;
      let again = false;
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(evaluate);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        Promise.resolve(explain()).then(
          (detail) => done(new Error(`timed out waiting for ${what}${detail ? `: ${detail}` : ''}`)),
          () => done(new Error(`timed out waiting for ${what}`)),
        );
      }, timeoutMs);
      const evaluate = () => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        Promise.resolve(check()).then(
          (ok) => {
            running = false;
            if (ok) done();
            else if (again) {
              again = false;
              evaluate();
            }
          },
          (error: Error) => done(error),
        );
      };
      this.listeners.add(evaluate);
      evaluate();
    });
  }

  /** Makes one honest edit (as the web app would: nothing when the sheet is read-only to them). */
  apply(action: Exclude<HonestAction, { kind: 'transition' }>, count: number): void {
    const index = action.who % count;
    const doc = this.connections[index]!.doc;
    const status = readReleaseFields(doc).status;
    const isStaff = HONEST[index] !== 'editor';
    const editable = isStaff
      ? status !== 'approved' && status !== 'delivered'
      : status === 'draft' || status === 'changes_requested';
    if (!editable) return;
    if (action.kind === 'label' && !isStaff) return;
    if (action.kind === 'label') this.allowed.label.get(action.field)!.add(action.value);
    const before = Y.getState(doc.store, doc.clientID);
    applyHonest(doc, action);
    const end = Y.getState(doc.store, doc.clientID);
    if (end > before) this.edits.push({ who: index, doc, clientId: doc.clientID, end, action });
  }

  destroy(): void {
    for (const connection of this.connections) connection.destroy();
  }
}

// ─── the attacker ─────────────────────────────────────────────────────────────────────────────

/**
 * A raw client sending generated updates, reconnecting when the server closes it (more than
 * maxRefusalsPerMinute costly refusals, PROTOCOL.md "Refusals"). Counts the answers it gets.
 */
class Attacker {
  private raw: RawClient | null = null;
  private generation = 0;
  private readonly closedGenerations = new Set<number>();
  readonly sent: Array<{ ownClient: number | null; end: number; generation: number }> = [];
  readonly answers = new Map<number, number>();
  readonly reasons = new Map<string, number>();
  readonly ownClients = new Set<number>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly releaseId: string,
    private readonly token: string,
  ) {}

  async send(messages: AttackMessage[]): Promise<void> {
    if (this.raw === null || this.closedGenerations.has(this.generation)) await this.connect();
    const raw = this.raw!;
    for (const message of messages) {
      if (message.ownClient !== null) this.ownClients.add(message.ownClient);
      this.sent.push({ ownClient: message.ownClient, end: endOf(message), generation: this.generation });
      raw.sendMessage(writeSyncUpdate(message.update));
    }
  }

  private async connect(): Promise<void> {
    this.raw?.ws.terminate();
    this.generation += 1;
    const generation = this.generation;
    const raw = await openRawClient(stack.config.websocketUrl, this.releaseId, this.token);
    this.raw = raw;
    void (async () => {
      try {
        for (;;) {
          const reply = await raw.nextReply();
          const answered =
            (reply.kind === 'control' && reply.message.type === 'rejected') || reply.kind === 'sync-step1';
          if (reply.kind === 'control' && reply.message.type === 'rejected')
            this.reasons.set(reply.message.reason, (this.reasons.get(reply.message.reason) ?? 0) + 1);
          if (answered) this.answers.set(generation, (this.answers.get(generation) ?? 0) + 1);
          this.notify();
        }
      } catch {
        this.closedGenerations.add(generation);
        this.notify();
      }
    })();
  }

  /**
   * How many sent updates have no outcome yet: each is answered (`rejected`, or a sync step 1
   * when it depends on what the server lacks), or accepted (its content under the attacker's own
   * id reaches an honest replica), or was sent on a socket that has closed since.
   */
  unresolved(honestDocs: Y.Doc[]): number {
    let pending = 0;
    for (let generation = 1; generation <= this.generation; generation++) {
      if (this.closedGenerations.has(generation)) continue;
      const sent = this.sent.filter((entry) => entry.generation === generation);
      const accepted = sent.filter(
        ({ ownClient, end }) =>
          ownClient !== null && end > 0 && honestDocs.some((doc) => Y.getState(doc.store, ownClient) >= end),
      ).length;
      pending += Math.max(0, sent.length - accepted - (this.answers.get(generation) ?? 0));
    }
    return pending;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  close(): void {
    this.raw?.ws.terminate();
  }
}

/**
 * Resolves once every update the attacker sent has an outcome (`Attacker.unresolved`), or after
 * ATTACKER_SETTLE_MS: an update the server finds nothing new in is neither answered nor seen.
 */
function settleAttacker(honest: HonestSide, attacker: Attacker): Promise<void> {
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      stopAttacker();
      resolve();
    };
    const timer = setTimeout(finish, ATTACKER_SETTLE_MS);
    const check = () => {
      if (attacker.unresolved(honest.docs) === 0) finish();
    };
    const stopAttacker = attacker.onChange(check);
    honest
      .until('the attacker', () => attacker.unresolved(honest.docs) === 0, ATTACKER_SETTLE_MS)
      .then(finish, finish);
  });
}

/** One past the last clock the message writes under the attacker's own id (0 when none). */
function endOf(message: AttackMessage): number {
  let end = 0;
  for (const struct of Y.decodeUpdate(message.update).structs)
    if (struct.id.client === message.ownClient) end = Math.max(end, struct.id.clock + struct.length);
  return end;
}

/** A small LCG: the attack's choices, reproducible from the generated number. */
function picker(choice: number): (n: number) => number {
  let state = choice >>> 0;
  return (n) => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return n <= 0 ? 0 : state % n;
  };
}

// ─── one run ──────────────────────────────────────────────────────────────────────────────────

/** A release the manager can submit as seeded (shared/src/validation/validate-sheet.test.ts). */
const DELIVERABLE_RELEASE = {
  title: 'Property',
  displayArtist: 'The Lanterns',
  releaseType: 'Single',
  label: 'Harbour Records',
  genre: 'Indie',
  language: 'en',
  parentalAdvisory: 'none',
  releaseDate: '2026-03-27',
  pLine: '2026 Harbour Records',
  cLine: '2026 Harbour Publishing',
  territories: ['Worldwide'],
} satisfies Partial<ReleaseFields>;
/** Distinct ISRCs for honest new tracks (two tracks may not share one). */
let nextIsrc = 10_000;

async function runScenario(scenario: Scenario): Promise<void> {
  const owner = scenario.ownerIsEditor ? 'editor' : 'manager';
  const releaseId = await createRelease(stack.stores, {
    ownerId: subs[owner],
    seed: {
      // A UPC of its own: another release with the same one could not be submitted.
      release: { ...DELIVERABLE_RELEASE, upc: freshUpc() },
      tracks: [
        { title: 'One', isrc: 'USRC17600001', duration: 'PT3M25S' },
        { title: 'Two', isrc: 'USRC17600002', duration: 'PT2M05S' },
      ],
      notes: 'Hello\nWorld',
    },
  });
  const createdAt = new Date().toISOString();
  const grant = (person: Person, role: 'editor' | 'viewer') =>
    stack.stores.grants.put({
      releaseId,
      userId: subs[person],
      role,
      via: 'direct',
      grantedBy: subs[owner],
      createdAt,
    });
  if (!scenario.ownerIsEditor) await grant('editor', 'editor');
  await grant('viewer', 'viewer');
  const seeded = (await stack.stores.documents.load(releaseId))!.doc;
  // The seed is written under one client id, bound to the system (create-release.ts).
  const [seedClient = 0] = Y.decodeStateVector(Y.encodeStateVector(seeded)).keys();
  const seededFields = readReleaseFields(seeded);

  const allowed = {
    label: new Map<string, Set<string>>(LABEL_FIELDS.map((field) => [field, new Set([seededFields[field]])])),
    statuses: new Set<string>(['draft']),
  };
  let expectedStatus: ReleaseStatus = 'draft';
  const people = HONEST.slice(0, scenario.honestCount);
  const honest = new HonestSide(releaseId, people, allowed, {
    clientId: seedClient,
    end: Y.getState(seeded.store, seedClient),
  });
  const attackerPerson: Person = scenario.attacker;
  const attacker = new Attacker(releaseId, tokens[attackerPerson]);
  const manager = apiClient(stack.config, tokens.manager);
  /** Encoded states just before an honest edit whose client was already bound (for re-sent structs). */
  const victimHistory: Array<{ clientId: number; before: Uint8Array }> = [];
  let transitions = 0;
  try {
    await honest.until('the honest clients to sync', () =>
      honest.connections.every((c) => c.provider.synced),
    );

    for (const step of scenario.steps) {
      if (step.kind === 'pause') {
        await new Promise((resolve) => setTimeout(resolve, step.ms));
        continue;
      }
      if (step.kind === 'honest') {
        const { action } = step;
        if (action.kind === 'transition') {
          // Allowed before the call: its relay may reach the honest clients before its answer.
          allowed.statuses.add(STATUS_TRANSITIONS[action.transition].to);
          const response = await manager.post<{ status?: ReleaseStatus }>(`/releases/${releaseId}/status`, {
            transition: action.transition,
          });
          if (response.status === 200 && response.body.status) {
            transitions += 1;
            expectedStatus = response.body.status;
            allowed.statuses.add(expectedStatus);
          }
          continue;
        }
        const doc = honest.connections[action.who % scenario.honestCount]!.doc;
        if (isBound(honest, doc))
          victimHistory.push({ clientId: doc.clientID, before: Y.encodeStateAsUpdate(doc) });
        honest.apply(action, scenario.honestCount);
      } else {
        const messages = buildAttackSafely(step, {
          base: Y.encodeStateAsUpdate(honest.docs[step.choice % honest.docs.length]!),
          victims: victimsOf(honest, attackerPerson),
          victimHistory: victimHistory.filter(
            ({ clientId }) => honest.clientIds.get(clientId) !== 0 || attackerPerson !== 'editor',
          ),
          seedClient,
        });
        await attacker.send(messages);
      }
      // Let the sockets move between steps (the generated pauses add more).
      await new Promise((resolve) => setImmediate(resolve));
    }

    // Quiescence, by events: the attacker's updates answered or visibly accepted (bounded: an
    // update that changes nothing gets no answer), then every honest edit stored or refused,
    // then every honest replica equal to the store.
    await settleAttacker(honest, attacker);
    const refused = (doc: Y.Doc) => honest.rejections.some((rejection) => rejection.doc === doc);
    await honest.until('every honest edit to be stored or refused', () =>
      honest.edits.every(
        (edit) =>
          refused(edit.doc) ||
          honest.connections.some(
            (connection, index) =>
              index !== edit.who && Y.getState(connection.doc.store, edit.clientId) >= edit.end,
          ),
      ),
    );
    // The store never holds two different structs at one client and clock (PROTOCOL.md: parts the
    // server already had are neither stored nor relayed, whatever content the client put in them).
    const conflicts = conflictingStructs(await stack.stores.documents.readLogAfter(releaseId, 0));
    expect(conflicts).toEqual([]);
    const sheet = (doc: Y.Doc) => JSON.stringify(readSheet(doc));
    let stored: Y.Doc | null = null;
    await honest.until(
      'the honest replicas and the store to converge',
      async () => {
        const docs = honest.docs;
        if (!honest.connections.every((connection) => connection.provider.synced)) return false;
        if (!docs.every((doc) => sheet(doc) === sheet(docs[0]!))) return false;
        stored = (await stack.stores.documents.load(releaseId))!.doc;
        return sheet(stored) === sheet(honest.docs[0]!);
      },
      SETTLE_MS,
      async () => {
        const store = (await stack.stores.documents.load(releaseId))!.doc;
        const vector = (doc: Y.Doc) => JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))]);
        return JSON.stringify({
          releaseId,
          store: { sheet: readSheet(store), vector: vector(store) },
          honest: honest.connections.map((connection, index) => ({
            who: HONEST[index],
            clientId: connection.doc.clientID,
            synced: connection.provider.synced,
            connected: connection.provider.wsconnected,
            vector: vector(connection.doc),
            sheet: readSheet(connection.doc),
          })),
          rejections: honest.rejections.map(({ who, reason, fields }) => ({
            who: HONEST[who],
            reason,
            fields,
          })),
        });
      },
    );
    const storedDoc = stored as unknown as Y.Doc;

    // Nothing forbidden reached an honest client.
    expect(honest.relayed).toEqual([]);

    // Nothing forbidden is stored.
    expect(foreignContentIn(storedDoc)).toEqual([]);
    const fields = readReleaseFields(storedDoc);
    expect(fields.status).toBe(expectedStatus);
    for (const field of LABEL_FIELDS) expect([...allowed.label.get(field)!]).toContain(fields[field]);
    const log = await stack.stores.documents.readLogAfter(releaseId, 0);
    const writers = new Set<number>([
      ...Y.decodeStateVector(Y.encodeStateVector(storedDoc)).keys(),
      ...log.flatMap((item) => Y.decodeUpdate(item.data).structs.map((struct) => struct.id.client)),
      ...honest.receivedClients,
    ]);
    const honestIds = honest.clientIds;
    const wrongWriters: string[] = [];
    for (const clientId of writers) {
      const owner = await stack.stores.clientBindings.get(releaseId, clientId);
      const honestIndex = honestIds.get(clientId);
      const expected =
        honestIndex !== undefined
          ? subs[people[honestIndex]!]
          : attacker.ownClients.has(clientId) && attackerPerson === 'editor'
            ? subs.editor
            : SYSTEM_OWNER;
      if (owner !== expected)
        wrongWriters.push(`client ${clientId}: bound to ${owner}, expected ${expected}`);
    }
    expect(wrongWriters).toEqual([]);
    // No honest client's clocks were claimed past what it wrote itself.
    const storedState = Y.decodeStateVector(Y.encodeStateVector(storedDoc));
    for (const [clientId] of honestIds) {
      const written = Math.max(
        ...[...honest.docsEver.keys()]
          .filter((doc) => doc.clientID === clientId)
          .map((doc) => Y.getState(doc.store, clientId)),
      );
      expect(storedState.get(clientId) ?? 0, `clocks of honest client ${clientId}`).toBeLessThanOrEqual(
        written,
      );
    }

    // Every honest edit is stored, or its client was refused; refusals only for a read-only status.
    const lost = honest.edits.filter(
      (edit) => (storedState.get(edit.clientId) ?? 0) < edit.end && !refused(edit.doc),
    );
    expect(lost.map((edit) => edit.action)).toEqual([]);
    const illegitimate = honest.rejections.filter(
      (rejection) =>
        !(rejection.reason === 'read-only' && HONEST[rejection.who] === 'editor' && transitions > 0),
    );
    expect(illegitimate.map(({ who, reason, fields }) => ({ who: HONEST[who], reason, fields }))).toEqual([]);
    if (attackerPerson === 'viewer')
      expect([...attacker.ownClients].filter((id) => storedState.has(id))).toEqual([]);
    checked.push({ releaseId, expectedStatus, allowedLabels: allowed.label });
    stats.runs += 1;
    stats.honestEdits += honest.edits.length;
    stats.honestRejections += honest.rejections.length;
    stats.attackerUpdates += attacker.sent.length;
    stats.attackerAccepted += attacker.sent.filter(
      ({ ownClient, end }) => ownClient !== null && end > 0 && (storedState.get(ownClient) ?? 0) >= end,
    ).length;
    stats.unsettled += attacker.unresolved(honest.docs);
    stats.transitions += transitions;
    for (const [reason, count] of attacker.reasons)
      stats.refusals[reason] = (stats.refusals[reason] ?? 0) + count;
  } finally {
    attacker.close();
    honest.destroy();
  }
}

/**
 * Clocks written twice in the stored log with different content: each clock of an Item is
 * compared by its map key and its content at that offset (deleted content and GC are skipped:
 * the same struct may be stored once live and once deleted).
 */
function conflictingStructs(log: ReadonlyArray<{ key: string; data: Uint8Array }>): string[] {
  const seen = new Map<string, { key: string; unit: string }>();
  const conflicts: string[] = [];
  for (const item of log) {
    for (const struct of Y.decodeUpdate(item.data).structs) {
      if (!(struct instanceof Y.Item) || struct.content instanceof Y.ContentDeleted) continue;
      const content = struct.content.getContent();
      for (let offset = 0; offset < struct.length; offset++) {
        const value = content[offset];
        const unit = `${struct.parentSub ?? ''}=${value instanceof Y.AbstractType ? value.constructor.name : JSON.stringify(value)}`;
        const id = `${struct.id.client}:${struct.id.clock + offset}`;
        const earlier = seen.get(id);
        if (earlier === undefined) seen.set(id, { key: item.key, unit });
        else if (earlier.unit !== unit)
          conflicts.push(`${id}: ${earlier.unit} (${earlier.key}) vs ${unit} (${item.key})`);
      }
    }
  }
  return conflicts;
}

/** Whether `doc`'s client id is bound (its content reached another honest replica: stored first, ST1). */
function isBound(honest: HonestSide, doc: Y.Doc): boolean {
  const clock = Y.getState(doc.store, doc.clientID);
  return clock > 0 && honest.docs.some((other) => other !== doc && Y.getState(other.store, doc.clientID) > 0);
}

/**
 * Ids the attacker may not write under: honest ids already bound to someone else. An id bound to
 * the attacker's own account (the honest editor's, when the attacker holds the editor token) is
 * the same person's other tab (PROTOCOL.md, "Client ids"), so it is not a victim; neither is an
 * id not bound yet (whoever writes first owns it).
 */
function victimsOf(honest: HonestSide, attacker: Person): Array<{ clientId: number }> {
  return honest.connections
    .map((connection, index) => ({ doc: connection.doc, person: HONEST[index]! }))
    .filter(({ doc, person }) => person !== attacker && isBound(honest, doc))
    .map(({ doc }) => ({ clientId: doc.clientID }));
}

function buildAttackSafely(
  step: Extract<Step, { kind: 'attack' }>,
  context: Omit<Parameters<typeof buildAttack>[1], 'pick'>,
): AttackMessage[] {
  try {
    return buildAttack(step.spec, { ...context, pick: picker(step.choice) });
  } catch {
    // A root already made another type in the attacker's copy (Yjs throws): the junk alone.
    if (step.spec.kind !== 'junk') throw new Error(`could not build ${JSON.stringify(step.spec)}`);
    return buildAttack({ ...step.spec, withLegit: false }, { ...context, pick: picker(step.choice) });
  }
}

/** What the runs did, printed once at the end so a green run shows it exercised something. */
const stats = {
  runs: 0,
  honestEdits: 0,
  honestRejections: 0,
  attackerUpdates: 0,
  attackerAccepted: 0,
  unsettled: 0,
  transitions: 0,
  refusals: {} as Record<string, number>,
};

const checked: Array<{
  releaseId: string;
  expectedStatus: ReleaseStatus;
  allowedLabels: Map<string, Set<string>>;
}> = [];

describe('the judge under the same adversarial updates, in process', () => {
  /**
   * No stack: each generated attack is applied, in one transaction, to a copy of an honestly
   * edited sheet and judged as the room judges it (`authorizeTransaction` with the sender's
   * ability, ARCHITECTURE.md "The room" step 4). Whatever an editor's update gets through leaves
   * no foreign content (`foreignContentIn`, the layout's independent reader), no label field and
   * no status changed; a viewer gets nothing through. Updates the room would not apply (missing
   * dependencies, PROTOCOL.md "Out of order"; other clients' ids, "Client ids") are skipped here:
   * the stack-based property covers them.
   */
  it('lets no foreign content, label field or status change through', () => {
    const abilities = {
      editor: defineAbilityFor({ sub: 'u-editor', groups: [] }, [{ releaseId: 'rel-1', role: 'editor' }]),
      viewer: defineAbilityFor({ sub: 'u-viewer', groups: [] }, [{ releaseId: 'rel-1', role: 'viewer' }]),
    };
    fc.assert(
      fc.property(
        fc.constantFrom('editor' as const, 'viewer' as const),
        fc.array(honestArb, { maxLength: 6 }),
        fc.array(
          fc.tuple(
            attackArb.filter((spec) => spec.kind !== 'oversized'),
            fc.nat(),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (role, edits, attacks) => {
          const server = createSheet({
            release: DELIVERABLE_RELEASE,
            tracks: [{ title: 'One', isrc: 'USRC17600001', duration: 'PT3M25S' }],
            notes: 'Hello',
          });
          const seedClient = server.clientID;
          const author = new Y.Doc();
          Y.applyUpdate(author, Y.encodeStateAsUpdate(server));
          for (const edit of edits) if (edit.kind !== 'transition') applyHonest(author, edit);
          Y.applyUpdate(server, Y.encodeStateAsUpdate(author));
          const history = [{ clientId: author.clientID, before: Y.encodeStateAsUpdate(server) }];
          for (const [spec, choice] of attacks) {
            const messages = buildAttackSafely(
              { kind: 'attack', spec, choice },
              {
                base: Y.encodeStateAsUpdate(server),
                victims: edits.length > 0 ? [{ clientId: author.clientID }] : [],
                victimHistory: edits.length > 0 ? history : [],
                seedClient,
              },
            );
            for (const { update, ownClient } of messages) {
              const structure = readUpdateStructure(update);
              const state = (client: number) => Y.getState(server.store, client);
              // Only the attacker's own ids may write (the room refuses the rest before applying).
              if (newWriters(structure, state).some((writer) => writer.clientId !== ownClient)) continue;
              if (hasMissingDependencies(structure, state)) continue;
              const before = readReleaseFields(server);
              const trial = new Y.Doc();
              Y.applyUpdate(trial, Y.encodeStateAsUpdate(server));
              let transaction: Y.Transaction | null = null;
              let changed = false;
              trial.on('afterTransaction', (tr: Y.Transaction) => {
                transaction = tr;
              });
              trial.on('update', () => {
                changed = true;
              });
              Y.applyUpdate(trial, update);
              // The room stores nothing for an update that changes nothing ('unchanged').
              if (transaction === null || !changed) continue;
              const verdict = authorizeTransaction(abilities[role], 'rel-1', before.status, transaction);
              if (!verdict.allowed) continue;
              expect(role).toBe('editor');
              expect(foreignContentIn(trial)).toEqual([]);
              const after = readReleaseFields(trial);
              for (const field of [...LABEL_FIELDS, 'status'] as const)
                expect(after[field]).toEqual(before[field]);
              Y.applyUpdate(server, update);
            }
          }
        },
      ),
      { numRuns: 300, ...(fcSeed === undefined ? {} : { seed: fcSeed }) },
    );
  });
});

describe('the room under adversarial updates, through the real stack', () => {
  it('stores and relays nothing forbidden, keeps every honest edit, and converges', {
    timeout: 150_000,
  }, async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), {
      numRuns: NUM_RUNS,
      endOnFailure: true,
      ...(fcSeed === undefined ? {} : { seed: fcSeed }),
      ...(process.env.FC_PATH === undefined ? {} : { path: process.env.FC_PATH }),
    });
    console.info(`room property: ${JSON.stringify(stats)}`);
    // Attacker updates still in flight at a run's end (an accepted or unchanged one has no answer)
    // land later: the stores of every run are checked again once all runs are over.
    for (const { releaseId, expectedStatus, allowedLabels } of checked) {
      const doc = (await stack.stores.documents.load(releaseId))!.doc;
      expect(foreignContentIn(doc)).toEqual([]);
      const fields = readReleaseFields(doc);
      expect(fields.status).toBe(expectedStatus);
      for (const field of LABEL_FIELDS) expect([...allowedLabels.get(field)!]).toContain(fields[field]);
    }
  });
});

describe('one client id, one clock, one struct, across handler processes', () => {
  /**
   * What the property found (the `resend-own` attack): an editor sends two different updates
   * under one client id of their own, both from clock 0, at once. Under the harsh gateway they
   * reach two handler processes, each room sees clock 0 as new and accepts its own version, and
   * the log stores both (PROTOCOL.md: parts the server already had are never stored). Replicas
   * then hold whichever arrived first: the store and the honest clients can disagree for good.
   */
  it('two different updates at one client and clock, sent at once, are not both stored', async () => {
    const releaseId = await createRelease(stack.stores, {
      ownerId: subs.editor,
      seed: { release: { title: 'Start' } },
    });
    const peer = createReleaseProvider(new Y.Doc(), {
      url: stack.config.websocketUrl,
      releaseId,
      getToken: () => tokens.manager,
      WebSocketImpl: WebSocket as unknown as WebSocketConstructor,
    });
    const raw = await openRawClient(stack.config.websocketUrl, releaseId, tokens.editor);
    try {
      await peer.whenSynced();
      for (let attempt = 0; attempt < 8; attempt++) {
        const base = Y.encodeStateAsUpdate(peer.doc);
        const [first, twin] = [new Y.Doc(), new Y.Doc()];
        Y.applyUpdate(first, base);
        Y.applyUpdate(twin, base);
        twin.clientID = first.clientID;
        const sv = Y.encodeStateVector(first);
        setReleaseField(first, 'genre', `first ${attempt}`);
        setReleaseField(twin, 'title', `forged ${attempt}`);
        setReleaseField(twin, 'genre', `second ${attempt}`);
        raw.sendMessage(writeSyncUpdate(Y.encodeStateAsUpdate(first, sv)));
        raw.sendMessage(writeSyncUpdate(Y.encodeStateAsUpdate(twin, sv)));
        await waitForClock(peer, first.clientID);
      }
      expect(conflictingStructs(await stack.stores.documents.readLogAfter(releaseId, 0))).toEqual([]);
    } finally {
      raw.ws.terminate();
      peer.destroy();
    }
  });
});

/** Resolves once `connection`'s document has something of `clientId` (stored, then relayed: ST1). */
function waitForClock(connection: ReleaseConnection, clientId: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing of client ${clientId} arrived`)), SETTLE_MS);
    const check = () => {
      if (Y.getState(connection.doc.store, clientId) === 0) return;
      clearTimeout(timer);
      connection.doc.off('update', check);
      resolve();
    };
    connection.doc.on('update', check);
    check();
  });
}
