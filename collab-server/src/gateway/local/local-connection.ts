import { WebSocket } from 'ws';
import type { HandlerResult, RouteKey, WebSocketEvent } from '../api-gateway-event.js';
import { buildDisconnectEvent, buildMessageEvent, type EventContext } from './websocket-events.js';

/** Calls a route handler; never rejects (failures are already logged and mapped to 500). */
export type RouteInvoker = (route: RouteKey, event: WebSocketEvent) => Promise<HandlerResult>;

/** Close codes API Gateway itself sends. */
export const GatewayCloseCode = {
  normal: 1000,
  /** Idle timeout, maximum duration, gateway shutdown. */
  goingAway: 1001,
  /** A binary frame: API Gateway WebSocket APIs take text only. */
  unsupportedData: 1003,
  /** A frame over the 32 KB frame limit. */
  messageTooBig: 1009,
} as const;

/** A freshly upgraded socket and what its connection needs from the gateway. */
export interface LocalConnectionInit {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string;
  socket: WebSocket;
  context: EventContext;
  idleTimeoutMs: number;
  maxConnectionMs: number;
  invoke: RouteInvoker;
  /** Called as soon as the socket is closed, before `$disconnect` runs. */
  onClosed(connection: LocalConnection): void;
}

/**
 * One upgraded client socket. It turns text frames into `$default` invocations, one at a time
 * (the next frame's handler starts only after the previous one settled, so a connection's
 * messages are handled in order even when they land on different workers), enforces API
 * Gateway's idle and lifetime limits, and fires `$disconnect` exactly once, after the
 * messages already received.
 */
export class LocalConnection {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** Last client message (epoch ms), reported by `GetConnection`. */
  lastActiveAt: number;
  /** Resolves once `$disconnect` has settled. */
  readonly disconnected: Promise<void>;

  private readonly socket: WebSocket;
  private readonly context: EventContext;
  private readonly invoke: RouteInvoker;
  private readonly timers: NodeJS.Timeout[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Why the gateway closed the socket, when it did: the peer's echo may not arrive. */
  private serverClose?: { code: number; reason: string };

  constructor(init: LocalConnectionInit) {
    this.connectionId = init.connectionId;
    this.connectedAt = init.connectedAt;
    this.lastActiveAt = init.connectedAt;
    this.sourceIp = init.sourceIp;
    this.userAgent = init.userAgent;
    this.socket = init.socket;
    this.context = init.context;
    this.invoke = init.invoke;

    const idle = setTimeout(
      () => this.close(GatewayCloseCode.goingAway, 'Going away', 'idle timeout'),
      init.idleTimeoutMs,
    );
    const lifetime = setTimeout(
      () => this.close(GatewayCloseCode.goingAway, 'Going away', 'maximum connection duration'),
      init.maxConnectionMs,
    );
    this.timers.push(idle, lifetime);

    this.socket.on('message', (data, isBinary) => {
      if (this.socket.readyState !== WebSocket.OPEN) return;
      if (isBinary) {
        this.close(GatewayCloseCode.unsupportedData, 'Binary frames are not supported', 'binary frame');
        return;
      }
      this.lastActiveAt = Date.now();
      idle.refresh();
      const event = buildMessageEvent(this.context, this, rawDataToString(data));
      this.enqueue(() => this.invoke('$default', event));
    });

    // ws closes the socket itself on protocol errors; only the cause is recorded here, since
    // the peer's close frame (which would carry the code) is not read after the error.
    this.socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.serverClose ??= { code: GatewayCloseCode.messageTooBig, reason: 'frame too big' };
      }
    });

    let markDisconnected: () => void;
    this.disconnected = new Promise((resolve) => {
      markDisconnected = resolve;
    });
    this.socket.on('close', (code, reason) => {
      for (const timer of this.timers) clearTimeout(timer);
      init.onClosed(this);
      const hasNoCode = code === 1005 || code === 1006;
      const statusCode = hasNoCode && this.serverClose ? this.serverClose.code : code;
      const text = this.serverClose?.reason ?? reason.toString('utf8');
      const event = buildDisconnectEvent(this.context, this, statusCode, text);
      this.enqueue(() => this.invoke('$disconnect', event)).then(markDisconnected);
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** `PostToConnection`: the bytes go out as one text frame, whatever their size. */
  send(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) {
        reject(new Error(`connection ${this.connectionId} is not open`));
        return;
      }
      this.socket.send(data, { binary: false }, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Starts the closing handshake; `$disconnect` follows when the socket is closed. */
  close(code: number, frameReason: string, disconnectReason = frameReason): void {
    const state = this.socket.readyState;
    if (state !== WebSocket.OPEN && state !== WebSocket.CONNECTING) return;
    this.serverClose ??= { code, reason: disconnectReason };
    this.socket.close(code, frameReason);
  }

  /** Closes for a gateway shutdown; a client that does not answer the close frame is cut off. */
  shutdown(graceMs: number): Promise<void> {
    this.close(GatewayCloseCode.goingAway, 'Going away', 'gateway shutdown');
    const cutOff = setTimeout(() => this.socket.terminate(), graceMs);
    this.timers.push(cutOff);
    return this.disconnected.finally(() => clearTimeout(cutOff));
  }

  private enqueue(task: () => Promise<unknown>): Promise<unknown> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function rawDataToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
