import {
  CONNECTOR_SPEC_VERSION,
  PlugboardError,
  defineConnector,
  httpUrlProblem,
  type Connector,
} from '@plugboard/core';
import { githubActions } from './actions/index.js';
import { loadGeneratedActions } from './generated-actions.js';
import { GENERATED_OPERATION_COUNT } from './generated/operation-count.js';
import { githubAppScheme, githubOAuth2Scheme, githubTokenScheme } from './github-auth.js';
import { githubRateLimit } from './github-rate-limit.js';
import { CONNECTOR_VERSION as GITHUB_CONNECTOR_VERSION } from './version.js';

/** GitHub's REST API on github.com. */
export const GITHUB_API_URL = 'https://api.github.com';
/** Where github.com users sign in and authorize OAuth apps and GitHub Apps. */
export const GITHUB_WEB_URL = 'https://github.com';
/**
 * The REST API version sent in `X-GitHub-Api-Version` unless another is chosen. The actions are
 * checked against GitHub's OpenAPI description for this version and for 2026-03-10.
 * @see https://docs.github.com/rest/about-the-rest-api/api-versions
 */
export const GITHUB_DEFAULT_API_VERSION = '2022-11-28';

export interface GitHubConnectorOptions {
  /**
   * The REST API base URL: GitHub Enterprise Server's is `https://HOST/api/v3`, GitHub Enterprise
   * Cloud with data residency's is `https://api.SUBDOMAIN.ghe.com`.
   * @default 'https://api.github.com'
   * @example 'https://ghe.example.com/api/v3'
   */
  baseUrl?: string;
  /**
   * The web host, where the OAuth authorize and token endpoints live (`/login/oauth/...`).
   * Derived from `baseUrl` when omitted: `https://HOST/api/v3` gives `https://HOST`, and
   * `https://api.HOST` gives `https://HOST`.
   * @default 'https://github.com'
   * @example 'https://ghe.example.com'
   */
  webUrl?: string;
  /**
   * The `X-GitHub-Api-Version` header sent with every request.
   * @default '2022-11-28'
   */
  apiVersion?: string;
  /**
   * OAuth scopes requested when an integration gives none. Scopes apply to OAuth apps; GitHub Apps
   * use their fine-grained permissions instead and ignore them.
   * @default ['repo', 'read:user']
   */
  defaultScopes?: readonly string[];
  /**
   * Send a PKCE S256 challenge in the OAuth flow. github.com supports it since July 2025; turn it
   * off only for a GitHub Enterprise Server that refuses it.
   * @default true
   */
  pkce?: boolean;
  /**
   * The `User-Agent` header; GitHub refuses requests without one. Browsers keep their own.
   * @default 'plugboard-github/VERSION'
   */
  userAgent?: string;
}

function invalidOption(message: string): never {
  throw new PlugboardError('INVALID_DEFINITION', `Invalid GitHub connector option: ${message}`);
}

function absoluteUrl(value: string, name: string): URL {
  const problem = httpUrlProblem(value);
  if (problem !== undefined) invalidOption(`${name} ${JSON.stringify(value)} ${problem}.`);
  return new URL(value);
}

function withoutTrailingSlash(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The web host that goes with an API base URL, for the OAuth endpoints. */
export function webUrlFor(baseUrl: string): string {
  const url = absoluteUrl(baseUrl, 'baseUrl');
  const path = url.pathname.replace(/\/+$/, '');
  if (url.hostname === 'api.github.com' && path === '') return GITHUB_WEB_URL;
  // GitHub Enterprise Server: https://HOST/api/v3
  if (/^\/api\/v3$/i.test(path)) return url.origin;
  // GitHub Enterprise Cloud with data residency: https://api.SUBDOMAIN.ghe.com
  if (path === '' && url.hostname.startsWith('api.')) return `${url.protocol}//${url.host.slice(4)}`;
  return invalidOption(
    `cannot tell the web URL (for OAuth) from baseUrl ${JSON.stringify(baseUrl)}; give webUrl as well.`,
  );
}

/**
 * The GitHub connector, for github.com or a GitHub Enterprise host.
 * @example githubConnector({ baseUrl: 'https://ghe.example.com/api/v3' })
 */
export function githubConnector(options: GitHubConnectorOptions = {}): Connector {
  const baseUrl =
    options.baseUrl === undefined ? GITHUB_API_URL : withoutTrailingSlash(absoluteUrl(options.baseUrl, 'baseUrl'));
  const webUrl =
    options.webUrl === undefined ? webUrlFor(baseUrl) : withoutTrailingSlash(absoluteUrl(options.webUrl, 'webUrl'));
  const apiVersion = options.apiVersion ?? GITHUB_DEFAULT_API_VERSION;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(apiVersion))
    invalidOption(`apiVersion must be a date like "2022-11-28", got ${JSON.stringify(apiVersion)}.`);
  return defineConnector({
    id: 'github',
    name: 'GitHub',
    description: 'Pull requests, issues, repositories, files, commits and search on GitHub.',
    version: GITHUB_CONNECTOR_VERSION,
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl,
    headers: {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': apiVersion,
      'User-Agent': options.userAgent ?? `plugboard-github/${GITHUB_CONNECTOR_VERSION}`,
    },
    authSchemes: [githubOAuth2Scheme(webUrl, options), githubTokenScheme(), githubAppScheme()],
    preferredAuthMode: 'OAUTH2',
    actions: [...githubActions],
    // Every other REST operation, from GitHub's OpenAPI description: read and built on first need.
    generatedActions: loadGeneratedActions,
    // Each curated action takes over one generated operation (a test checks the sum), so listApps
    // counts the catalogue without reading it.
    generatedActionCount: GENERATED_OPERATION_COUNT - githubActions.length,
    rateLimit: (answer) => githubRateLimit(answer),
    docsUrl: 'https://docs.github.com/rest',
  });
}

/** The GitHub connector for github.com, with the default API version. */
export const github: Connector = githubConnector();
