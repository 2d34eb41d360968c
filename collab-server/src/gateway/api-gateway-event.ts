/**
 * The subset of API Gateway WebSocket Lambda events the handlers read. The local gateway builds
 * exactly this shape, so the handlers that run locally are the ones that ship.
 */
export type RouteKey = '$connect' | '$disconnect' | '$default';

export interface WebSocketEvent {
  requestContext: {
    routeKey: RouteKey;
    eventType: 'CONNECT' | 'DISCONNECT' | 'MESSAGE';
    /** Opaque id; the handlers never parse it. */
    connectionId: string;
    domainName: string;
    stage: string;
    apiId: string;
    requestId: string;
    connectedAt: number;
    requestTimeEpoch: number;
    messageId?: string;
    disconnectStatusCode?: number;
    disconnectReason?: string;
  };
  /** Only on `$connect`. */
  queryStringParameters?: Record<string, string>;
  /** Only on `$connect`. */
  headers?: Record<string, string>;
  /** Only on `$default`: the text frame. */
  body?: string;
  isBase64Encoded: boolean;
}

/** A non-2xx result from `$connect` makes API Gateway refuse the handshake with that status. */
export interface HandlerResult {
  statusCode: number;
  body?: string;
}

export type WebSocketHandler = (event: WebSocketEvent) => Promise<HandlerResult>;
