// @patchline/shared/client: the one networked part of shared, kept out of the main entry so the
// model and codec stay free of I/O. The socket itself is injected (browser WebSocket or `ws`).

export * from './release-connection.js';
export * from './release-socket.js';
