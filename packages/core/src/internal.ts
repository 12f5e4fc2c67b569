/**
 * `@plugboard/core/internal`: the building blocks Plugboard's own packages share (the test kit,
 * the server, the stores, the adapters, the credential providers, the bench).
 *
 * **Unstable: not covered by semver.** Anything here may change or go in any release, minor and
 * patch included. Apps and connectors use the main entry, `@plugboard/core`.
 * @packageDocumentation
 */

// Connector spec: definition-time checks and the parsed form of a request spec.
export { assertCompatibleSpecVersion } from './spec/connector.js';
export { effectsOfMethod, parseRequestSpec, HTTP_METHODS } from './spec/action.js';
export type { ParsedRequestSpec, PathParam } from './spec/action.js';

// Auth schemes and placement: the lists of modes and placements, fields by who supplies them.
export { AUTH_MODES, PLACEMENTS, developerFields, userFields } from './spec/auth-scheme.js';
export { renderPlacements } from './auth/render-placements.js';

// Requests: building, checking and sending them.
export { buildRequest, checkAuthParameters } from './http/build-request.js';
export type { BuiltRequest, RequestParts } from './http/build-request.js';
export { createSender, readBody, sendRequest } from './http/send-request.js';
export type { SendOptions, Sender, SenderOptions, SentResponse } from './http/send-request.js';

// Stores, errors, redaction and credential providers.
export { CONNECTION_STATUSES } from './store/store.js';
export { REDACTED } from './redact.js';
export { isCredentialProvider } from './providers/credential-provider.js';

// Agent tools: naming and trimming what a model is shown.
export { toolName, trimDescription } from './agents/agent-tools.js';
export type { RouterHandler } from './agents/action-router.js';
