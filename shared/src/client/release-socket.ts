import type { ControlMessage } from '../protocol/control-message.js';
import { ProtocolError } from '../protocol/errors.js';
import { writeMessageFrames } from '../protocol/frame.js';
import type { ProtocolLimits } from '../protocol/limits.js';
import { MessageAssembler } from '../protocol/message-assembler.js';

/** The constructor surface of the browser's WebSocket that we use (the `ws` package has it too). */
export interface WebSocketLike {
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ReleaseSocketOptions {
  releaseId: string;
  /** Called at every (re)connect, so a reconnect always carries a fresh ID token. */
  getToken: () => string | Promise<string>;
  WebSocketImpl: WebSocketConstructor;
  onControl: (message: ControlMessage) => void;
  limits?: Partial<ProtocolLimits>;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const decoder = new TextDecoder();

/**
 * A WebSocket class for y-websocket's `WebsocketProvider` (its `WebSocketPolyfill` option,
 * shared/PROTOCOL.md): binary y-protocols messages go out as base64 text frames of at most 32 KB, the
 * room name becomes the `doc` query parameter, a fresh token is added per connection, and
 * control messages are routed to `onControl` instead of the provider.
 */
/** What y-websocket constructs: a WebSocket that takes binary messages. */
export type ReleaseSocketClass = new (
  url: string,
) => Omit<WebSocketLike, 'send'> & { binaryType: string; send(data: ArrayBuffer | Uint8Array): void };

export function createReleaseSocketClass(options: ReleaseSocketOptions): ReleaseSocketClass {
  return class ReleaseSocket {
    static readonly CONNECTING = CONNECTING;
    static readonly OPEN = OPEN;
    static readonly CLOSING = CLOSING;
    static readonly CLOSED = CLOSED;
    readonly CONNECTING = CONNECTING;
    readonly OPEN = OPEN;
    readonly CLOSING = CLOSING;
    readonly CLOSED = CLOSED;

    binaryType = 'arraybuffer';
    readyState = CONNECTING;
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    private socket: WebSocketLike | null = null;
    private readonly assembler = new MessageAssembler(options.limits);

    constructor(url: string) {
      void this.open(url);
    }

    private async open(providerUrl: string): Promise<void> {
      let token: string;
      try {
        token = await options.getToken();
      } catch (error) {
        this.fail(error);
        return;
      }
      if (this.readyState !== CONNECTING) return; // closed while the token was fetched
      const url = new URL(providerUrl);
      url.pathname = '/';
      url.search = new URLSearchParams({ doc: options.releaseId, token }).toString();
      const socket = new options.WebSocketImpl(url.toString());
      this.socket = socket;
      socket.onopen = (event) => {
        this.readyState = OPEN;
        this.onopen?.(event);
      };
      socket.onmessage = (event) => this.receive(event.data);
      socket.onerror = (event) => this.onerror?.(event);
      socket.onclose = (event) => {
        this.readyState = CLOSED;
        this.onclose?.({ code: event.code, reason: event.reason });
      };
    }

    private receive(data: unknown): void {
      const text = typeof data === 'string' ? data : decoder.decode(data as Uint8Array);
      try {
        const received = this.assembler.receive(text);
        if (received.kind === 'message') {
          const { message } = received;
          this.onmessage?.({
            data: message.buffer.slice(
              message.byteOffset,
              message.byteOffset + message.byteLength,
            ) as ArrayBuffer,
          });
        } else if (received.kind === 'control') {
          options.onControl(received.message);
        }
      } catch (error) {
        // A frame we cannot read is dropped; the next sync repairs whatever it carried.
        if (!(error instanceof ProtocolError)) throw error;
        this.onerror?.(error);
      }
    }

    send(data: ArrayBuffer | Uint8Array): void {
      if (this.readyState !== OPEN || !this.socket) return;
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
      for (const frame of writeMessageFrames(bytes, options.limits)) this.socket.send(frame);
    }

    close(code?: number, reason?: string): void {
      if (this.readyState === CLOSED || this.readyState === CLOSING) return;
      if (this.socket) {
        this.readyState = CLOSING;
        this.socket.close(code, reason);
      } else {
        this.readyState = CLOSED;
        queueMicrotask(() => this.onclose?.({ code: code ?? 1000, reason: reason ?? '' }));
      }
    }

    private fail(error: unknown): void {
      this.readyState = CLOSED;
      this.onerror?.(error);
      this.onclose?.({ code: 1006, reason: 'token unavailable' });
    }
  };
}
