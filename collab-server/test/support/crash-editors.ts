import { addTrack, MessageAssembler, readSheet, readTracks, setTrackField } from '@patchline/shared';
import {
  createReleaseProvider,
  type ReleaseConnection,
  type WebSocketConstructor,
  type WebSocketLike,
} from '@patchline/shared/client';
import * as decoding from 'lib0/decoding';
import { onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

/** One edit a client made: what it wrote, and the clock its client id reached with it. */
export interface Edit {
  label: string;
  clientId: number;
  /** `Y.getState` of the writer's own client id right after the edit. */
  endClock: number;
}

/** A clock per Yjs client id (a state vector). */
export type Clocks = Map<number, number>;

/**
 * A release connection that keeps editing and records what the crash tests judge by:
 * - every state vector the server sent it in a sync step 1 (PROTOCOL.md: the server's state
 *   vectors are of stored state only, so everything they cover is stored);
 * - `violations`: a server state vector, received on a socket, that did not cover what this
 *   client had already received from the server before it opened that socket. What a client
 *   receives was stored first (ARCHITECTURE.md, "The update path"), and the server computes
 *   that state vector after the socket opened, so such a vector means stored edits were lost;
 *   the client would then send them back, which would hide the loss from a later look at the
 *   store.
 */
export class CrashEditor {
  readonly connection: ReleaseConnection;
  readonly edits: Edit[] = [];
  /** Highest clock per client id over every server sync step 1 state vector received. */
  readonly serverCovered: Clocks = new Map();
  readonly violations: string[] = [];
  readonly rejections: string[] = [];
  private ownTracks: string[] = [];
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    url: string,
    releaseId: string,
    token: string,
  ) {
    this.connection = createReleaseProvider(new Y.Doc(), {
      url,
      releaseId,
      getToken: () => token,
      WebSocketImpl: this.socketClass(),
    });
    this.connection.on('rejected', (message) =>
      this.rejections.push(`${message.reason}: ${message.message}`),
    );
    onTestFinished(() => this.destroy());
  }

  get doc(): Y.Doc {
    return this.connection.doc;
  }

  get clientId(): number {
    return this.doc.clientID;
  }

  /** Edits every `everyMs`: adds a track, or sets the version of one it added. */
  startEditing(everyMs: number, random: () => number): void {
    this.timer = setInterval(() => this.editOnce(random), everyMs);
  }

  stopEditing(): void {
    clearInterval(this.timer);
  }

  editOnce(random: () => number): void {
    const label = `${this.name} #${this.sequence++}`;
    const existing = new Set(readTracks(this.doc).map((track) => track.id));
    const own = this.ownTracks.filter((id) => existing.has(id));
    if (own.length > 0 && random() < 0.5) {
      setTrackField(this.doc, own[Math.floor(random() * own.length)]!, 'version', label);
    } else {
      this.ownTracks.push(addTrack(this.doc, { title: label }));
    }
    this.edits.push({ label, clientId: this.clientId, endClock: Y.getState(this.doc.store, this.clientId) });
  }

  /** Closes the socket; the provider reconnects by itself and syncs again. */
  reconnect(): void {
    this.connection.provider.ws?.close();
  }

  destroy(): void {
    this.stopEditing();
    this.connection.destroy();
  }

  /** A `ws` socket that reads the server's frames as the client will, to see its sync step 1s. */
  private socketClass(): WebSocketConstructor {
    const editor = this;
    return class RecordingSocket implements WebSocketLike {
      private readonly socket: WebSocket;
      private readonly assembler = new MessageAssembler();
      /** What this client held from others when it opened the socket: all of it stored. */
      private readonly heldAtOpen: Clocks;
      onopen: WebSocketLike['onopen'] = null;
      onmessage: WebSocketLike['onmessage'] = null;
      onclose: WebSocketLike['onclose'] = null;
      onerror: WebSocketLike['onerror'] = null;

      constructor(url: string) {
        const own = editor.connection?.doc.clientID;
        this.heldAtOpen = editor.connection
          ? Y.decodeStateVector(Y.encodeStateVector(editor.connection.doc))
          : new Map();
        if (own !== undefined) this.heldAtOpen.delete(own);
        this.socket = new WebSocket(url);
        this.socket.onopen = (event) => this.onopen?.(event);
        this.socket.onerror = (event) => this.onerror?.(event);
        this.socket.onclose = (event) => this.onclose?.({ code: event.code, reason: event.reason });
        this.socket.onmessage = (event) => {
          this.observe(String(event.data));
          this.onmessage?.({ data: event.data });
        };
      }

      get readyState() {
        return this.socket.readyState;
      }

      send(frame: string): void {
        this.socket.send(frame);
      }

      close(code?: number, reason?: string): void {
        this.socket.close(code, reason);
      }

      private observe(frame: string): void {
        let received: ReturnType<MessageAssembler['receive']>;
        try {
          received = this.assembler.receive(frame);
        } catch {
          return; // the client drops it too
        }
        if (received.kind !== 'message') return;
        const decoder = decoding.createDecoder(received.message);
        // y-protocols: messageSync (0), then messageYjsSyncStep1 (0) and the state vector.
        if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 0) return;
        const stateVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
        for (const [client, clock] of stateVector) {
          if (clock > (editor.serverCovered.get(client) ?? 0)) editor.serverCovered.set(client, clock);
        }
        for (const [client, clock] of this.heldAtOpen) {
          const covered = stateVector.get(client) ?? 0;
          if (covered < clock) {
            editor.violations.push(
              `${editor.name}: a server state vector covers client ${client} to clock ${covered}, ` +
                `but ${clock} had been received from the server before this socket opened`,
            );
          }
        }
      }
    };
  }
}

/**
 * Per writer, the clock up to which its edits are known to be stored: what any other client
 * received of it (it came from the server's fan-out or a sync step 2, both sent after storing),
 * or what any server state vector covered. Read it before loading the store.
 */
export function storedAtLeast(editors: CrashEditor[]): Clocks {
  const clocks: Clocks = new Map();
  for (const writer of editors) {
    let clock = 0;
    for (const other of editors) {
      if (other !== writer) clock = Math.max(clock, Y.getState(other.doc.store, writer.clientId));
      clock = Math.max(clock, other.serverCovered.get(writer.clientId) ?? 0);
    }
    clocks.set(writer.clientId, clock);
  }
  return clocks;
}

/** The edits, among those `atLeast` says are stored, that `doc` does not hold. */
export function missingEdits(editors: CrashEditor[], atLeast: Clocks, doc: Y.Doc): string[] {
  return editors.flatMap((writer) =>
    writer.edits
      .filter(
        (edit) =>
          edit.endClock <= (atLeast.get(edit.clientId) ?? 0) &&
          Y.getState(doc.store, edit.clientId) < edit.endClock,
      )
      .map((edit) => `${edit.label} (client ${edit.clientId}, clock ${edit.endClock})`),
  );
}

/** Each client's state vector, for failure messages. */
export function describeStates(editors: CrashEditor[], atLeast: Clocks, stored?: Y.Doc): string {
  const vectorOf = (doc: Y.Doc) =>
    editors.map((writer) => `${writer.name}=${Y.getState(doc.store, writer.clientId)}`).join(' ');
  return [
    `stored at least: ${editors.map((writer) => `${writer.name}=${atLeast.get(writer.clientId)}`).join(' ')}`,
    ...editors.map((editor) => `${editor.name} holds: ${vectorOf(editor.doc)}`),
    ...(stored ? [`store holds: ${vectorOf(stored)}`] : []),
  ].join('\n');
}

/** Whether every client holds everything every client wrote (equal state vectors). */
export function haveConverged(editors: CrashEditor[]): boolean {
  const [first, ...others] = editors.map((editor) => Y.encodeStateVector(editor.doc));
  return others.every((vector) => Buffer.from(vector).equals(Buffer.from(first!)));
}

/** The sheet as JSON, to compare documents. */
export const sheetOf = (doc: Y.Doc) => JSON.stringify(readSheet(doc));

/**
 * Resolves once every client holds what every client wrote; rejects after `timeoutMs` with
 * everyone's state (a lost edit no one can send again would otherwise only time out).
 */
export function waitForConvergence(editors: CrashEditor[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const docs = editors.map((editor) => editor.doc);
    const done = () => {
      clearTimeout(timer);
      for (const doc of docs) doc.off('update', check);
    };
    const check = () => {
      if (!haveConverged(editors)) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(`no convergence in ${timeoutMs} ms\n${describeStates(editors, storedAtLeast(editors))}`),
      );
    }, timeoutMs);
    for (const doc of docs) doc.on('update', check);
    check();
  });
}
