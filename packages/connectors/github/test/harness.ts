import { createToolset, type Toolset, type ToolsetOptions } from '@plugboard/core';
import { githubConnector, type GitHubConnectorOptions } from '../src/index.js';
import { startFakeGitHubApi, type FakeGitHubApi, type RecordedRequest } from './fake-github-api.js';
import { startFakeGitHubOAuth, type FakeGitHubOAuth, type RegisteredApp } from './fake-github-oauth.js';
import { rerouteFetch, type ReroutedRequest as SentRequest } from '@plugboard/testkit';

export const PAT = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
export const OAUTH_APP: RegisteredApp = {
  clientId: 'Ov23liAbCdEf0123',
  clientSecret: 'oauth-app-secret-0123456789abcdef',
  callbackUrls: ['https://app.example/github'],
  kind: 'oauth_app',
};
export const GITHUB_APP: RegisteredApp = {
  clientId: 'Iv23liGhIjKl4567',
  clientSecret: 'github-app-secret-fedcba9876543210',
  callbackUrls: ['https://app.example/github/app-callback', 'https://app.example/other'],
  kind: 'github_app',
};

/** Headers fetch adds on its own; the rest is what the connector chose to send. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'transfer-encoding',
]);

/** A recorded request's headers without the transport ones. */
export function sentHeaders(request: RecordedRequest | undefined): Record<string, string> {
  if (!request) throw new Error('no request was recorded');
  return Object.fromEntries(Object.entries(request.headers).filter(([name]) => !TRANSPORT_HEADERS.has(name)));
}

export interface GitHubHarness {
  api: FakeGitHubApi;
  oauth: FakeGitHubOAuth;
  toolset: Toolset;
  sent: SentRequest[];
  fetch: typeof fetch;
  close(): Promise<void>;
}

export interface HarnessOptions {
  connector?: GitHubConnectorOptions;
  /** Where the API is published. @default 'https://api.github.com' */
  apiUrl?: string;
  /** Where the OAuth endpoints are published. @default 'https://github.com' */
  webUrl?: string;
  toolset?: Omit<ToolsetOptions, 'connectors' | 'fetch'>;
}

/**
 * The fake API and OAuth servers, and a toolset whose fetch reroutes api.github.com and
 * github.com (or GHES URLs) to them. A personal access token `PAT` of octocat is accepted.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<GitHubHarness> {
  const apiUrl = options.apiUrl ?? 'https://api.github.com';
  const webUrl = options.webUrl ?? 'https://github.com';
  const oauth = await startFakeGitHubOAuth({ apps: [OAUTH_APP, GITHUB_APP] });
  const api = await startFakeGitHubApi({ publicUrl: apiUrl, resolveToken: (token) => oauth.tokenInfo(token) });
  api.addToken(PAT, { login: 'octocat', scopes: [], kind: 'pat' });
  const routes = rerouteFetch({ [apiUrl]: api.url, [webUrl]: oauth.url });
  const toolset = createToolset({
    connectors: [githubConnector(options.connector)],
    fetch: routes.fetch,
    ...options.toolset,
  });
  return {
    api,
    oauth,
    toolset,
    sent: routes.sent,
    fetch: routes.fetch as typeof fetch,
    close: async () => {
      await api.close();
      await oauth.close();
    },
  };
}

/** A BEARER_TOKEN connection with the personal access token, for entity `default`. */
export async function connectWithToken(harness: GitHubHarness, token = PAT): Promise<string> {
  const request = await harness.toolset.initiateConnection({
    app: 'github',
    authMode: 'BEARER_TOKEN',
    connectedAccountParams: { token },
  });
  return request.connectedAccountId;
}
