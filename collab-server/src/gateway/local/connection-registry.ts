import { randomBytes } from 'node:crypto';
import type { LocalConnection } from './local-connection.js';

/**
 * The open connections by id: what the management API looks up and `close()` walks. A
 * connection leaves the registry the moment its socket closes, so the management API answers
 * 410 Gone for it from then on, as API Gateway does.
 */
export class ConnectionRegistry {
  private readonly connections = new Map<string, LocalConnection>();

  /**
   * Mints an opaque id shaped like API Gateway's (`L0SM9cOFvHcCIhw=`: 11 random bytes, padded
   * base64). The `=` is kept on purpose: clients must URL-encode ids in management paths, and
   * handlers must treat ids as opaque strings.
   */
  mintId(): string {
    for (;;) {
      const id = `${randomBytes(11).toString('base64url')}=`;
      if (!this.connections.has(id)) return id;
    }
  }

  add(connection: LocalConnection): void {
    this.connections.set(connection.connectionId, connection);
  }

  get(connectionId: string): LocalConnection | undefined {
    return this.connections.get(connectionId);
  }

  delete(connection: LocalConnection): void {
    if (this.connections.get(connection.connectionId) === connection) {
      this.connections.delete(connection.connectionId);
    }
  }

  all(): LocalConnection[] {
    return [...this.connections.values()];
  }
}
