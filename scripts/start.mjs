#!/usr/bin/env node
// `npm start` (after `prestart` has run scripts/bootstrap.mjs): compiles every workspace with
// `tsc -b` (incremental, so a second start only checks timestamps), then runs the local stack
// from the build: plain node, no tsx at runtime.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

console.log('[start] building the workspaces (tsc -b)');
const build = spawnSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[start] the build failed; fix the errors above and run npm start again');
  process.exit(build.status ?? 1);
}

// Imported into this process rather than spawned: npm and the terminal both deliver Ctrl-C, and
// with one process there is exactly one set of signal handlers (main.js's) to receive it.
await import(pathToFileURL(join(root, 'collab-server', 'dist', 'local-stack', 'main.js')).href);
