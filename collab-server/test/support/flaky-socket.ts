import type { WebSocketConstructor, WebSocketLike } from '@patchline/shared/client';
import { WebSocket } from 'ws';

/**
 * A `ws` socket whose frames, both ways, are delayed by a random 0–`maxDelayMs` (so they can
 * overtake each other), sometimes sent twice and, with `dropRate`, sometimes lost (a frame lost
 * on a live socket is what a reconnect recovers from): the network conditions the randomized
 * convergence test needs, produced for real on a loopback socket rather than mocked.
 */
export function createFlakySocketClass(
  random: () => number,
  options: { maxDelayMs: number; duplicateRate: number; dropRate?: () => number },
): WebSocketConstructor {
  const later = (action: () => void) => setTimeout(action, Math.floor(random() * options.maxDelayMs));
  return class FlakySocket implements WebSocketLike {
    readonly socket: WebSocket;
    onopen: WebSocketLike['onopen'] = null;
    onmessage: WebSocketLike['onmessage'] = null;
    onclose: WebSocketLike['onclose'] = null;
    onerror: WebSocketLike['onerror'] = null;

    constructor(url: string) {
      this.socket = new WebSocket(url);
      this.socket.onopen = (event) => this.onopen?.(event);
      this.socket.onerror = (event) => this.onerror?.(event);
      this.socket.onclose = (event) => this.onclose?.({ code: event.code, reason: event.reason });
      this.socket.onmessage = (event) => {
        const deliver = () =>
          this.socket.readyState === WebSocket.OPEN && this.onmessage?.({ data: event.data });
        if (options.dropRate && random() < options.dropRate()) return;
        later(deliver);
        if (random() < options.duplicateRate) later(deliver);
      };
    }

    get readyState() {
      return this.socket.readyState;
    }

    send(frame: string): void {
      const send = () => this.socket.readyState === WebSocket.OPEN && this.socket.send(frame);
      if (options.dropRate && random() < options.dropRate()) return;
      later(send);
      if (random() < options.duplicateRate) later(send);
    }

    close(code?: number, reason?: string): void {
      this.socket.close(code, reason);
    }
  };
}
