import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ApiDeps } from '../services/api-deps.js';
import type { ApiLimits } from '../services/api-limits.js';
import { apiLoggerOptions, type LogStream, redactingLog } from './api-logger.js';
import { requireCaller } from './authenticate.js';
import { errorHandler } from './error-handler.js';
import { checksRoutes } from './routes/checks.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { historyRoutes } from './routes/history.js';
import { importRoutes } from './routes/imports.js';
import { memberRoutes } from './routes/members.js';
import { releaseRoutes } from './routes/releases.js';
import { shareLinkPreviewRoute, shareLinkRoutes } from './routes/share-links.js';
import { workflowRoutes } from './routes/workflow.js';

export interface ApiOptions {
  /** Overrides of the per-person, per-client and per-link limits (`services/api-limits.ts`). */
  apiLimits?: Partial<ApiLimits>;
  /** Log requests and errors as JSON lines (the Lambda's CloudWatch log); off in the local stack. */
  logger?: boolean;
  /** Where log lines go when `logger` is on: stdout unless given (tests read them here). */
  logStream?: LogStream;
  /** Where swagger-ui's static files are when bundled (Lambda); defaults to the package's own. */
  swaggerStaticDir?: string;
}

/**
 * The REST API as a Fastify app: the same instance serves `npm start` on port 4000 and the Lambda
 * entry point (`handlers/api.ts`). Routes are thin: they parse, call a service, answer.
 */
export async function buildApi(apiDeps: ApiDeps, options: ApiOptions = {}): Promise<FastifyInstance> {
  const deps: ApiDeps = {
    ...apiDeps,
    log: redactingLog(apiDeps.log),
    ...(options.apiLimits ? { apiLimits: options.apiLimits } : {}),
  };
  const app = Fastify({
    logger: options.logger ? apiLoggerOptions(options.logStream ?? process.stdout) : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('caller', null);
  await app.register(cors, { origin: deps.webUrl, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Patchline API',
        version: '1.0.0',
        description: 'Releases, members, share links, workflow and export.',
      },
      components: {
        securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'Cognito ID token' } },
      },
      security: [{ cognito: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    ...(options.swaggerStaticDir ? { baseDir: options.swaggerStaticDir } : {}),
  });

  app.get('/health', { schema: { tags: ['health'], security: [] } }, async () => ({ ok: true }));
  await app.register(shareLinkPreviewRoute(deps));
  await app.register(async (scope) => {
    requireCaller(scope, deps);
    await scope.register(releaseRoutes(deps));
    await scope.register(memberRoutes(deps));
    await scope.register(shareLinkRoutes(deps));
    await scope.register(workflowRoutes(deps));
    await scope.register(checksRoutes(deps));
    await scope.register(deliveryRoutes(deps));
    await scope.register(historyRoutes(deps));
    await scope.register(importRoutes(deps));
  });
  return app;
}
