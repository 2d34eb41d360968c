import { addTrack, readTracks } from '@patchline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { freePort, spawnGateway } from './support/gateway-process.js';
import { connectRelease, waitForDocs } from './support/release-client.js';
import { idTokenOf } from './support/sign-in.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

let stack: TestStack;

beforeAll(async () => {
  const started = await startTestStack({ gateway: false });
  stack = started.stack;
  return started.teardown;
});

const titles = (doc: Y.Doc) => new Set(readTracks(doc).map((track) => track.title));

describe('crash recovery', () => {
  it('ST1: kill -9 of the gateway and its workers mid-editing loses nothing any client typed', async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    let gateway = await spawnGateway(stack.config, port);
    const clients = [
      connectRelease(url, stack.demoReleaseId, await idTokenOf(stack.config, 'manager')),
      connectRelease(url, stack.demoReleaseId, await idTokenOf(stack.config, 'editor')),
    ];
    await Promise.all(clients.map((c) => c.whenSynced()));
    const typed: string[] = [];
    const type = (round: string) =>
      clients.forEach((client, i) => {
        const title = `${round} by client ${i}`;
        addTrack(client.doc, { title });
        typed.push(title);
      });

    type('before');
    await waitForDocs(
      clients.map((c) => c.doc),
      () => clients.every((c) => typed.every((t) => titles(c.doc).has(t))),
    );
    type('in flight'); // sent while the crash happens: may or may not have been stored
    await gateway.kill();
    type('while down'); // typed offline, kept in the clients' documents
    gateway = await spawnGateway(stack.config, port);
    type('after restart');

    const docs = clients.map((c) => c.doc);
    await waitForDocs(docs, () => docs.every((doc) => typed.every((title) => titles(doc).has(title))));
    const reader = connectRelease(url, stack.demoReleaseId, await idTokenOf(stack.config, 'viewer'));
    await waitForDocs([reader.doc], () => typed.every((title) => titles(reader.doc).has(title)));
    const stored = (await stack.stores.documents.load(stack.demoReleaseId))!.doc;
    expect([...typed].filter((title) => !titles(stored).has(title))).toEqual([]);
  }, 60_000);
});
