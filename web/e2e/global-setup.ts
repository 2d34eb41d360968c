import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBuiltStack } from './support/built-stack';
import { E2E_CONFIG_VARIABLE, E2E_WEB_URL_VARIABLE } from './support/stack';

/**
 * Starts the built local stack for the tests and hands it to them through
 * {@link E2E_CONFIG_VARIABLE} (a JSON file) and {@link E2E_WEB_URL_VARIABLE}.
 */
export default async function globalSetup(): Promise<void> {
  const stack = await startBuiltStack();
  const stackPath = join(stack.tempDir, 'e2e.json');
  writeFileSync(stackPath, `${JSON.stringify(stack, null, 2)}\n`);
  process.env[E2E_CONFIG_VARIABLE] = stackPath;
  process.env[E2E_WEB_URL_VARIABLE] = stack.local.webUrl;
}
