import type { SheetSeed } from '@patchline/shared';
import {
  createReleaseProvider,
  type ReleaseConnection,
  type WebSocketConstructor,
} from '@patchline/shared/client';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  createRelease,
  createStores,
  idTokenOf,
  type LocalConfig,
  type Stores,
} from '../patchline-internals.js';
import { startServerChild } from '../servers/child.js';
import type { BenchTarget } from '../workload.js';

/** Patchline under test, plus what the other scenarios need to reach it directly. */
export interface PatchlineTarget extends BenchTarget {
  config: LocalConfig;
  stores: Stores;
  /** The demo manager: may edit every field of every release. */
  ownerId: string;
  createRelease(seed: SheetSeed): Promise<string>;
  connect(
    releaseId: string,
    options?: { doc?: Y.Doc; WebSocketImpl?: WebSocketConstructor },
  ): ReleaseConnection;
}

/**
 * Starts the local stack in a child process with `workers` handler processes. Every run gets a
 * release of its own, created with `createRelease` and owned by the demo manager, whom every
 * client signs in as, so each may edit every track.
 */
export async function startPatchline(workers: number): Promise<PatchlineTarget> {
  const child = await startServerChild<{ config: LocalConfig }>('patchline-stack.ts', [String(workers)]);
  const { config } = child.info;
  const stores = createStores({ ...config.dynamodb, region: config.region });
  const token = await idTokenOf(config, 'manager');
  const ownerId = subOf(token);
  const connect: PatchlineTarget['connect'] = (releaseId, options = {}) =>
    createReleaseProvider(options.doc ?? new Y.Doc(), {
      url: config.websocketUrl,
      releaseId,
      getToken: () => token,
      WebSocketImpl: options.WebSocketImpl ?? (WebSocket as unknown as WebSocketConstructor),
    });
  return {
    name: 'patchline',
    serverPid: child.pid,
    config,
    stores,
    ownerId,
    connect,
    createRelease: (seed) => createRelease(stores, { ownerId, seed }),
    async openRoom(seed) {
      const releaseId = await createRelease(stores, { ownerId, seed });
      return {
        connect: () => {
          const connection = connect(releaseId);
          let rejections = 0;
          connection.on('rejected', () => {
            rejections++;
          });
          return {
            get doc() {
              return connection.doc;
            },
            get awareness() {
              return connection.awareness;
            },
            whenSynced: () => connection.whenSynced(),
            rejections: () => rejections,
            destroy: () => {
              connection.destroy();
              // The provider leaves its awareness (and its timer) to the document.
              connection.doc.destroy();
            },
          };
        },
        afterJoin: async () => {},
        async storedState() {
          const loaded = await stores.documents.load(releaseId);
          if (!loaded) throw new Error(`release ${releaseId} is gone`);
          return Y.encodeStateAsUpdate(loaded.doc);
        },
        close: async () => {},
      };
    },
    async stop() {
      stores.client.destroy();
      await child.stop();
    },
  };
}

/** The `sub` claim of an ID token (already verified by the server that issued it). */
function subOf(idToken: string): string {
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
  return String(payload.sub);
}
