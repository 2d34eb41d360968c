import { handleFrame } from '../core/handle-frame.js';
import type { WebSocketHandler } from '../gateway/api-gateway-event.js';
import { handlerContext } from './handler-context.js';

/** `$default` Lambda entry point: one text frame of the wire protocol (PROTOCOL.md). */
export const handler: WebSocketHandler = async (event) => {
  const body =
    event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  await handleFrame(
    await handlerContext(),
    event.requestContext.connectionId,
    body,
    event.requestContext.requestTimeEpoch,
  );
  return { statusCode: 200 };
};
