import {
  ACTIVITY_KINDS,
  type ActivityKind,
  activityPageSchema,
  compareResponseSchema,
  createVersionBodySchema,
  fieldHistorySchema,
  isValidId,
  restoreBodySchema,
  restoreResponseSchema,
  versionDetailSchema,
  versionListSchema,
  versionSchema,
} from '@patchline/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../services/api-deps.js';
import {
  activityFeed,
  compareVersions,
  copyVersion,
  createNamedVersion,
  fieldHistory,
  getVersion,
  listVersions,
  restoreVersion,
} from '../../services/history-service.js';
import { callerOf } from '../authenticate.js';
import { releaseIdParams } from '../schemas.js';

/** Version history (HISTORY-API contract, README.md "Version history"). */
const versionId = z.string().refine(isValidId, 'not a version id');
const versionParams = releaseIdParams.extend({ versionId });
const compareQuery = z.object({ from: versionId, to: z.union([z.literal('current'), versionId]) });
/** Field paths as shared/PROTOCOL.md names them, and `tracks.<id>` for a whole track. */
const FIELD_PATH = /^(notes|release\.[A-Za-z]{1,40}|tracks\.[0-9a-z]{8,40}(\.[A-Za-z]{1,40})?)$/;
const historyQuery = z.object({ path: z.string().max(200).regex(FIELD_PATH, 'not a field path') });
const activityQuery = z.object({
  kinds: z
    .string()
    .max(100)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return [...ACTIVITY_KINDS];
      const kinds = value.split(',');
      const unknown = kinds.filter((kind) => !(ACTIVITY_KINDS as readonly string[]).includes(kind));
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `unknown kinds: ${unknown.join(', ')}` });
        return z.NEVER;
      }
      return kinds as ActivityKind[];
    }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(600).optional(),
});

export const historyRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/releases/:releaseId/versions',
      {
        schema: {
          tags: ['history'],
          summary: 'Versions of the release, newest first',
          params: releaseIdParams,
          response: { 200: versionListSchema },
        },
      },
      async (request) => ({
        versions: await listVersions(deps, callerOf(request), request.params.releaseId),
      }),
    );

    app.post(
      '/releases/:releaseId/versions',
      {
        schema: {
          tags: ['history'],
          summary: 'Save the current state as a named version (whoever may edit)',
          params: releaseIdParams,
          body: createVersionBodySchema,
          response: { 201: versionSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await createNamedVersion(deps, callerOf(request), request.params.releaseId, request.body.name),
          ),
    );

    app.get(
      '/releases/:releaseId/versions/:versionId',
      {
        schema: {
          tags: ['history'],
          summary: 'One version with its sheet',
          params: versionParams,
          response: { 200: versionDetailSchema },
        },
      },
      async (request) =>
        getVersion(deps, callerOf(request), request.params.releaseId, request.params.versionId),
    );

    app.get(
      '/releases/:releaseId/compare',
      {
        schema: {
          tags: ['history'],
          summary: 'What changed between two versions, or a version and now (`to=current`)',
          params: releaseIdParams,
          querystring: compareQuery,
          response: { 200: compareResponseSchema },
        },
      },
      async (request) => ({
        diff: await compareVersions(
          deps,
          callerOf(request),
          request.params.releaseId,
          request.query.from,
          request.query.to,
        ),
      }),
    );

    app.get(
      '/releases/:releaseId/history',
      {
        schema: {
          tags: ['history'],
          summary: 'Past values of one field, newest first, with who set each and when',
          params: releaseIdParams,
          querystring: historyQuery,
          response: { 200: fieldHistorySchema },
        },
      },
      async (request) => ({
        entries: await fieldHistory(deps, callerOf(request), request.params.releaseId, request.query.path),
      }),
    );

    app.post(
      '/releases/:releaseId/versions/:versionId/restore',
      {
        schema: {
          tags: ['history'],
          summary: 'Restore a version, whole or some fields, as one edit everyone sees',
          params: versionParams,
          body: restoreBodySchema,
          response: { 200: restoreResponseSchema },
        },
      },
      async (request) => ({
        restored: await restoreVersion(
          deps,
          callerOf(request),
          request.params.releaseId,
          request.params.versionId,
          request.body?.paths,
        ),
      }),
    );

    app.post(
      '/releases/:releaseId/versions/:versionId/copy',
      {
        schema: {
          tags: ['history'],
          summary: 'Make a copy of a version as a new release (owners and label staff)',
          params: versionParams,
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await copyVersion(deps, callerOf(request), request.params.releaseId, request.params.versionId),
          ),
    );

    app.get(
      '/releases/:releaseId/activity',
      {
        schema: {
          tags: ['history'],
          summary: 'Edits, versions, sharing and status changes, newest first (who may read the audit log)',
          params: releaseIdParams,
          querystring: activityQuery,
          response: { 200: activityPageSchema },
        },
      },
      async (request) => activityFeed(deps, callerOf(request), request.params.releaseId, request.query),
    );
  };
