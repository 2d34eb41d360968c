#!/usr/bin/env node
// Makes a fresh clone runnable: installs node_modules with `npm ci` when they are missing or
// were installed from another package-lock.json, and with `--browser` Debian's Chromium for the
// browser tests (Playwright cannot download its own browser here). `npm test` and `npm start`
// call it first, so a newcomer never needs a third set-up command.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.patchline-lock.sha256');

const lockHash = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
const installedHash = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';

if (installedHash !== lockHash) {
  console.log('[bootstrap] node_modules missing or stale: running npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  writeFileSync(marker, `${lockHash}\n`);
}

const CHROMIUM = '/usr/bin/chromium';
if (process.argv.includes('--browser') && !existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    console.error(`[bootstrap] ${CHROMIUM} is missing; install it with: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log('[bootstrap] installing Debian chromium for the browser tests');
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
