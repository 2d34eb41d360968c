import {
  createReleaseProvider,
  type ReleaseConnection,
  type WebSocketConstructor,
} from '@patchline/shared/client';
import { onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

/** A release connection as the web app makes one, over `ws` (Node 20 has no global WebSocket). */
export function connectRelease(
  url: string,
  releaseId: string,
  token: string | (() => string),
  doc = new Y.Doc(),
): ReleaseConnection {
  const connection = createReleaseProvider(doc, {
    url,
    releaseId,
    getToken: typeof token === 'string' ? () => token : token,
    WebSocketImpl: WebSocket as unknown as WebSocketConstructor,
  });
  onTestFinished(() => connection.destroy());
  return connection;
}

/** Resolves once `predicate` holds, re-checked whenever any of `docs` changes. */
export function waitForDocs(docs: Y.Doc[], predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate()) return;
      for (const doc of docs) doc.off('update', check);
      resolve();
    };
    for (const doc of docs) doc.on('update', check);
  });
}

/** Resolves once `predicate` holds for `doc`. */
export const waitForDoc = (doc: Y.Doc, predicate: (doc: Y.Doc) => boolean) =>
  waitForDocs([doc], () => predicate(doc));

/** Resolves with the next event `name` of `connection`. */
export function nextEvent<T>(
  connection: ReleaseConnection,
  name: 'rejected' | 'role-changed' | 'revoked' | 'doc' | 'control',
): Promise<T> {
  return new Promise((resolve) => {
    const handler = (value: T) => {
      connection.off(name, handler as never);
      resolve(value);
    };
    connection.on(name, handler as never);
  });
}
