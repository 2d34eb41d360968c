import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../services/api-deps.js';
import { exportDdex, exportSheet, sheetToCsv } from '../../services/export-service.js';
import { acceptInvites } from '../../services/member-service.js';
import { createReleaseFor, deleteRelease, getRelease, listReleases } from '../../services/release-service.js';
import { callerOf } from '../authenticate.js';
import {
  createReleaseBody,
  csvExportQuery,
  exportQuery,
  listReleasesQuery,
  releaseIdParams,
} from '../schemas.js';

export const releaseRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/me', { schema: { tags: ['identity'], summary: 'Who is signed in' } }, async (request) => {
      const caller = callerOf(request);
      await acceptInvites(deps, caller);
      return { userId: caller.sub, email: caller.email, name: caller.name, groups: caller.groups };
    });

    app.get(
      '/releases',
      { schema: { tags: ['releases'], summary: 'Releases you may read', querystring: listReleasesQuery } },
      async (request) => {
        const caller = callerOf(request);
        await acceptInvites(deps, caller);
        return { releases: await listReleases(deps, caller, request.query) };
      },
    );

    app.post(
      '/releases',
      {
        schema: {
          tags: ['releases'],
          summary: 'Create a release (you become its owner)',
          body: createReleaseBody,
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createReleaseFor(deps, callerOf(request), request.body)),
    );

    app.get(
      '/releases/:releaseId',
      { schema: { tags: ['releases'], summary: 'Release metadata and your role', params: releaseIdParams } },
      async (request) => getRelease(deps, callerOf(request), request.params.releaseId),
    );

    app.delete(
      '/releases/:releaseId',
      {
        schema: {
          tags: ['releases'],
          summary: 'Delete a release and everything in it (owner or admin)',
          params: releaseIdParams,
        },
      },
      async (request, reply) => {
        await deleteRelease(deps, callerOf(request), request.params.releaseId);
        return reply.status(204).send();
      },
    );

    app.get(
      '/releases/:releaseId/export.json',
      {
        schema: {
          tags: ['export'],
          summary: 'The current sheet (or `?version=`) as JSON',
          params: releaseIdParams,
          querystring: exportQuery,
        },
      },
      async (request, reply) => {
        const sheet = await exportSheet(
          deps,
          callerOf(request),
          request.params.releaseId,
          request.query.version,
        );
        return reply
          .header('content-disposition', `attachment; filename="release-${request.params.releaseId}.json"`)
          .send(sheet);
      },
    );

    app.get(
      '/releases/:releaseId/export.csv',
      {
        schema: {
          tags: ['export'],
          summary:
            "The current sheet (or `?version=`) as CSV, one row per track, in our own layout or a distributor's template (`layout`)",
          params: releaseIdParams,
          querystring: csvExportQuery,
        },
      },
      async (request, reply) => {
        const { layout, version } = request.query;
        const sheet = await exportSheet(deps, callerOf(request), request.params.releaseId, version);
        const suffix = layout === 'patchline' ? '' : `.${layout}`;
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="release-${request.params.releaseId}${suffix}.csv"`,
          )
          .send(sheetToCsv(sheet, layout));
      },
    );

    app.get(
      '/releases/:releaseId/export.ddex.xml',
      {
        schema: {
          tags: ['export'],
          summary:
            'The current sheet (or `?version=`) as a DDEX ERN 4.3 NewReleaseMessage (422 with the blocking problems until ready)',
          params: releaseIdParams,
          querystring: exportQuery,
        },
      },
      async (request, reply) => {
        const message = await exportDdex(
          deps,
          callerOf(request),
          request.params.releaseId,
          request.query.version,
        );
        return reply
          .type('application/xml; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="release-${request.params.releaseId}.ddex.xml"`,
          )
          .send(message);
      },
    );
  };
