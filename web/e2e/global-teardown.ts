import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopBuiltStack } from './support/built-stack';
import { E2E_CONFIG_VARIABLE, type E2EStack } from './support/stack';

const OUTPUT_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Stops the stack global-setup started (SIGTERM, then waits for it), keeps its log, removes its data. */
export default async function globalTeardown(): Promise<void> {
  const path = process.env[E2E_CONFIG_VARIABLE];
  if (!path || !existsSync(path)) return;
  const stack = JSON.parse(readFileSync(path, 'utf8')) as E2EStack;

  await stopBuiltStack(stack);

  try {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const kept = join(OUTPUT_DIR, 'e2e-stack.log');
    copyFileSync(stack.logPath, kept);
    // A handler that threw is a server bug whatever the tests said: point at it.
    const failures = readFileSync(kept, 'utf8')
      .split('\n')
      .filter((line) => /handler failed|Unhandled|uncaught/i.test(line));
    if (failures.length > 0) {
      console.warn(
        `[e2e] the stack logged ${failures.length} failure(s), see ${kept}:\n${failures.slice(0, 5).join('\n')}`,
      );
    }
  } catch {
    // no log to keep
  }
  rmSync(stack.tempDir, { recursive: true, force: true });
}
