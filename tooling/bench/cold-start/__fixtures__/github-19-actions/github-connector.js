import { CONNECTOR_SPEC_VERSION, PlugboardError, authField, defineConnector, oauth2Scheme, } from '@plugboard/core';
import { githubActions } from './actions/index.js';
import { GITHUB_CONNECTOR_VERSION } from './version.js';
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
/** Scopes an OAuth app asks for when the integration names none (GitHub Apps ignore scopes). */
export const GITHUB_DEFAULT_SCOPES = ['repo', 'read:user'];
function invalidOption(message) {
    throw new PlugboardError('INVALID_DEFINITION', `Invalid GitHub connector option: ${message}`);
}
function absoluteUrl(value, name) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return invalidOption(`${name} ${JSON.stringify(value)} is not an absolute URL.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        invalidOption(`${name} must be an http or https URL.`);
    if (url.search || url.hash || url.username || url.password)
        invalidOption(`${name} cannot have a query, a fragment or credentials.`);
    return url;
}
function withoutTrailingSlash(url) {
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
/** The web host that goes with an API base URL, for the OAuth endpoints. */
export function webUrlFor(baseUrl) {
    const url = absoluteUrl(baseUrl, 'baseUrl');
    const path = url.pathname.replace(/\/+$/, '');
    if (url.hostname === 'api.github.com' && path === '')
        return GITHUB_WEB_URL;
    // GitHub Enterprise Server: https://HOST/api/v3
    if (/^\/api\/v3$/i.test(path))
        return url.origin;
    // GitHub Enterprise Cloud with data residency: https://api.SUBDOMAIN.ghe.com
    if (path === '' && url.hostname.startsWith('api.'))
        return `${url.protocol}//${url.host.slice(4)}`;
    return invalidOption(`cannot tell the web URL (for OAuth) from baseUrl ${JSON.stringify(baseUrl)}; give webUrl as well.`);
}
/** The OAuth 2.0 web application flow of OAuth apps and GitHub Apps. */
export function githubOAuth2Scheme(webUrl, options = {}) {
    return oauth2Scheme({
        displayName: 'GitHub OAuth app or GitHub App (user access token)',
        authorizationUrl: `${webUrl}/login/oauth/authorize`,
        tokenUrl: `${webUrl}/login/oauth/access_token`,
        defaultScopes: [...(options.defaultScopes ?? GITHUB_DEFAULT_SCOPES)],
        scopeSeparator: ' ',
        pkce: options.pkce ?? true,
        // GitHub documents client_id and client_secret as parameters of the token request, not Basic auth.
        clientAuthMethod: 'client_secret_post',
        // Refresh tokens come only from GitHub Apps with expiring user access tokens (8 hours).
        grantTypes: ['authorization_code', 'refresh_token'],
        // GitHub answers a used or revoked refresh token with bad_refresh_token (and HTTP 200).
        reauthErrors: ['invalid_grant', 'bad_refresh_token'],
    });
}
/** `Authorization: Bearer TOKEN` for personal access tokens and other GitHub tokens. */
export function githubTokenScheme() {
    return {
        mode: 'BEARER_TOKEN',
        displayName: 'Personal access token',
        fields: [
            authField({
                name: 'token',
                displayName: 'Personal access token',
                description: 'A fine-grained (github_pat_...) or classic (ghp_...) personal access token, or another GitHub token such as a GitHub App installation token (ghs_...). Without the "Bearer " prefix.',
                secret: true,
                pattern: '[A-Za-z0-9_]+',
            }),
        ],
        placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{token}}' }],
    };
}
/**
 * The GitHub connector, for github.com or a GitHub Enterprise host.
 * @example githubConnector({ baseUrl: 'https://ghe.example.com/api/v3' })
 */
export function githubConnector(options = {}) {
    const baseUrl = options.baseUrl === undefined ? GITHUB_API_URL : withoutTrailingSlash(absoluteUrl(options.baseUrl, 'baseUrl'));
    const webUrl = options.webUrl === undefined ? webUrlFor(baseUrl) : withoutTrailingSlash(absoluteUrl(options.webUrl, 'webUrl'));
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
        authSchemes: [githubOAuth2Scheme(webUrl, options), githubTokenScheme()],
        preferredAuthMode: 'OAUTH2',
        actions: [...githubActions],
        docsUrl: 'https://docs.github.com/rest',
    });
}
/** The GitHub connector for github.com, with the default API version. */
export const github = githubConnector();
