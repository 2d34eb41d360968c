import { notesFragment, type ReleaseFieldName, type SheetSeed, setReleaseField } from '@patchline/shared';
import * as Y from 'yjs';
import type { ServerCpu } from './server-cpu.js';
import { round, roundSummary, summarize } from './stats.js';
import {
  type BenchClient,
  type BenchTarget,
  haveConverged,
  JOIN_TIMEOUT_MS,
  paceEdits,
  settle,
  until,
  type WorkloadOptions,
  type WorkloadResult,
  within,
} from './workload.js';

export interface TypingOptions extends WorkloadOptions {
  /** Encoded size the notes are typed to, through the server, before the clients join (0: none). */
  pretypeBytes: number;
  /** How many updates that pre-typing is cut into (fewer: bigger chunks, fewer Yjs items). */
  pretypeUpdates: number;
  /** Measures the server's CPU from the first edit until the run is over, when given. */
  serverCpu?: () => () => ServerCpu;
  /** Awaited just before the first edit, e.g. until the server is done with the joins. */
  beforeEdits?: () => Promise<void>;
}

export interface TypingResult extends WorkloadResult {
  workload: 'typing';
  pretype: { targetBytes: number; updates: number; ms: number } | null;
  /** Encoded document (Y.encodeStateAsUpdate) when the edits start and when they end. */
  documentBytes: { atStart: number; atEnd: number; stored: number | null };
  /** Edits in the stored document (Patchline), or else seen by at least one other client. */
  acceptedEdits: number;
  /** Edits the server refused (Patchline's `rejected` messages). */
  rejections: number;
  /** Clients whose document was replaced during the run (Patchline does that after a refusal). */
  replacedDocuments: number;
  serverCpu: (ServerCpu & { msPerAcceptedEdit: number; workersMsPerAcceptedEdit: number | null }) | null;
}

/** Release text fields an editor may set (permissions' TEAM_RELEASE_FIELDS): one per writer. */
const TEAM_TEXT_FIELDS = ['title', 'genre', 'displayArtist', 'version'] as const satisfies ReleaseFieldName[];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz    ';
/** Pre-typed notes go into paragraphs of about this many characters. */
const PRETYPE_PARAGRAPH_CHARS = 2_000;
/** Pre-typing chunks in flight before the typist waits for the watcher to see them. */
const PRETYPE_WINDOW = 8;
const PRETYPE_STALL_MS = 30_000;

/** Small seeded PRNG (mulberry32), so every server gets the same keystrokes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const randomText = (next: () => number, length: number) =>
  Array.from({ length }, () => LETTERS[Math.floor(next() * LETTERS.length)]).join('');

/** The Y.XmlText of the notes' paragraph `index` (the seed gives every paragraph one). */
function paragraphText(doc: Y.Doc, index: number): Y.XmlText {
  const paragraph = notesFragment(doc).get(index);
  const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null;
  if (!(text instanceof Y.XmlText)) throw new Error(`notes paragraph ${index} holds no text`);
  return text;
}

const encodedBytes = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc).length;

/**
 * Types the notes up to `targetBytes` of encoded document through the server, before anyone
 * measured joins: a typist writes paragraphs of about 2,000 characters, each chunk at a random
 * place in the paragraph being written (so the text is many Yjs items, as typing makes), while
 * a watcher connected to the same room paces it: at most 8 chunks unseen by the watcher.
 * Both stay connected until the measured clients hold everything (the in-memory reference
 * servers drop a room when its last client leaves).
 */
async function pretype(
  target: BenchTarget,
  room: { connect(): BenchClient },
  options: Pick<TypingOptions, 'pretypeBytes' | 'pretypeUpdates'>,
): Promise<{ typist: BenchClient; watcher: BenchClient; finalClock: number; ms: number; updates: number }> {
  const startedAt = performance.now();
  const typist = room.connect();
  const watcher = room.connect();
  await within(
    Promise.all([typist.whenSynced(), watcher.whenSynced()]),
    JOIN_TIMEOUT_MS,
    `${target.name}: pre-typing clients joining`,
  );
  if (!(await until(() => notesFragment(typist.doc).length > 0, JOIN_TIMEOUT_MS)))
    throw new Error(`${target.name}: the seed never reached the typist`);
  const doc = typist.doc;
  const id = doc.clientID;
  const next = random(0x5eed);
  const chunkChars = Math.max(1, Math.ceil(options.pretypeBytes / options.pretypeUpdates));
  const sent: number[] = [];
  const seen = () => Y.getState(watcher.doc.store, id);
  let paragraph: Y.XmlText | null = null;
  let bytes = encodedBytes(doc);
  while (bytes < options.pretypeBytes) {
    doc.transact(() => {
      if (!paragraph || paragraph.length >= PRETYPE_PARAGRAPH_CHARS) {
        const element = new Y.XmlElement('paragraph');
        paragraph = new Y.XmlText();
        element.insert(0, [paragraph]);
        notesFragment(doc).push([element]);
      }
      paragraph.insert(Math.floor(next() * (paragraph.length + 1)), randomText(next, chunkChars));
    });
    sent.push(Y.getState(doc.store, id));
    const waitFor = sent[sent.length - 1 - PRETYPE_WINDOW];
    if (waitFor !== undefined && !(await until(() => seen() >= waitFor, PRETYPE_STALL_MS, 2)))
      throw new Error(`${target.name}: pre-typing stalled after ${sent.length} updates`);
    if (sent.length % 20 === 0) bytes = encodedBytes(doc);
    if (sent.length > options.pretypeUpdates * 4) throw new Error('pre-typing never reached its size');
  }
  const finalClock = Y.getState(doc.store, id);
  if (!(await until(() => seen() >= finalClock, PRETYPE_STALL_MS, 10)))
    throw new Error(`${target.name}: the pre-typed notes never all came back`);
  return { typist, watcher, finalClock, ms: round(performance.now() - startedAt), updates: sent.length };
}

/**
 * "Typing" (README "Benchmark"): `clients` people in one release, 5 edits/s each. An edit is
 * one transaction, as one keystroke in the editor is: 1–3 letters typed at a random place in
 * the one shared notes paragraph or appended to the person's own paragraph (Y.XmlText inside
 * a `paragraph` Y.XmlElement, the shape Tiptap's collaboration extension writes), plus one
 * release text field set (a team field; each person has one). The notes grow through the run.
 *
 * Delivery is read from state vectors: a writer records its own clock after each edit, and a
 * receiver has seen edit k once its document's clock for that writer reaches it, which also
 * counts earlier edits folded into one message. Latency is from just before the edit to the
 * receiver's `update` event (observers have run: it is visible). With `pretypeBytes`, the notes
 * are first typed to that size through the server (`pretype`), so everyone joins a big document.
 */
export async function runTypingWorkload(target: BenchTarget, options: TypingOptions): Promise<TypingResult> {
  const { clients: count, editsPerSecond, durationMs } = options;
  const seed: SheetSeed = {
    release: { title: 'Typing benchmark' },
    notes: ['Shared notes:', ...Array.from({ length: count }, (_, i) => `Person ${i}:`)].join('\n'),
  };
  const room = await target.openRoom(seed);
  const helpers: BenchClient[] = [];
  const clients: BenchClient[] = [];
  try {
    let pretyped: { targetBytes: number; updates: number; ms: number } | null = null;
    let hasPretyped = () => true;
    if (options.pretypeBytes > 0) {
      const typing = await pretype(target, room, options);
      helpers.push(typing.typist, typing.watcher);
      pretyped = { targetBytes: options.pretypeBytes, updates: typing.updates, ms: typing.ms };
      const { clientID } = typing.typist.doc;
      hasPretyped = () =>
        clients.every((client) => Y.getState(client.doc.store, clientID) >= typing.finalClock);
    }

    for (let i = 0; i < count; i++) clients.push(room.connect());
    await within(
      Promise.all(clients.map((client) => client.whenSynced())),
      JOIN_TIMEOUT_MS,
      `${target.name}: ${count} clients joining`,
    );
    const hasSeed = () =>
      clients.every((client) => notesFragment(client.doc).length >= count + 1) && hasPretyped();
    if (!(await until(hasSeed, JOIN_TIMEOUT_MS))) throw new Error(`${target.name}: the seed never arrived`);
    for (const [i, client] of clients.entries())
      client.awareness.setLocalStateField('user', { name: `typist ${i}` });
    // Counting only the measured people: the seeder, typist and watcher are present too.
    const people = (client: BenchClient) =>
      [...client.awareness.getStates().values()].filter((state) => state.user).length;
    const allPresent = () => clients.every((client) => people(client) >= count);
    if (!(await until(allPresent, JOIN_TIMEOUT_MS)))
      throw new Error(`${target.name}: presence never settled`);
    await room.afterJoin();
    for (const helper of helpers.splice(0)) helper.destroy();

    // Each client's document as it joined: a Patchline client that gets an edit refused
    // replaces its document, and what it then misses counts as not delivered.
    const docs = clients.map((client) => client.doc);
    const ids = docs.map((doc) => doc.clientID);
    const atStartBytes = encodedBytes(docs[0]!);
    const editsPerClient = Math.round((editsPerSecond * durationMs) / 1000);
    const sentAt = clients.map(() => new Float64Array(editsPerClient + 1));
    // endClock[writer][seq]: the writer's own clock just after edit `seq` (1-based).
    const endClock = clients.map(() => new Float64Array(editsPerClient + 1).fill(Infinity));
    const sentBy = new Int32Array(count);
    // lastSeen[receiver * count + writer]: the highest edit of the writer the receiver holds.
    const lastSeen = new Int32Array(count * count);
    const expectedDeliveries = editsPerClient * count * (count - 1);
    const latencies = new Float64Array(expectedDeliveries);
    let deliveries = 0;
    let directDeliveries = 0;
    let isCounting = true;

    docs.forEach((doc, receiver) => {
      doc.on('update', () => {
        if (!isCounting) return;
        const now = performance.now();
        for (let writer = 0; writer < count; writer++) {
          if (writer === receiver) continue;
          const slot = receiver * count + writer;
          const state = Y.getState(doc.store, ids[writer]!);
          let seq = lastSeen[slot]!;
          if (seq >= sentBy[writer]! || endClock[writer]![seq + 1]! > state) continue;
          while (seq < sentBy[writer]! && endClock[writer]![seq + 1]! <= state) {
            seq++;
            latencies[deliveries++] = now - sentAt[writer]![seq]!;
          }
          directDeliveries++;
          lastSeen[slot] = seq;
        }
      });
    });

    await options.beforeEdits?.();
    const stopServerCpu = options.serverCpu?.();
    const { lastSentAt, sendMs } = await paceEdits(count, editsPerSecond, editsPerClient, (writer) => {
      const doc = docs[writer]!;
      const next = random(writer + 1);
      const shared = paragraphText(doc, 0);
      const own = paragraphText(doc, writer + 1);
      const field = TEAM_TEXT_FIELDS[writer % TEAM_TEXT_FIELDS.length]!;
      return (seq, now) => {
        sentAt[writer]![seq] = now;
        const typed = randomText(next, 1 + Math.floor(next() * 3));
        doc.transact(() => {
          if (next() < 0.5) shared.insert(Math.floor(next() * (shared.length + 1)), typed);
          else own.insert(own.length, typed);
          setReleaseField(doc, field, `${field} ${writer}.${seq}`);
        });
        endClock[writer]![seq] = Y.getState(doc.store, ids[writer]!);
        sentBy[writer] = seq;
      };
    });
    const { drainMs, converged, convergedAfterMs } = await settle(
      lastSentAt,
      options,
      () => deliveries >= expectedDeliveries,
      () => {
        isCounting = false;
      },
      () => clients.map((c) => c.doc),
    );
    const serverCpu = stopServerCpu?.() ?? null;

    let storedConverged: boolean | null = null;
    let storedBytes: number | null = null;
    let accepted: (writer: number, seq: number) => boolean = (writer, seq) =>
      docs.some((_, receiver) => receiver !== writer && lastSeen[receiver * count + writer]! >= seq);
    if (room.storedState) {
      const state = await within(
        room.storedState(),
        JOIN_TIMEOUT_MS,
        `${target.name}: reading the stored document`,
      );
      storedBytes = state.length;
      const stored = new Y.Doc();
      Y.applyUpdate(stored, state);
      storedConverged = haveConverged([clients[0]!.doc, stored]);
      accepted = (writer, seq) => Y.getState(stored.store, ids[writer]!) >= endClock[writer]![seq]!;
    }
    let acceptedEdits = 0;
    for (let writer = 0; writer < count; writer++)
      for (let seq = 1; seq <= sentBy[writer]!; seq++) if (accepted(writer, seq)) acceptedEdits++;
    return {
      workload: 'typing',
      target: target.name,
      clients: count,
      editsPerSecond,
      durationMs,
      edits: count * editsPerClient, // paceEdits makes every one
      sendMs: round(sendMs),
      expectedDeliveries,
      deliveries,
      deliveryRatio: expectedDeliveries === 0 ? 1 : deliveries / expectedDeliveries,
      directDeliveries,
      drainMs: round(drainMs),
      latencyMs: roundSummary(summarize(latencies.subarray(0, deliveries))),
      converged,
      convergedAfterMs,
      storedConverged,
      pretype: pretyped,
      documentBytes: { atStart: atStartBytes, atEnd: encodedBytes(clients[0]!.doc), stored: storedBytes },
      acceptedEdits,
      rejections: clients.reduce((sum, client) => sum + (client.rejections?.() ?? 0), 0),
      replacedDocuments: clients.filter((client, i) => client.doc !== docs[i]).length,
      serverCpu: serverCpu && {
        ...serverCpu,
        msPerAcceptedEdit: round(serverCpu.serverMs / acceptedEdits, 2),
        workersMsPerAcceptedEdit:
          serverCpu.workersMs === null ? null : round(serverCpu.workersMs / acceptedEdits, 2),
      },
    };
  } finally {
    for (const client of [...helpers, ...clients]) client.destroy();
    await room.close();
  }
}
