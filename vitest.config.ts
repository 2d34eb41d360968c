import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the packages' TypeScript sources, so `npm test` needs no build step
// between editing `shared/` and testing `permissions/`. Exact-match patterns, so
// `@patchline/shared/client` is not read as `@patchline/shared` + `/client`.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@patchline\/shared$/, replacement: source('./shared/src/index.ts') },
      { find: /^@patchline\/shared\/client$/, replacement: source('./shared/src/client/index.ts') },
      { find: /^@patchline\/permissions$/, replacement: source('./permissions/src/index.ts') },
      // The web app's own `@/…` paths (web/tsconfig.json), for its framework-free modules' tests.
      { find: /^@\//, replacement: source('./web/') },
    ],
  },
  test: {
    include: ['*/src/**/*.test.ts', '*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Integration suites start dynalite, cognito-local and the gateway; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // No retries: a flaky test is a bug report (find the race, fix it, keep the test).
    retry: 0,
    // Node 20 is this machine's runtime; the AWS SDK's notice about Node 22 only buries the output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
