#!/usr/bin/env node
// What `npm start` and the browser benchmark run from: every workspace compiled with `tsc -b`
// (incremental, so a second run only checks timestamps) and the web app's production build,
// redone only when a source it bundles changed. Exits non-zero when a build fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

console.log('[build] building the workspaces (tsc -b)');
const build = spawnSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[build] the build failed; fix the errors above');
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
    console.log('[build] building the web app (next build; only when its sources changed)');
    const web = spawnSync('npm', ['run', 'build', '-w', '@patchline/web'], { cwd: root, stdio: 'inherit' });
    if (web.status !== 0) {
      console.error('[build] the web build failed; fix the errors above');
      process.exit(web.status ?? 1);
    }
  }
}
