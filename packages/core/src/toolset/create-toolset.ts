import { summarizeScheme, findScheme } from './catalogue.js';
import { createCallbackHandler } from './callback-page.js';
import { createConnections } from './connections.js';
import { createToolsetContext } from './context.js';
import { createExecution } from './execution.js';
import { createIntegrations } from './integrations.js';
import { createProxy } from './proxy.js';
import { createActionSearch } from './search-actions.js';
import type { Toolset } from './toolset.js';
import type { ToolsetOptions } from './toolset-options.js';

// The public types live beside what they describe; they are re-exported here for the main entry.
export type { CallbackOutcome } from './callback-page.js';
export type { Connection } from './connection.js';
export type { ConnectionRequest, InitiateConnectionParams, WaitOptions } from './connections.js';
export type { CustomActionDefinition, ExecuteOptions } from './execution.js';
export type { CreateIntegrationParams, ExpectedParams, Integration, RequiredScopesParams } from './integrations.js';
export type { ProxyParams, ProxyResponse } from './proxy.js';
export type { Toolset } from './toolset.js';
export type { ToolsetOptions } from './toolset-options.js';

/**
 * The facade users hold: catalogue, integrations, connections, execution and events.
 * Creating one has no side effects: no socket is opened and no environment variable is read.
 */
export function createToolset(options: ToolsetOptions = {}): Toolset {
  const context = createToolsetContext(options);
  const { catalogue } = context;
  const search = createActionSearch(catalogue);
  const integrations = createIntegrations(context);
  const connections = createConnections(context, integrations);
  const execution = createExecution(context);

  return {
    listApps: () => catalogue.listApps(),
    listActions: (filter) => catalogue.listActions(filter),
    searchActions: (query, searchOptions) => search.searchActions(query, searchOptions),
    getAction(name) {
      const { action, connector } = catalogue.findAction(name);
      return catalogue.summarize(action, connector);
    },
    getAuthSchemeForApp: (app, mode) => summarizeScheme(findScheme(catalogue.getApp(app), mode)),
    getExpectedParamsForUser: integrations.getExpectedParamsForUser,

    createIntegration: integrations.createIntegration,
    requiredScopes: integrations.requiredScopes,
    getIntegration: integrations.getIntegration,
    listIntegrations: integrations.listIntegrations,
    deleteIntegration: integrations.deleteIntegration,

    initiateConnection: connections.initiateConnection,
    getConnection: connections.getConnection,
    listConnections: connections.listConnections,
    getConnectionCredentials: connections.getConnectionCredentials,
    deleteConnection: connections.deleteConnection,
    disableConnection: connections.disableConnection,
    enableConnection: connections.enableConnection,
    waitUntilActive: connections.waitUntilActive,
    completeConnection: connections.completeConnection,
    handleCallback: createCallbackHandler(context),
    refreshConnection: connections.refreshConnection,

    executeAction: execution.executeAction,
    addAuth: execution.addAuth,
    removeAuth: execution.removeAuth,
    createAction: execution.createAction,
    proxy: createProxy(context),

    on: (type, listener) => context.events.on(type, listener),
    store: context.store,
  };
}
