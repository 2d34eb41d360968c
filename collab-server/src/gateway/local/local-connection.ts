import { WebSocket } from 'ws';
import type { HandlerResult, RouteKey, WebSocketEvent } from '../api-gateway-event.js';
import type { ConnectionScheduler } from './invocation-order.js';
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
  /** When `$default` and `$disconnect` start: in order, or harshly (`invocation-order.ts`). */
  scheduler: ConnectionScheduler;
  /** Called as soon as the socket is closed, before `$disconnect` runs. */
  onClosed(connection: LocalConnection): void;
}

/**
 * One upgraded client socket. It turns text frames into `$default` invocations, enforces API
 * Gateway's idle and lifetime limits, and fires `$disconnect` exactly once. The scheduler
 * decides when each invocation starts: in `in-order` mode one at a time, in arrival order,
 * `$disconnect` last; in `harsh` mode concurrently, in any order, `$disconnect` not waiting
 * for the messages (README, "Ordering").
 */
export class LocalConnection {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** Last client message (epoch ms), reported by `GetConnection`. */
  lastActiveAt: number;
  /** Resolves once `$disconnect` has settled (in harsh mode, messages may still be running). */
  readonly disconnected: Promise<void>;

  private readonly socket: WebSocket;
  private readonly context: EventContext;
  private readonly invoke: RouteInvoker;
  private readonly scheduler: ConnectionScheduler;
  private readonly timers: NodeJS.Timeout[] = [];
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
    this.scheduler = init.scheduler;

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
      void this.scheduler.message(() => this.invoke('$default', event));
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
      this.scheduler.disconnect(() => this.invoke('$disconnect', event)).then(markDisconnected);
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

  /**
   * Closes for a gateway shutdown; a client that does not answer the close frame is cut off.
   * In harsh mode messages may outlive `$disconnect`: the gateway waits for those itself.
   */
  shutdown(graceMs: number): Promise<void> {
    this.close(GatewayCloseCode.goingAway, 'Going away', 'gateway shutdown');
    const cutOff = setTimeout(() => this.socket.terminate(), graceMs);
    this.timers.push(cutOff);
    return this.disconnected.finally(() => clearTimeout(cutOff));
  }
}

function rawDataToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
