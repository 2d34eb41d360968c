import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { LocalConfig } from './local-config.js';

/** `web/` at the repo root: three levels up from `src/local-stack/` and `dist/local-stack/`. */
export const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

/** Whether `next build` has produced something `next start` can serve. */
export const isWebBuilt = () => existsSync(`${WEB_DIR}.next/BUILD_ID`);

/** The web app's runtime configuration (read per request by its root layout). */
export function webEnvironment(
  config: Pick<LocalConfig, 'region' | 'apiUrl' | 'websocketUrl' | 'webUrl'> & {
    cognito: Pick<LocalConfig['cognito'], 'endpoint' | 'userPoolId' | 'clientId'>;
  },
): Record<string, string> {
  return {
    PATCHLINE_API_URL: config.apiUrl,
    PATCHLINE_WEBSOCKET_URL: config.websocketUrl,
    PATCHLINE_WEB_URL: config.webUrl,
    PATCHLINE_REGION: config.region,
    PATCHLINE_USER_POOL_ID: config.cognito.userPoolId,
    PATCHLINE_CLIENT_ID: config.cognito.clientId,
    PATCHLINE_COGNITO_ENDPOINT: config.cognito.endpoint,
  };
}

/**
 * Serves the production build of the web app with `next start` in a child process, and resolves
 * once it answers HTTP. The build must exist (`npm start` builds it first).
 */
export async function startWeb(options: {
  host: string;
  port: number;
  env: Record<string, string>;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const nextBin = createRequire(`${WEB_DIR}package.json`).resolve('next/dist/bin/next');
  const child: ChildProcess = spawn(
    process.execPath,
    [nextBin, 'start', '-p', String(options.port), '-H', options.host],
    {
      cwd: WEB_DIR,
      env: { ...process.env, ...options.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://${options.host}:${options.port}`;
  let onEarlyExit: (code: number | null) => void = () => undefined;
  await new Promise<void>((resolve, reject) => {
    onEarlyExit = (code) => reject(new Error(`next start exited with ${code}`));
    child.once('exit', onEarlyExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (/ready|started server|Local:/i.test(chunk.toString())) resolve();
    });
  });
  child.off('exit', onEarlyExit);
  return {
    url,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
