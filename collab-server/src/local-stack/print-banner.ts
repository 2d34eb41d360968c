import type { LocalConfig } from './local-config.js';

/** What `npm start` prints once everything is up: where things are and how to sign in. */
export function printBanner(config: LocalConfig, configPath: string, workers: number): void {
  const port = (url: string) => new URL(url).port;
  const lines = [
    '',
    'Patchline local stack is running (Ctrl-C stops it)',
    '',
    `  WebSocket gateway  ${config.websocketUrl}  (port ${port(config.websocketUrl)}, ${workers === 0 ? 'handlers in-process' : `${workers} handler workers`})`,
    `    management API   ${config.websocketUrl.replace(/^ws/, 'http')}/@connections/{connectionId}`,
    `  DynamoDB           ${config.dynamodb.endpoint}  (port ${port(config.dynamodb.endpoint)}, dynalite, table ${config.dynamodb.tableName})`,
    `  Cognito            ${config.cognito.endpoint}  (port ${port(config.cognito.endpoint)}, cognito-local)`,
    `    user pool        ${config.cognito.userPoolId}, app client ${config.cognito.clientId}`,
    `    token issuer     ${config.cognito.issuer}`,
    `  REST API           ${config.apiUrl}  (OpenAPI: ${config.apiUrl}/docs)`,
    `  Web app            ${config.webUrl}`,
  ];
  if (config.demo) {
    lines.push('', `  Demo accounts (password ${config.demo.password}, local only):`);
    for (const [role, email] of Object.entries(config.demo.accounts))
      lines.push(`    ${role.padEnd(8)} ${email}`);
    lines.push(
      '',
      `  Demo release       ${config.demo.releaseId}`,
      `    ${config.webUrl}/releases/${config.demo.releaseId}`,
      `    ${config.websocketUrl}/?doc=${config.demo.releaseId}&token=<Cognito ID token>`,
    );
  }
  lines.push('', `  Scripts read every URL and id above from ${configPath}`, '');
  console.log(lines.join('\n'));
}
