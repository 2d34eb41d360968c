import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { mulberry32 } from '../src/gateway/local/invocation-order.js';
import { createStores } from '../src/store/create-stores.js';
import { ensureTable } from '../src/store/ensure-table.js';
import {
  type Clocks,
  CrashEditor,
  describeStates,
  haveConverged,
  missingEdits,
  sheetOf,
  storedAtLeast,
  waitForConvergence,
} from './support/crash-editors.js';
import {
  handlerWorkerPids,
  type KillableProcess,
  spawnDynaliteProcess,
  spawnGatewayProcess,
} from './support/crash-processes.js';
import { freePort } from './support/gateway-process.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

// kill -9 mid-editing, at random moments: `CRASH_SEED=N` replays a run's kill timings, edits
// and the gateway's harsh-ordering jitter (the interleaving still depends on timing).
const seed = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`[crash-kill9] seed ${seed}: CRASH_SEED=${seed} replays its kill timings`);

/** How often each client edits (three clients). */
const EDIT_EVERY_MS = 100;

let stack: TestStack;
let tokens: Record<'manager' | 'editor' | 'admin', string>;

beforeAll(async () => {
  const started = await startTestStack({ gateway: false, api: false });
  stack = started.stack;
  tokens = {
    manager: await idTokenOf(stack.config, 'manager'),
    editor: await idTokenOf(stack.config, 'editor'),
    admin: await idTokenOf(stack.config, 'admin'),
  };
  return started.teardown;
});

afterAll(() => console.log(`[crash-kill9] seed was ${seed}: CRASH_SEED=${seed} replays it`));

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function connectEditors(url: string, releaseId: string): CrashEditor[] {
  return (['manager', 'editor', 'admin'] as const).map(
    (role) => new CrashEditor(role, url, releaseId, tokens[role]),
  );
}

/** The property both tests assert on a store loaded after `atLeast` was read. */
function expectNothingLost(editors: CrashEditor[], atLeast: Clocks, stored: Y.Doc, when: string): void {
  const missing = missingEdits(editors, atLeast, stored);
  expect(
    missing,
    `${when}: edits a peer received or a server state vector covered are not stored\n${describeStates(editors, atLeast, stored)}`,
  ).toEqual([]);
}

/** After the last crash: everyone converged, with each other and with the store, nothing typed lost. */
async function expectConvergedWithStore(
  editors: CrashEditor[],
  stores: TestStack['stores'],
  releaseId: string,
): Promise<void> {
  for (const editor of editors) editor.stopEditing();
  await waitForConvergence(editors, 30_000);
  const atLeast = storedAtLeast(editors);
  const stored = (await stores.documents.load(releaseId))!.doc;
  expectNothingLost(editors, atLeast, stored, 'after reconnecting');
  // Every client is alive and synced, so every edit anyone typed is stored, not only those
  // a peer saw.
  const everything = new Map(editors.map((editor) => [editor.clientId, Number.POSITIVE_INFINITY]));
  expect(missingEdits(editors, everything, stored)).toEqual([]);
  expect(haveConverged(editors)).toBe(true);
  for (const editor of editors) expect(sheetOf(editor.doc), editor.name).toBe(sheetOf(stored));
  expect(editors.flatMap((editor) => editor.violations)).toEqual([]);
  expect(editors.flatMap((editor) => editor.rejections)).toEqual([]);
}

describe('kill -9 under editing', () => {
  it('20 randomly timed kill -9 of one handler worker lose no stored edit', async () => {
    const random = mulberry32(seed);
    const port = await freePort();
    const gateway = await spawnGatewayProcess(stack.config, port, { workers: 2, seed });
    const editors = connectEditors(`ws://127.0.0.1:${port}`, stack.demoReleaseId);
    await Promise.all(editors.map((editor) => editor.connection.whenSynced()));
    for (const editor of editors) editor.startEditing(EDIT_EVERY_MS, random);

    const kills: string[] = [];
    for (let kill = 0; kill < 20; kill++) {
      await delay(Math.floor(random() * 600));
      const pids = handlerWorkerPids(gateway.child.pid!);
      expect(pids, 'the pool is whole before each kill').toHaveLength(2);
      const victim = pids[Math.floor(random() * pids.length)]!;
      const restarted = gateway.nextLine(/handler worker \d+ restarted/);
      process.kill(victim, 'SIGKILL');
      kills.push(`${victim}`);
      await restarted; // the pool replaced it (worker-pool.ts)
    }
    const failedInvocations = gateway.lines.filter((line) => /handler failed for connection/.test(line));
    console.log(
      `[crash-kill9] worker kills: ${kills.length}, invocations reported failed: ${failedInvocations.length}, ` +
        `edits: ${editors.map((editor) => editor.edits.length).join('+')}`,
    );
    expect(gateway.child.exitCode).toBeNull();

    // Before anyone reconnects (a reconnect would send lost edits back and hide the loss).
    for (const editor of editors) editor.stopEditing();
    const atLeast = storedAtLeast(editors);
    const stored = (await stack.stores.documents.load(stack.demoReleaseId))!.doc;
    expectNothingLost(editors, atLeast, stored, 'after the kills');

    // An update that died with its worker is repaired by a sync; a reconnect makes one.
    for (const editor of editors) editor.reconnect();
    await expectConvergedWithStore(editors, stack.stores, stack.demoReleaseId);
  }, 120_000);

  it('kill -9 of the whole stack (dynalite, gateway, workers) at random moments loses no stored edit', async () => {
    const random = mulberry32(seed ^ 0x5bd1e995);
    const dataDir = await mkdtemp(join(tmpdir(), 'patchline-crash-'));
    const dbPath = join(dataDir, 'dynamodb');
    const [dbPort, port] = [await freePort(), await freePort()];
    let dynamo = await spawnDynaliteProcess(dbPort, dbPath);
    const endpoint = `http://127.0.0.1:${dbPort}`;
    const storesNow = () =>
      createStores({ tableName: stack.config.dynamodb.tableName, region: stack.config.region, endpoint });
    const fresh = storesNow();
    await copyTable(stack.stores, fresh);
    fresh.client.destroy();

    let gateway: KillableProcess | undefined;
    const startGateway = async () => {
      gateway = await spawnGatewayProcess(stack.config, port, {
        workers: 2,
        seed,
        dynamodbEndpoint: endpoint,
      });
    };
    await startGateway();
    const editors = connectEditors(`ws://127.0.0.1:${port}`, stack.demoReleaseId);
    await Promise.all(editors.map((editor) => editor.connection.whenSynced()));
    for (const editor of editors) editor.startEditing(EDIT_EVERY_MS, random);

    try {
      for (let crash = 0; crash < 4; crash++) {
        await delay(300 + Math.floor(random() * 1500));
        // dynalite first: a handler worker dying mid-request is not what this test is about.
        await Promise.all([dynamo.kill(), gateway!.kill()]);
        // Nothing can be stored any more: whatever the clients hold from the server, or were
        // told is stored, must be on disk.
        const atLeast = storedAtLeast(editors);
        dynamo = await spawnDynaliteProcess(dbPort, dbPath);
        const stores = storesNow();
        const stored = (await stores.documents.load(stack.demoReleaseId))!.doc;
        stores.client.destroy();
        expectNothingLost(editors, atLeast, stored, `after crash ${crash + 1}`);
        await startGateway();
        // Typing goes on; the clients reconnect by themselves (y-websocket's backoff).
      }
      const stores = storesNow();
      await expectConvergedWithStore(editors, stores, stack.demoReleaseId);
      stores.client.destroy();
      console.log(
        `[crash-kill9] whole-stack crashes: 4, edits: ${editors.map((editor) => editor.edits.length).join('+')}`,
      );
    } finally {
      for (const editor of editors) editor.destroy();
      await gateway?.kill();
      await dynamo.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** Copies every item of the stack's table (users' grants, the demo release) to another dynalite. */
async function copyTable(from: TestStack['stores'], to: TestStack['stores']): Promise<void> {
  await ensureTable(to.client, to.tableName);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await from.client.send(
      new ScanCommand({ TableName: from.tableName, ExclusiveStartKey: start }),
    );
    const items = page.Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      let requests = { [to.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(requests).length > 0) {
        const written = await to.client.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = (written.UnprocessedItems ?? {}) as typeof requests;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
}
