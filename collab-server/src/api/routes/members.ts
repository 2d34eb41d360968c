import { memberListSchema, memberSchema } from '@patchline/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../services/api-deps.js';
import { listAudit } from '../../services/audit-service.js';
import {
  cancelInvite,
  changeRole,
  grantRole,
  listMembers,
  revokeMember,
} from '../../services/member-service.js';
import { callerOf } from '../authenticate.js';
import { changeRoleBody, grantBody, inviteParams, memberParams, releaseIdParams } from '../schemas.js';

export const memberRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['members'];
    app.get(
      '/releases/:releaseId/members',
      {
        schema: {
          tags,
          summary: 'Who has access, with role and how',
          params: releaseIdParams,
          response: { 200: memberListSchema },
        },
      },
      async (request) => ({
        members: await listMembers(deps, callerOf(request), request.params.releaseId),
      }),
    );

    app.post(
      '/releases/:releaseId/members',
      {
        schema: {
          tags,
          summary: 'Grant a role by email (a pending invite if the email has no account)',
          params: releaseIdParams,
          body: grantBody,
          response: { 201: memberSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await grantRole(deps, callerOf(request), request.params.releaseId, request.body)),
    );

    app.patch(
      '/releases/:releaseId/members/:userId',
      {
        schema: {
          tags,
          summary: "Change a member's role",
          params: memberParams,
          body: changeRoleBody,
          response: { 200: memberSchema },
        },
      },
      async (request) =>
        changeRole(
          deps,
          callerOf(request),
          request.params.releaseId,
          request.params.userId,
          request.body.role,
        ),
    );

    app.delete(
      '/releases/:releaseId/members/:userId',
      { schema: { tags, summary: 'Revoke a member (or leave, for yourself)', params: memberParams } },
      async (request, reply) => {
        await revokeMember(deps, callerOf(request), request.params.releaseId, request.params.userId);
        return reply.status(204).send();
      },
    );

    app.delete(
      '/releases/:releaseId/invites/:email',
      { schema: { tags, summary: 'Cancel a pending invite', params: inviteParams } },
      async (request, reply) => {
        await cancelInvite(deps, callerOf(request), request.params.releaseId, request.params.email);
        return reply.status(204).send();
      },
    );

    app.get(
      '/releases/:releaseId/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit trail (owners, managers, admins)',
          params: releaseIdParams,
        },
      },
      async (request) => ({
        events: await listAudit(deps, callerOf(request), request.params.releaseId),
      }),
    );
  };
