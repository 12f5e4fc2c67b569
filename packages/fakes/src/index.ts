// Recording API server
export { startRecordingServer, linkHeader } from './recording-server.js';
export type { Handler, RecordedRequest, RecordingServer, Reply, Routes } from './recording-server.js';
export { rerouteFetch } from './reroute-fetch.js';
export type { FetchLike, ReroutedRequest, ReroutingFetch, ReroutingOptions } from './reroute-fetch.js';

// OAuth 1.0a provider
export {
  startFakeOAuth1Server,
  parseOAuthHeader,
  parseFormEncoded,
  referenceBaseString,
  referenceSignature,
  rfc5849Encode,
} from './fake-oauth1-server.js';
export type {
  FakeOAuth1Paths,
  FakeOAuth1Reply,
  FakeOAuth1Request,
  FakeOAuth1Server,
  FakeOAuth1ServerOptions,
  FakeOAuth1Settings,
  FakeSignatureMethod,
  ReferenceRequest,
} from './fake-oauth1-server.js';

// GitHub's OAuth web flow, as options of startFakeOAuth2Server
export { githubOAuth2Options, githubOAuthClient } from './github-oauth2.js';
export type { GitHubOAuthApp } from './github-oauth2.js';

// Trello's OAuth 1.0a provider, as options of the fake above
export { TRELLO_OAUTH1, trelloRoutes } from './trello-oauth1.js';

// OAuth 2.0 authorization server and protected resource
export {
  startFakeOAuth2Server,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_REDIRECT_URIS,
} from './fake-oauth2-server.js';
export type {
  FailureOptions,
  FakeAuthorizationDecision,
  FakeAuthorizeRequest,
  FakeClientAuthMethod,
  FakeGrantType,
  FakeIssuedToken,
  FakeOAuth2Client,
  FakeOAuth2Counters,
  FakeOAuth2ErrorOverride,
  FakeOAuth2ErrorSituation,
  FakeOAuth2Options,
  FakeOAuth2Server,
  FakeRecordedRequest,
  FakeRedirectUriMatching,
  FakeResourceReply,
  FakeResourceRequest,
  FakeTokenRequest,
  FakeUsedClientAuthMethod,
} from './fake-oauth2-server.js';

// Package checks
export { probeImport } from './import-probe.js';
export type { ImportProbeOptions, ImportProbeReport } from './import-probe.js';

// Plugboard errors in tests
export { errorOf, errorThrownBy } from './error-of.js';
export type { PlugboardErrorLike } from './error-of.js';
