#!/usr/bin/env node
// `npm start` (after `prestart` has run scripts/bootstrap.mjs): compiles every workspace with
// `tsc -b` (incremental, so a second start only checks timestamps), then runs the local stack
// from the build: plain node, no tsx at runtime.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

// The web app's production build, redone only when a source it bundles changed since.
const webBuildId = join(root, 'web', '.next', 'BUILD_ID');
const webSources = [
  'web/app',
  'web/components',
  'web/lib',
  'web/hooks',
  'web/next.config.ts',
  'web/package.json',
  'shared/src',
  'permissions/src',
];
const newest = (path) => {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
};
if (existsSync(join(root, 'web', 'package.json'))) {
  const builtAt = existsSync(webBuildId) ? statSync(webBuildId).mtimeMs : 0;
  if (Math.max(...webSources.map((source) => newest(join(root, source)))) > builtAt) {
    console.log('[start] building the web app (next build; only when its sources changed)');
    const web = spawnSync('npm', ['run', 'build', '-w', '@patchline/web'], { cwd: root, stdio: 'inherit' });
    if (web.status !== 0) {
      console.error('[start] the web build failed; fix the errors above and run npm start again');
      process.exit(web.status ?? 1);
    }
  }
}

// Node 20 is the supported runtime here; the AWS SDK's notice about Node 22 would repeat once
// per handler worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Imported into this process rather than spawned: npm and the terminal both deliver Ctrl-C, and
// with one process there is exactly one set of signal handlers (main.js's) to receive it.
await import(pathToFileURL(join(root, 'collab-server', 'dist', 'local-stack', 'main.js')).href);
