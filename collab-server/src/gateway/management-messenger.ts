import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { createLoopbackRequestHandler } from '../aws/loopback-request-handler.js';
import type { ConnectionMessenger } from '../core/messenger.js';

const encoder = new TextEncoder();

/** `ConnectionMessenger` over the API Gateway management API (AWS or the local gateway). */
export function createManagementMessenger(config: {
  endpoint: string;
  region: string;
  isLocal: boolean;
}): ConnectionMessenger {
  const client = new ApiGatewayManagementApiClient({
    endpoint: config.endpoint,
    region: config.region,
    // One PostToConnection per recipient per update: resolve the middleware stack once.
    cacheMiddleware: true,
    ...(config.isLocal
      ? {
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          requestHandler: createLoopbackRequestHandler(),
        }
      : {}),
  });
  return {
    async post(connectionId, frame) {
      try {
        await client.send(
          new PostToConnectionCommand({ ConnectionId: connectionId, Data: encoder.encode(frame) }),
        );
        return 'sent';
      } catch (error) {
        if (
          error instanceof GoneException ||
          (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
        ) {
          return 'gone';
        }
        throw error;
      }
    },
    async close(connectionId) {
      try {
        await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
      } catch (error) {
        if (!(error instanceof GoneException)) throw error;
      }
    },
  };
}
