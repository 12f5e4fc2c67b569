// Connector spec
export { defineConnector, assertCompatibleSpecVersion, CONNECTOR_SPEC_VERSION } from './spec/connector.js';
export type { Connector, ConnectorDefinition } from './spec/connector.js';
export { defineAction, effectsOfMethod, parseRequestSpec, HTTP_METHODS } from './spec/action.js';
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
  ParsedRequestSpec,
  PathParam,
  QueryValue,
  RequestSpec,
} from './spec/action.js';

// Auth schemes and placement
export {
  AUTH_MODES,
  PLACEMENTS,
  authField,
  apiKeyScheme,
  bearerTokenScheme,
  basicScheme,
  noAuthScheme,
  oauth2Scheme,
  oauth1Scheme,
  basicWithJwtScheme,
  basicAuthorization,
  developerFields,
  userFields,
} from './spec/auth-scheme.js';
export type {
  AuthField,
  AuthMode,
  AuthParameter,
  AuthScheme,
  BasicWithJwtSettings,
  CustomAuth,
  OAuth1Settings,
  OAuth2CallbackContext,
  OAuth2ClientAuthMethod,
  OAuth2Settings,
  Placement,
  PlacementTemplate,
} from './spec/auth-scheme.js';
export { renderPlacements } from './auth/render-placements.js';
export { buildRequest, checkAuthParameters } from './http/build-request.js';
export type { BuiltRequest, RequestParts } from './http/build-request.js';
export { abortableDelay } from './http/send-request.js';
export type { FetchFunction, HttpOptions } from './http/send-request.js';
export type { RateLimit, RateLimitAnswer, RateLimitReader } from './http/rate-limit.js';
export { httpUrlProblem } from './http/http-url.js';

// Toolset
export { createToolset } from './toolset/create-toolset.js';
export type {
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
  Toolset,
  ToolsetOptions,
  WaitOptions,
} from './toolset/create-toolset.js';
export type { ActionSummary, AppSummary, AuthSchemeSummary } from './toolset/catalogue.js';
export type { ActionSearchResult, SearchActionsOptions } from './toolset/search-actions.js';
export type { CredentialOptions } from './toolset/resolve-auth.js';
export type { CallbackInput } from './toolset/connect-flows.js';
export type { RefreshOptions } from './toolset/token-refresh.js';
export type { ActionResult } from './toolset/run-action.js';

// Stores
export { memoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export { CONNECTION_STATUSES } from './store/store.js';
export type {
  ConnectionChanges,
  ConnectionFilter,
  ConnectionRecord,
  ConnectionStatus,
  IntegrationRecord,
  PendingAuthRecord,
  Store,
  StoreLock,
} from './store/store.js';

// Errors and redaction
export { PlugboardError, ErrorCodes, serializeError } from './errors.js';
export type { ErrorCode, PlugboardErrorOptions, SerializedError } from './errors.js';
export { createRedactor, REDACTED } from './redact.js';
export type { Redactor } from './redact.js';

// Credential providers
export { defineCredentialProvider, isCredentialProvider } from './providers/credential-provider.js';
export type { CredentialProvider, CredentialRequest, ProvidedCredentials } from './providers/credential-provider.js';

// Agent tools, shared by the framework adapters
export { createAgentTools, runToolCalls, toolName, trimDescription } from './agents/agent-tools.js';
export { ROUTER_TOOL_NAMES } from './agents/action-router.js';
export type { RouterHandler } from './agents/action-router.js';
export type {
  AgentTool,
  AgentToolLimits,
  AgentToolSet,
  ToolCall,
  ToolCallOutcome,
  ToolSelection,
  ToolsetForAgents,
} from './agents/agent-tools.js';

export { signedAssertionScheme } from './auth/signed-assertion/settings.js';
export type { SignedAssertionExchange, SignedAssertionSettings } from './auth/signed-assertion/settings.js';

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
