import { type ReleaseSheet, readReleaseFields, setReleaseFields } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RELEASE } from '../src/local-stack/demo-data.js';
import { DELIVERY_CHUNK_BYTES } from '../src/store/delivery-store.js';
import { type Actors, freshUpc, ownedRelease, partitionOf, signInActors } from './support/api-actors.js';
import { connectRelease, waitForDoc } from './support/release-client.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;
let actors: Actors;

beforeAll(async () => {
  const started = await startTestStack({ workers: 1 });
  stack = started.stack;
  actors = await signInActors(stack);
  return started.teardown;
});

interface DeliveryList {
  deliveries: {
    deliveryId: string;
    deliveredAt: string;
    deliveredBy: { userId: string; name: string };
    sizes: { ddex: number | null; json: number };
  }[];
}

const deliver = async (releaseId: string) => {
  const response = await actors.api.manager.post(`/releases/${releaseId}/status`, { transition: 'deliver' });
  expect(response.status).toBe(200);
};
/** A GET's body as the bytes sent, for byte-for-byte comparisons. */
async function bytesOf(path: string) {
  const response = await fetch(`${stack.config.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${actors.token.owner}` },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes,
    text: bytes.toString(),
  };
}
const kept = (releaseId: string, deliveryId: string, file: 'export.ddex.xml' | 'export.json') =>
  bytesOf(`/releases/${releaseId}/deliveries/${deliveryId}/${file}`);

describe('exports kept at deliver', () => {
  it('keeps the DDEX message and JSON of the delivery, and serves them unchanged after later edits and compaction', async () => {
    // A large notes text makes the JSON export span several DynamoDB items.
    const seed = {
      ...DEMO_RELEASE,
      release: { ...DEMO_RELEASE.release, upc: freshUpc() },
      notes: `Liner notes. ${'la '.repeat(DELIVERY_CHUNK_BYTES)}`,
    };
    const releaseId = await ownedRelease(stack, actors, { status: 'approved', title: 'Kept', seed });
    const before = await actors.api.owner.get<DeliveryList>(`/releases/${releaseId}/deliveries`);
    expect(before.body).toEqual({ deliveries: [] });

    await deliver(releaseId);
    const currentJson = await bytesOf(`/releases/${releaseId}/export.json`);
    const listed = await actors.api.owner.get<DeliveryList>(`/releases/${releaseId}/deliveries`);
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries).toHaveLength(1);
    const [delivery] = listed.body.deliveries;
    expect(delivery!.deliveredBy).toEqual({ userId: actors.sub.manager, name: 'Mo Manager' });
    expect(Date.now() - Date.parse(delivery!.deliveredAt)).toBeLessThan(60_000);

    const ddex = await kept(releaseId, delivery!.deliveryId, 'export.ddex.xml');
    const json = await kept(releaseId, delivery!.deliveryId, 'export.json');
    expect([ddex.status, json.status]).toEqual([200, 200]);
    expect(ddex.type).toBe('application/xml; charset=utf-8');
    expect(json.type).toBe('application/json; charset=utf-8');
    expect(ddex.text).toContain('<MessageControlType>LiveMessage</MessageControlType>');
    expect(ddex.text).toContain(`<ICPN>${seed.release.upc}</ICPN>`);
    // The JSON kept is what the JSON export answered at that moment, byte for byte.
    expect(json.bytes.equals(currentJson.bytes)).toBe(true);
    expect((JSON.parse(json.text) as ReleaseSheet).release.status).toBe('delivered');
    expect(delivery!.sizes).toEqual({ ddex: ddex.bytes.length, json: json.bytes.length });
    expect(delivery!.sizes.json).toBeGreaterThan(2 * DELIVERY_CHUNK_BYTES);

    // Reopened and edited: the current exports change, the kept ones do not.
    const reopen = await actors.api.manager.post(`/releases/${releaseId}/status`, { transition: 'reopen' });
    expect(reopen.status).toBe(200);
    const editor = connectRelease(stack.config.websocketUrl, releaseId, actors.token.editor);
    const watcher = connectRelease(stack.config.websocketUrl, releaseId, actors.token.owner);
    await Promise.all([editor.whenSynced(), watcher.whenSynced()]);
    editor.doc.transact(() => setReleaseFields(editor.doc, { title: 'Changed after delivery' }));
    await waitForDoc(watcher.doc, (doc) => readReleaseFields(doc).title === 'Changed after delivery');
    const loaded = await stack.stores.documents.load(releaseId);
    expect(await stack.stores.documents.compact(releaseId, loaded!)).not.toBeNull();

    const now = await actors.api.owner.get<ReleaseSheet>(`/releases/${releaseId}/export.json`);
    expect(now.body.release.title).toBe('Changed after delivery');
    const ddexAgain = await kept(releaseId, delivery!.deliveryId, 'export.ddex.xml');
    const jsonAgain = await kept(releaseId, delivery!.deliveryId, 'export.json');
    expect(ddexAgain.bytes.equals(ddex.bytes)).toBe(true);
    expect(jsonAgain.bytes.equals(json.bytes)).toBe(true);
    expect(jsonAgain.text).not.toContain('Changed after delivery');
  });

  it('lists every delivery, newest first', async () => {
    const releaseId = await ownedRelease(stack, actors, { status: 'approved', title: 'Twice' });
    await deliver(releaseId);
    for (const transition of ['reopen', 'submit', 'approve'] as const) {
      const response = await actors.api.admin.post(`/releases/${releaseId}/status`, { transition });
      expect(response.status, transition).toBe(200);
    }
    await deliver(releaseId);
    const listed = await actors.api.viewer.get<DeliveryList>(`/releases/${releaseId}/deliveries`);
    expect(listed.body.deliveries).toHaveLength(2);
    const [newest, oldest] = listed.body.deliveries;
    expect(Date.parse(newest!.deliveredAt)).toBeGreaterThanOrEqual(Date.parse(oldest!.deliveredAt));
    expect(newest!.deliveryId > oldest!.deliveryId).toBe(true);
  });

  it('two delivers at once: one happens and is kept, the other is refused and keeps nothing', async () => {
    const releaseId = await ownedRelease(stack, actors, { status: 'approved', title: 'Race' });
    const answers = await Promise.all(
      [actors.api.manager, actors.api.admin].map((client) =>
        client.post(`/releases/${releaseId}/status`, { transition: 'deliver' }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const listed = await actors.api.owner.get<DeliveryList>(`/releases/${releaseId}/deliveries`);
    expect(listed.body.deliveries).toHaveLength(1);
    const winner = answers[0]!.status === 200 ? actors.sub.manager : actors.sub.admin;
    expect(listed.body.deliveries[0]!.deliveredBy.userId).toBe(winner);
    // Nothing of the refused one is left in the table: one record, and only its files' chunks.
    const items = await partitionOf(stack, releaseId);
    const deliveryId = listed.body.deliveries[0]!.deliveryId;
    const kept = items.map((item) => String(item.SK)).filter((sk) => sk.startsWith('DELIVERY'));
    expect(kept.every((sk) => sk.includes(deliveryId))).toBe(true);
    expect(kept.filter((sk) => sk.startsWith('DELIVERY#'))).toHaveLength(1);
  });

  it('a non-member can neither list nor download, an unknown or malformed id is refused', async () => {
    const releaseId = await ownedRelease(stack, actors, { status: 'approved', title: 'Private' });
    await deliver(releaseId);
    const { body } = await actors.api.owner.get<DeliveryList>(`/releases/${releaseId}/deliveries`);
    const deliveryId = body.deliveries[0]!.deliveryId;
    const base = `/releases/${releaseId}/deliveries`;
    for (const path of [base, `${base}/${deliveryId}/export.ddex.xml`, `${base}/${deliveryId}/export.json`]) {
      const outsider = await actors.api.outsider.get<{ error: string }>(path);
      expect(outsider.status, path).toBe(404);
      expect(outsider.body.error).toBe('not-found');
      expect(JSON.stringify(outsider.body)).not.toContain('<');
      expect((await actors.api.anonymous.get(path)).status, path).toBe(401);
      expect((await actors.api.viewer.get(path)).status, path).toBe(200);
    }
    const unknown = `${deliveryId.slice(0, 13)}zzzzzzzz`;
    expect((await actors.api.owner.get(`${base}/${unknown}/export.json`)).status).toBe(404);
    expect((await actors.api.owner.get(`${base}/..%2F..%2Fetc/export.json`)).status).toBe(400);
  });
});
