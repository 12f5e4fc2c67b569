export { createConnectHandler } from './connect-handler.js';
export type { ConnectHandler, ConnectHandlerOptions } from './connect-handler.js';
export { createConnectLink } from './connect-link.js';
export type { ConnectLink, CreateConnectLinkOptions } from './connect-link.js';
