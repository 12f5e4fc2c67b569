import { authField, oauth2Scheme, signedAssertionScheme, type AuthScheme } from '@plugboard/core';
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
          'A fine-grained (github_pat_...) or classic (ghp_...) personal access token, or another GitHub token such as a GitHub App installation token (ghs_...) or app JWT. Without the "Bearer " prefix.',
        secret: true,
        // GitHub documents prefixes (ghp_, github_pat_, gho_, ghu_, ghs_, ghr_) but warns that token
        // formats change, and an app JWT has dots and hyphens: only whitespace and separators are refused.
        // https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
        pattern: '[A-Za-z0-9_.\\-]+',
      }),
    ],
    placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{token}}' }],
  };
}

/**
 * A GitHub App acting as itself: Plugboard signs the app JWT (RS256, `iss` = the app's client ID
 * or app ID, `iat` 60 s back, `exp` 9 minutes later) with the app's private key and, for a
 * connection with an `installation_id`, exchanges it at
 * `POST /app/installations/{installation_id}/access_tokens` for an installation token (one hour),
 * renewed shortly before it expires. A connection without an installation id uses the app JWT
 * itself, for app-level endpoints (`GET /app`, `GET /app/installations`).
 * @see https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation
 */
export function githubAppScheme(): AuthScheme {
  return signedAssertionScheme({
    displayName: 'GitHub App (installation access token)',
    issuerField: 'app_id',
    privateKeyField: 'private_key',
    fields: [
      authField({
        name: 'app_id',
        displayName: 'Client ID or app ID',
        description: "The GitHub App's client ID (Iv23...) or its numeric app ID, from the app's settings page.",
        suppliedBy: 'developer',
        pattern: '[A-Za-z0-9.]+',
      }),
      authField({
        name: 'private_key',
        displayName: 'Private key',
        description: "The app's private key: the whole .pem file GitHub generated (BEGIN RSA PRIVATE KEY).",
        suppliedBy: 'developer',
        secret: true,
      }),
      authField({
        name: 'installation_id',
        displayName: 'Installation ID',
        description:
          'The installation of the app on an account (the number in https://github.com/settings/installations/ID). Leave it out for app-level endpoints such as GET /app/installations.',
        required: false,
        pattern: '[0-9]+',
      }),
    ],
    exchange: { url: '/app/installations/{installation_id}/access_tokens', subjectField: 'installation_id' },
  });
}
