/**
 * WebSocket close codes. 1003 and 1009 are what API Gateway itself uses for binary and
 * oversize frames; the 44xx range mirrors HTTP statuses for application refusals.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  messageTooBig: 1009,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  idleTimeout: 4408,
  revoked: 4410,
  protocolError: 4400,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
