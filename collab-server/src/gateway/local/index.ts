// The local API Gateway WebSocket emulator (README.md, "The local stack"): what `npm start` and the integration
// tests run the handlers behind.
export type {
  GatewayLogger,
  GatewayOrdering,
  LocalGatewayAddress,
  LocalGatewayEnv,
  LocalGatewayHandlers,
  LocalGatewayOptions,
} from './gateway-options.js';
export {
  DEFAULT_GATEWAY_OPTIONS,
  GATEWAY_ORDERING_ENV,
  GATEWAY_ORDERINGS,
  GATEWAY_SEED_ENV,
  MANAGEMENT_ENDPOINT_ENV,
  parseOrdering,
} from './gateway-options.js';
export { GatewayCloseCode } from './local-connection.js';
export { type LocalGateway, startLocalGateway } from './local-gateway.js';
