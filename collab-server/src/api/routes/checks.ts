import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../services/api-deps.js';
import { runChecks } from '../../services/checks-service.js';
import { callerOf } from '../authenticate.js';
import { releaseIdParams } from '../schemas.js';

export const checksRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/releases/:releaseId/checks',
      {
        schema: {
          tags: ['workflow'],
          summary: "Delivery checks: the sheet's own rules and those across the label's releases",
          params: releaseIdParams,
        },
      },
      async (request) => runChecks(deps, callerOf(request), request.params.releaseId),
    );
  };
