// The local API Gateway WebSocket emulator (DESIGN §3): what `npm start` and the integration
// tests run the handlers behind.
export type {
  GatewayLogger,
  LocalGatewayAddress,
  LocalGatewayEnv,
  LocalGatewayHandlers,
  LocalGatewayOptions,
} from './gateway-options.js';
export { DEFAULT_GATEWAY_OPTIONS, MANAGEMENT_ENDPOINT_ENV } from './gateway-options.js';
export { GatewayCloseCode } from './local-connection.js';
export { type LocalGateway, startLocalGateway } from './local-gateway.js';
