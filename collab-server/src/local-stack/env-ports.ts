import type { LocalPorts } from './start-local-stack.js';

/** The environment variable that overrides each port of the local stack. */
export const PORT_VARIABLES: Readonly<Record<keyof LocalPorts, string>> = {
  dynamodb: 'PATCHLINE_DYNAMODB_PORT',
  cognito: 'PATCHLINE_COGNITO_PORT',
  gateway: 'PATCHLINE_GATEWAY_PORT',
  api: 'PATCHLINE_API_PORT',
  web: 'PATCHLINE_WEB_PORT',
};

/** Ports set in `env`; a malformed value is an error rather than a silent fallback to the default. */
export function portsFromEnv(env: NodeJS.ProcessEnv): Partial<LocalPorts> {
  const ports: Partial<LocalPorts> = {};
  for (const [key, variable] of Object.entries(PORT_VARIABLES) as [keyof LocalPorts, string][]) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`${variable} must be a port number (0–65535), got "${raw}"`);
    }
    ports[key] = port;
  }
  return ports;
}
