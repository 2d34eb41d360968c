import { handleDisconnect } from '../core/handle-disconnect.js';
import type { WebSocketHandler } from '../gateway/api-gateway-event.js';
import { handlerContext } from './handler-context.js';

/** `$disconnect` Lambda entry point. */
export const handler: WebSocketHandler = async (event) => {
  await handleDisconnect(await handlerContext(), event.requestContext.connectionId);
  return { statusCode: 200 };
};
