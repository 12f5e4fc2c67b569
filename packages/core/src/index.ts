// The public API of @plugboard/core. Building blocks shared by Plugboard's own packages live in
// `@plugboard/core/internal` (unstable); this entry keeps what apps and connector authors use.
// The types after each group's values are the ones users meet through those values' signatures.

// Toolset
export { createToolset } from './toolset/create-toolset.js';
export type {
  Toolset,
  ToolsetOptions,
  CallbackOutcome,
  Connection,
  ConnectionRequest,
  CreateIntegrationParams,
  CustomActionDefinition,
  ExecuteOptions,
  ExpectedParams,
  InitiateConnectionParams,
  Integration,
  ProxyParams,
  ProxyResponse,
  RequiredScopesParams,
  WaitOptions,
} from './toolset/create-toolset.js';
export type { ActionResult } from './toolset/run-action.js';
export type { ActionSummary, AppSummary, AuthSchemeSummary } from './toolset/catalogue.js';
export type { ActionSearchResult, SearchActionsOptions } from './toolset/search-actions.js';
export type { CredentialOptions } from './toolset/resolve-auth.js';
export type { CallbackInput } from './toolset/connect-flows.js';
export type { RefreshOptions } from './toolset/token-refresh.js';

// Sending requests: hooks, the one sleep
export { abortableDelay, redactorOf } from './http/send-request.js';
export type { HttpHooks, FetchFunction, HttpOptions } from './http/send-request.js';
export { httpUrlProblem } from './http/http-url.js';

// Connector spec
export { defineConnector, CONNECTOR_SPEC_VERSION } from './spec/connector.js';
export { defineAction } from './spec/action.js';
export { createJsonReader } from './spec/generated-json.js';
export type { Connector, ConnectorDefinition } from './spec/connector.js';
export type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionEffects,
  BodyEncoding,
  HttpMethod,
  HttpRequestOptions,
  HttpResponse,
  JsonSchemaObject,
  QueryValue,
  RequestSpec,
} from './spec/action.js';
export type { RateLimit, RateLimitAnswer, RateLimitReader } from './http/rate-limit.js';

// Auth schemes
export {
  authField,
  apiKeyScheme,
  bearerTokenScheme,
  basicScheme,
  noAuthScheme,
  oauth2Scheme,
  oauth1Scheme,
  basicWithJwtScheme,
  basicAuthorization,
} from './spec/auth-scheme.js';
export { signedAssertionScheme } from './auth/signed-assertion/settings.js';
export type {
  AuthScheme,
  AuthField,
  AuthMode,
  AuthParameter,
  BasicWithJwtSettings,
  CustomAuth,
  OAuth1Settings,
  OAuth2CallbackContext,
  OAuth2ClientAuthMethod,
  OAuth2Settings,
  Placement,
  PlacementTemplate,
} from './spec/auth-scheme.js';
export type { SignedAssertionExchange, SignedAssertionSettings } from './auth/signed-assertion/settings.js';

// Stores
export { memoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export type {
  Store,
  ConnectionChanges,
  ConnectionFilter,
  ConnectionLookup,
  ConnectionRecord,
  ConnectionStatus,
  ConnectionWithIntegration,
  IntegrationRecord,
  PendingAuthRecord,
  StoreLock,
} from './store/store.js';

// Errors and redaction
export { PlugboardError, ErrorCodes, serializeError } from './errors.js';
export type { ErrorCode, PlugboardErrorOptions, SerializedError } from './errors.js';
export { createRedactor } from './redact.js';
export type { Redactor } from './redact.js';

// Credential providers
export { defineCredentialProvider } from './providers/credential-provider.js';
export type { CredentialProvider, CredentialRequest, ProvidedCredentials } from './providers/credential-provider.js';

// Agent tools, shared by the framework adapters
export { createAgentTools, runToolCalls } from './agents/agent-tools.js';
export { ROUTER_TOOL_NAMES } from './agents/action-router.js';
export type {
  AgentTool,
  AgentToolLimits,
  AgentToolSet,
  ToolCall,
  ToolCallOutcome,
  ToolSelection,
  ToolsetForAgents,
} from './agents/agent-tools.js';

// Toolset events (issue #19)
export type {
  EventConnection,
  ToolsetEvent,
  ToolsetEventListener,
  ToolsetEventOf,
  ToolsetEventOptions,
  ToolsetEventType,
} from './toolset/events.js';

// OpenTelemetry (issue #19)
export type { TracerProviderLike, TracingOptions } from './telemetry/tracing.js';

// An action's view of its connection (issue #19)
export type { ActionConnection } from './spec/action.js';
