import { labelUserListSchema, labelUserSchema, transitionResultSchema } from '@patchline/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../services/api-deps.js';
import { listLabelUsers, setManager } from '../../services/label-group-service.js';
import { transitionRelease } from '../../services/workflow-service.js';
import { callerOf } from '../authenticate.js';
import { managerBody, releaseIdParams, transitionBody, userParams } from '../schemas.js';

export const workflowRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/releases/:releaseId/status',
      {
        schema: {
          tags: ['workflow'],
          summary: 'Submit for review, approve, request changes, reopen or mark delivered',
          params: releaseIdParams,
          body: transitionBody,
          response: { 200: transitionResultSchema },
        },
      },
      async (request) =>
        transitionRelease(deps, callerOf(request), request.params.releaseId, request.body.transition),
    );

    app.get(
      '/admin/users',
      {
        schema: {
          tags: ['label groups'],
          summary: 'Users and their groups (admins)',
          response: { 200: labelUserListSchema },
        },
      },
      async (request) => ({
        users: await listLabelUsers(deps, callerOf(request)),
      }),
    );
    app.put(
      '/admin/users/:userId/manager',
      {
        schema: {
          tags: ['label groups'],
          summary: 'Add to or remove from managers (admins)',
          params: userParams,
          body: managerBody,
          response: { 200: labelUserSchema },
        },
      },
      async (request) => setManager(deps, callerOf(request), request.params.userId, request.body.isManager),
    );
  };
