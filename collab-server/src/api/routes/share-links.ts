import {
  createdShareLinkSchema,
  redeemedShareLinkSchema,
  shareLinkListSchema,
  shareLinkPreviewSchema,
} from '@patchline/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../services/api-deps.js';
import {
  createShareLink,
  listShareLinks,
  previewShareLink,
  redeemShareLink,
  revokeShareLink,
} from '../../services/share-link-service.js';
import { callerOf } from '../authenticate.js';
import { createLinkBody, linkParams, releaseIdParams, tokenParams } from '../schemas.js';

/** Share-link management and redemption (signed in). */
export const shareLinkRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['share links'];
    app.post(
      '/releases/:releaseId/share-links',
      {
        schema: {
          tags,
          summary: 'Create a link (the token is shown once)',
          params: releaseIdParams,
          body: createLinkBody,
          response: { 201: createdShareLinkSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createShareLink(deps, callerOf(request), request.params.releaseId, request.body)),
    );
    app.get(
      '/releases/:releaseId/share-links',
      {
        schema: {
          tags,
          summary: 'Links of a release (no tokens)',
          params: releaseIdParams,
          response: { 200: shareLinkListSchema },
        },
      },
      async (request) => ({
        links: await listShareLinks(deps, callerOf(request), request.params.releaseId),
      }),
    );
    app.delete(
      '/releases/:releaseId/share-links/:linkId',
      { schema: { tags, summary: 'Revoke a link and the access it gave', params: linkParams } },
      async (request, reply) => {
        await revokeShareLink(deps, callerOf(request), request.params.releaseId, request.params.linkId);
        return reply.status(204).send();
      },
    );
    app.post(
      '/share-links/:token/redeem',
      {
        schema: {
          tags,
          summary: 'Redeem a link: you get its role (limited per client and per link: 429 with Retry-After)',
          params: tokenParams,
          response: { 200: redeemedShareLinkSchema },
        },
      },
      async (request) => redeemShareLink(deps, callerOf(request), request.params.token, request.ip),
    );
  };

/** The one unauthenticated look at a link: title, role offered, expired or not. */
export const shareLinkPreviewRoute =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/share-links/:token/preview',
      {
        schema: {
          tags: ['share links'],
          summary: 'Preview a link without signing in (limited per client: 429 with Retry-After)',
          security: [],
          params: tokenParams,
          response: { 200: shareLinkPreviewSchema },
        },
      },
      async (request) => previewShareLink(deps, request.params.token, request.ip),
    );
  };
