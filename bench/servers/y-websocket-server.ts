/**
 * The reference y-websocket server (`@y/websocket-server`), as its own `bin/server.js` runs it:
 * documents in memory, plain binary y-protocols frames. Run by `startServerChild`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { serveUntilStopped } from './child.js';

const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' });
  response.end('okay');
});
const wss = new WebSocketServer({ server });
wss.on('connection', (socket, request) => setupWSConnection(socket, request));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveUntilStopped({ url: `ws://127.0.0.1:${port}` }, async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
