import { gtinCheckDigit } from '@patchline/shared';
import { createReleaseProvider, type WebSocketConstructor } from '@patchline/shared/client';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { idTokenFor } from './cognito';
import { e2eStack } from './stack';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** Identifiers no other release of this stack holds (the label-wide checks compare them). */
export const freshUpc = () => {
  const body = digits(11);
  return `${body}${gtinCheckDigit(body)}`;
};
export const freshIsrc = () => `QZE2E${digits(7)}`;

/**
 * A synced connection of the demo manager's to a release, as another person's browser: specs
 * write sheets through it, so the server judges and stores them like any edit.
 */
export async function connectAsManager(releaseId: string) {
  const { local } = e2eStack();
  const token = await idTokenFor(local.demo.accounts.manager, local.demo.password);
  const connection = createReleaseProvider(new Y.Doc(), {
    url: local.websocketUrl,
    releaseId,
    getToken: () => token,
    WebSocketImpl: WebSocket as unknown as WebSocketConstructor,
  });
  await connection.whenSynced();
  return connection;
}
