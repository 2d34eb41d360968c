#!/usr/bin/env node
// `npm start` (after `prestart` has run scripts/bootstrap.mjs): builds what changed
// (scripts/build.mjs), then runs the local stack from the build: plain node, no tsx at runtime.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error('[start] fix the errors above and run npm start again');
  process.exit(build.status ?? 1);
}

// Node 20 is the supported runtime here; the AWS SDK's notice about Node 22 would repeat once
// per handler worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Imported into this process rather than spawned: npm and the terminal both deliver Ctrl-C, and
// with one process there is exactly one set of signal handlers (main.js's) to receive it.
await import(pathToFileURL(join(root, 'collab-server', 'dist', 'local-stack', 'main.js')).href);
