#!/usr/bin/env node
// Makes a fresh clone runnable: installs node_modules with `npm ci` when they are missing or
// were installed from another package-lock.json, and with `--browser` Debian's Chromium for the
// browser tests (Playwright cannot download its own browser here) and, when PATCHLINE_DDEX_XSD is
// set, Debian's xmllint for the DDEX schema checks. `npm test` and `npm start`
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

/** Installs Debian packages for the tests (as root; anyone else is told the command). */
function aptInstall(reason, packages) {
  if (process.getuid?.() !== 0) {
    console.error(`[bootstrap] ${reason}; install it with: sudo apt-get install -y ${packages.join(' ')}`);
    process.exit(1);
  }
  console.log(`[bootstrap] ${reason}: installing ${packages.join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const CHROMIUM = '/usr/bin/chromium';
if (process.argv.includes('--browser') && !existsSync(CHROMIUM)) {
  aptInstall(`${CHROMIUM} is missing for the browser tests`, ['chromium']);
}

// The DDEX tests validate with xmllint whenever a copy of the official schema is given
// (docs/DELIVERY.md, "Tests").
if (process.argv.includes('--browser') && process.env.PATCHLINE_DDEX_XSD && !existsSync('/usr/bin/xmllint')) {
  aptInstall('PATCHLINE_DDEX_XSD is set and xmllint is missing', ['libxml2-utils']);
}
