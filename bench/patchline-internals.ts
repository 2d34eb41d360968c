// The benchmark drives collab-server's own stack and store, which its package does not export
// (its `src/index.ts` entry is not written yet), so this one file reaches into its sources, as
// the package's own integration tests do. Everything else in bench/ imports from here.
// biome-ignore lint/style/noRestrictedImports: the bench starts the real stack; no package export yet
export { createRelease } from '../collab-server/src/core/create-release.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { DEFAULT_COLLAB_LIMITS } from '../collab-server/src/core/limits.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { createManagementMessenger } from '../collab-server/src/gateway/management-messenger.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { type LocalConfig, startLocalStack } from '../collab-server/src/local-stack/start-local-stack.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { Rooms } from '../collab-server/src/room/rooms.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { readImportFile } from '../collab-server/src/services/import-file.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { previewOf } from '../collab-server/src/services/import-service.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { createStores, type Stores } from '../collab-server/src/store/create-stores.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { seqOf } from '../collab-server/src/store/document-store.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { autoVersionsToDrop, type StoredVersion } from '../collab-server/src/store/history-store.js';
// biome-ignore lint/style/noRestrictedImports: as above
export { keys } from '../collab-server/src/store/table-layout.js';
export { idTokenOf } from '../collab-server/test/support/sign-in.js';
