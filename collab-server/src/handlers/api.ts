import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import awsLambdaFastify from '@fastify/aws-lambda';
import { ddexSettingsFromEnv } from '@patchline/shared';
import { buildApi } from '../api/app.js';
import { createApiDeps } from '../api/create-api-deps.js';
import { serviceConfigFromEnv } from './service-config.js';

/**
 * The REST API as a Lambda behind an HTTP API (infra): the same Fastify app `npm start` serves
 * on port 4000. Built once per cold start.
 */
const proxy = (async () => {
  const deps = await createApiDeps({
    ...serviceConfigFromEnv(),
    webUrl: process.env.WEB_URL ?? '',
    ddex: ddexSettingsFromEnv(process.env),
  });
  // The infra bundle copies swagger-ui's `static/` beside this file; unbundled, the package's own is used.
  const bundledStatic = fileURLToPath(new URL('./static', import.meta.url));
  const app = await buildApi(deps, {
    logger: true,
    ...(existsSync(bundledStatic) ? { swaggerStaticDir: bundledStatic } : {}),
  });
  return awsLambdaFastify(app);
})();

export const handler = async (event: unknown, context: unknown) =>
  (await proxy)(event as never, context as never);
