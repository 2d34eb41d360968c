import { handleConnect } from '../core/handle-connect.js';
import type { WebSocketHandler } from '../gateway/api-gateway-event.js';
import { handlerContext } from './handler-context.js';

/** `$connect` Lambda entry point: `?doc=<releaseId>&token=<Cognito ID token>`. */
export const handler: WebSocketHandler = async (event) => {
  const deps = await handlerContext();
  const result = await handleConnect(deps, {
    connectionId: event.requestContext.connectionId,
    releaseId: event.queryStringParameters?.doc,
    token: event.queryStringParameters?.token,
  });
  return result.ok ? { statusCode: 200 } : { statusCode: result.status, body: result.message };
};
