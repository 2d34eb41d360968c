import * as encoding from 'lib0/encoding';
import { ObservableV2 } from 'lib0/observable';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import { writeSyncStep1 } from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ControlMessage } from '../protocol/control-message.js';
import { JOIN_RESYNC_MS } from '../protocol/join-resync.js';
import type { ProtocolLimits } from '../protocol/limits.js';
import { createReleaseSocketClass, type WebSocketConstructor } from './release-socket.js';

export interface ReleaseConnectionOptions {
  /** The WebSocket gateway, e.g. `ws://127.0.0.1:4001`. */
  url: string;
  releaseId: string;
  /** A current Cognito ID token; called at every (re)connect. */
  getToken: () => string | Promise<string>;
  /** Defaults to the global `WebSocket` (browsers, Node 22+); pass `ws`'s class on Node 20. */
  WebSocketImpl?: WebSocketConstructor;
  connect?: boolean;
  limits?: Partial<ProtocolLimits>;
}

type Events = {
  /** Every control message, as received. */
  control: (message: ControlMessage) => void;
  /** An edit was refused; `doc` has been replaced by the server's state. */
  rejected: (message: Extract<ControlMessage, { type: 'rejected' }>) => void;
  'role-changed': (message: Extract<ControlMessage, { type: 'role-changed' }>) => void;
  /** Access was removed; the connection is closed and will not reconnect. */
  revoked: (message: Extract<ControlMessage, { type: 'revoked' }>) => void;
  /** The document was replaced (after a rejection); rebind editors to `doc`. */
  doc: (doc: Y.Doc) => void;
  synced: (isSynced: boolean) => void;
  status: (status: 'connecting' | 'connected' | 'disconnected') => void;
};

/**
 * One release's live connection: y-websocket's `WebsocketProvider` over the wire protocol,
 * plus what Patchline adds. A refused edit cannot be taken back inside a Y.Doc (CRDT history
 * only grows), so the connection converges back to the stored state by replacing its document
 * with a fresh one synced from the server, and says so with a `doc` event.
 */
export class ReleaseConnection extends ObservableV2<Events> {
  doc: Y.Doc;
  provider: WebsocketProvider;
  isRevoked = false;
  /** Set by `destroy`: nothing connects, replaces or emits afterwards. */
  isDestroyed = false;
  private joinResync: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ReleaseConnectionOptions & { doc?: Y.Doc }) {
    super();
    this.doc = options.doc ?? new Y.Doc();
    this.provider = this.createProvider(this.doc, null);
  }

  get awareness() {
    return this.provider.awareness;
  }

  /** Resolves once the current document has synced with the server. */
  whenSynced(): Promise<void> {
    if (this.provider.synced) return Promise.resolve();
    return new Promise((resolve) => {
      const onSynced = (isSynced: boolean) => {
        if (!isSynced) return;
        this.off('synced', onSynced);
        resolve();
      };
      this.on('synced', onSynced);
    });
  }

  /** Closes the connection for good; calling it again does nothing. */
  override destroy(): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    clearTimeout(this.joinResync);
    destroyProvider(this.provider);
    super.destroy();
  }

  private createProvider(doc: Y.Doc, localState: Record<string, unknown> | null): WebsocketProvider {
    const WebSocketImpl =
      this.options.WebSocketImpl ?? (globalThis.WebSocket as unknown as WebSocketConstructor);
    const socketClass = createReleaseSocketClass({
      releaseId: this.options.releaseId,
      getToken: this.options.getToken,
      WebSocketImpl,
      // A socket keeps delivering frames while it closes (`ws` on Node does). A refusal on a
      // replaced document's socket concerns nothing current; a revocation or a role change is
      // about the person, whichever socket brings it (the server may list the old connection
      // while the new one is still connecting, and then tell only the old one).
      onControl: (message) => {
        if (this.isDestroyed) return;
        if (provider === this.provider || message.type === 'revoked' || message.type === 'role-changed')
          this.handleControl(message);
      },
      ...(this.options.limits ? { limits: this.options.limits } : {}),
    });
    const provider = new WebsocketProvider(this.options.url, this.options.releaseId, doc, {
      WebSocketPolyfill: socketClass as unknown as typeof WebSocket,
      connect: this.options.connect ?? true,
      // Another tab's BroadcastChannel would bypass the server's permission checks.
      disableBc: true,
    });
    sendOwnAwarenessOnly(provider);
    if (localState) provider.awareness.setLocalState(localState);
    provider.on('sync', (isSynced: boolean) => {
      // Once per (re)connection: y-websocket reports synced again only after a reconnect.
      if (isSynced) this.scheduleJoinResync(provider);
      this.emit('synced', [isSynced]);
    });
    provider.on('status', ({ status }: { status: 'connecting' | 'connected' | 'disconnected' }) =>
      this.emit('status', [status]),
    );
    return provider;
  }

  /** Asks again for what the server holds once every handler's connection list has us (join-resync.ts). */
  private scheduleJoinResync(provider: WebsocketProvider): void {
    clearTimeout(this.joinResync);
    this.joinResync = setTimeout(
      () => {
        if (provider !== this.provider || !provider.wsconnected || !provider.ws) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        writeSyncStep1(encoder, provider.doc);
        provider.ws.send(encoding.toUint8Array(encoder));
      },
      JOIN_RESYNC_MS * (1 + Math.random()),
    );
  }

  private handleControl(message: ControlMessage): void {
    this.emit('control', [message]);
    if (message.type === 'rejected') {
      this.replaceDocument();
      this.emit('rejected', [message]);
    } else if (message.type === 'role-changed') {
      this.emit('role-changed', [message]);
    } else if (message.type === 'revoked') {
      this.isRevoked = true;
      this.provider.disconnect();
      this.emit('revoked', [message]);
    }
  }

  private replaceDocument(): void {
    clearTimeout(this.joinResync);
    const localState = this.provider.awareness.getLocalState();
    destroyProvider(this.provider);
    this.doc = new Y.Doc();
    this.provider = this.createProvider(this.doc, localState);
    this.emit('doc', [this.doc]);
  }
}

/**
 * Destroys a provider and the awareness it made: y-websocket leaves the awareness running (its
 * presence-renewal interval, its local state), so a replaced document's presence would otherwise
 * live on, renewing itself forever, and keep the page's timers busy after `destroy`.
 */
function destroyProvider(provider: WebsocketProvider): void {
  provider.destroy();
  provider.awareness.destroy();
}

/** y-websocket's message types. */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

/**
 * y-websocket sends every awareness change it applies back to the server, other people's
 * included, and the server keeps only each connection's own client (handle-message.ts). So each
 * change anyone made cost one more handler invocation per person present: ten people renewing
 * their presence every 15 s made a hundred. The provider's handler is swapped (under its own
 * name, so `destroy` still removes it) for one that sends this client's own entry only.
 */
function sendOwnAwarenessOnly(provider: WebsocketProvider): void {
  const { awareness } = provider;
  awareness.off('update', provider._awarenessUpdateHandler);
  provider._awarenessUpdateHandler = ({ added, updated, removed }: Record<string, number[]>) => {
    const own = awareness.clientID;
    if (!added!.includes(own) && !updated!.includes(own) && !removed!.includes(own)) return;
    if (!provider.wsconnected || !provider.ws) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [own]));
    provider.ws.send(encoding.toUint8Array(encoder));
  };
  awareness.on('update', provider._awarenessUpdateHandler);
}

/**
 * The client factory tests, benchmarks and the web app share.
 * @example
 * const connection = createReleaseProvider(new Y.Doc(), { url: 'ws://127.0.0.1:4001', releaseId, getToken });
 * await connection.whenSynced();
 */
export function createReleaseProvider(doc: Y.Doc, options: ReleaseConnectionOptions): ReleaseConnection {
  return new ReleaseConnection({ ...options, doc });
}
