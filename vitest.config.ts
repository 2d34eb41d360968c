import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the packages' TypeScript sources, so `npm test` needs no build step
// between editing `shared/` and testing `permissions/`.
export default defineConfig({
  resolve: {
    alias: {
      '@patchline/shared': source('./shared/src/index.ts'),
      '@patchline/permissions': source('./permissions/src/index.ts'),
    },
  },
  test: {
    include: ['*/src/**/*.test.ts', '*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
  },
});
