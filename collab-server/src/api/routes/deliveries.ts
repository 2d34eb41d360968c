import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../services/api-deps.js';
import { listDeliveries, readDeliveryFile } from '../../services/delivery-service.js';
import { callerOf } from '../authenticate.js';
import { deliveryParams, releaseIdParams } from '../schemas.js';

/** What was sent at each delivery, downloadable again byte for byte (docs/DELIVERY.md). */
export const deliveryRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/releases/:releaseId/deliveries',
      {
        schema: {
          tags: ['export'],
          summary: 'Deliveries of the release, newest first: when, who, sizes of the kept files',
          params: releaseIdParams,
        },
      },
      async (request) => ({
        deliveries: await listDeliveries(deps, callerOf(request), request.params.releaseId),
      }),
    );

    app.get(
      '/releases/:releaseId/deliveries/:deliveryId/export.ddex.xml',
      {
        schema: {
          tags: ['export'],
          summary: 'The DDEX message kept at that delivery, as it was sent',
          params: deliveryParams,
        },
      },
      async (request, reply) => {
        const { releaseId, deliveryId } = request.params;
        const bytes = await readDeliveryFile(deps, callerOf(request), releaseId, deliveryId, 'ddex');
        return reply
          .type('application/xml; charset=utf-8')
          .header('content-disposition', `attachment; filename="release-${releaseId}-${deliveryId}.ddex.xml"`)
          .send(Buffer.from(bytes));
      },
    );

    app.get(
      '/releases/:releaseId/deliveries/:deliveryId/export.json',
      {
        schema: {
          tags: ['export'],
          summary: 'The JSON export kept at that delivery, as it was then',
          params: deliveryParams,
        },
      },
      async (request, reply) => {
        const { releaseId, deliveryId } = request.params;
        const bytes = await readDeliveryFile(deps, callerOf(request), releaseId, deliveryId, 'json');
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="release-${releaseId}-${deliveryId}.json"`)
          .send(Buffer.from(bytes));
      },
    );
  };
