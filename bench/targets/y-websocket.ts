import { randomUUID } from 'node:crypto';
import { createSheet } from '@patchline/shared';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startServerChild } from '../servers/child.js';
import type { BenchClient, BenchTarget } from '../workload.js';

/**
 * `@y/websocket-server` with plain y-websocket clients (binary frames, no auth, no storage).
 * The reference has no server-side seeding, so a seeder client brings the seed into each room
 * and leaves once everyone holds it.
 */
export async function startYWebsocket(): Promise<BenchTarget> {
  const child = await startServerChild<{ url: string }>('y-websocket-server.ts');
  const connect = (room: string, doc = new Y.Doc()): BenchClient => {
    const provider = new WebsocketProvider(child.info.url, room, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      // Clients share this process: a BroadcastChannel would sync them around the server.
      disableBc: true,
    });
    return {
      doc,
      awareness: provider.awareness,
      whenSynced: () =>
        provider.synced
          ? Promise.resolve()
          : new Promise((resolve) => provider.once('sync', () => resolve())),
      destroy: () => {
        provider.destroy();
        // The provider leaves its awareness (and its timer) to the document.
        doc.destroy();
      },
    };
  };
  return {
    name: 'y-websocket',
    serverPid: child.pid,
    async openRoom(seed) {
      const room = `bench-${randomUUID()}`;
      const seeder = connect(room, createSheet(seed));
      await seeder.whenSynced();
      return {
        connect: () => connect(room),
        afterJoin: async () => seeder.destroy(),
        close: async () => {},
      };
    },
    stop: () => child.stop(),
  };
}
