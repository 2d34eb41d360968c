import { randomUUID } from 'node:crypto';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { createSheet } from '@patchline/shared';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { startServerChild } from '../servers/child.js';
import type { BenchClient, BenchTarget } from '../workload.js';

/**
 * `@hocuspocus/server` with its SQLite extension, and `@hocuspocus/provider` clients (its
 * protocol prefixes every message with the document name, so plain y-websocket clients cannot
 * talk to it). One socket per client, as separate browsers would have.
 */
export async function startHocuspocus(): Promise<BenchTarget> {
  const child = await startServerChild<{ url: string }>('hocuspocus-server.ts');
  const connect = (name: string, document = new Y.Doc()): BenchClient => {
    const websocketProvider = new HocuspocusProviderWebsocket({
      url: child.info.url,
      WebSocketPolyfill: WebSocket,
    });
    const provider = new HocuspocusProvider({ name, document, websocketProvider });
    provider.attach();
    return {
      doc: document,
      awareness: provider.awareness!,
      whenSynced: () =>
        new Promise<void>((resolve) => {
          if (provider.isSynced) return resolve();
          // The provider's emitter has no `once`.
          const onSynced = () => {
            provider.off('synced', onSynced);
            resolve();
          };
          provider.on('synced', onSynced);
        }),
      destroy: () => {
        provider.destroy();
        websocketProvider.destroy();
        document.destroy();
      },
    };
  };
  return {
    name: 'hocuspocus',
    serverPid: child.pid,
    async openRoom(seed) {
      const name = `bench-${randomUUID()}`;
      const seeder = connect(name, createSheet(seed));
      await seeder.whenSynced();
      return {
        connect: () => connect(name),
        afterJoin: async () => seeder.destroy(),
        close: async () => {},
      };
    },
    stop: () => child.stop(),
  };
}
