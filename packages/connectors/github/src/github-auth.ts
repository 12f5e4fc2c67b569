import { authField, oauth2Scheme, type AuthScheme } from '@plugboard/core';
import type { GitHubConnectorOptions } from './github-connector.js';

/** Scopes an OAuth app asks for when the integration names none (GitHub Apps ignore scopes). */
export const GITHUB_DEFAULT_SCOPES: readonly string[] = ['repo', 'read:user'];

/** The OAuth 2.0 web application flow of OAuth apps and GitHub Apps. */
export function githubOAuth2Scheme(
  webUrl: string,
  options: Pick<GitHubConnectorOptions, 'defaultScopes' | 'pkce'> = {},
): AuthScheme {
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
export function githubTokenScheme(): AuthScheme {
  return {
    mode: 'BEARER_TOKEN',
    displayName: 'Personal access token',
    fields: [
      authField({
        name: 'token',
        displayName: 'Personal access token',
        description:
          'A fine-grained (github_pat_...) or classic (ghp_...) personal access token, or another GitHub token such as a GitHub App installation token (ghs_...). Without the "Bearer " prefix.',
        secret: true,
        pattern: '[A-Za-z0-9_]+',
      }),
    ],
    placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{token}}' }],
  };
}
