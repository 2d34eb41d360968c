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

export interface LinkRateLimit {
  max: number;
  timeWindow: number;
}

/** Share-link management and redemption (signed in). */
export const shareLinkRoutes =
  (deps: ApiDeps, rateLimit: LinkRateLimit): FastifyPluginAsyncZod =>
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
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createShareLink(deps, callerOf(request), request.params.releaseId, request.body)),
    );
    app.get(
      '/releases/:releaseId/share-links',
      { schema: { tags, summary: 'Links of a release (no tokens)', params: releaseIdParams } },
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
        config: { rateLimit },
        schema: { tags, summary: 'Redeem a link: you get its role', params: tokenParams },
      },
      async (request) => redeemShareLink(deps, callerOf(request), request.params.token),
    );
  };

/** The one unauthenticated look at a link: title, role offered, expired or not. */
export const shareLinkPreviewRoute =
  (deps: ApiDeps, rateLimit: LinkRateLimit): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/share-links/:token/preview',
      {
        config: { rateLimit },
        schema: { tags: ['share links'], summary: 'Preview a link without signing in', params: tokenParams },
      },
      async (request) => previewShareLink(deps, request.params.token),
    );
  };
