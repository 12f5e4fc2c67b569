import { bearerTokenScheme, oauth2Scheme, type AuthScheme } from '@plugboard/core';

/** Google's OAuth 2.0 endpoints for web server apps. @see https://developers.google.com/identity/protocols/oauth2/web-server */
export const GOOGLE_AUTHORIZATION_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/**
 * The OAuth scheme's fallback scopes. Every action of this connector declares its own scopes, so an
 * integration created without `scopes` asks for what its offered actions need
 * (`toolset.requiredScopes`) and this list applies only to actions that would declare none.
 * `gmail.modify` is the narrowest single scope for reading, sending, drafts, labels and trash.
 */
export const GMAIL_DEFAULT_SCOPES: readonly string[] = ['https://www.googleapis.com/auth/gmail.modify'];

/**
 * OAuth 2.0 with Google. `access_type=offline` makes Google issue a refresh token and
 * `prompt=consent` makes it issue one again when the user had already granted access (Google
 * otherwise answers a repeated authorization without a refresh token). PKCE S256 is sent; the
 * client secret goes in the token request body, as Google's documentation shows.
 */
export function gmailOAuth2Scheme(): AuthScheme {
  return oauth2Scheme({
    displayName: 'Google OAuth 2.0',
    authorizationUrl: GOOGLE_AUTHORIZATION_URL,
    tokenUrl: GOOGLE_TOKEN_URL,
    defaultScopes: [...GMAIL_DEFAULT_SCOPES],
    scopeSeparator: ' ',
    pkce: true,
    clientAuthMethod: 'client_secret_post',
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    grantTypes: ['authorization_code', 'refresh_token'],
  });
}

/** A Google OAuth access token the user (or your own OAuth code) already has, sent as `Authorization: Bearer`. */
export function gmailBearerTokenScheme(): AuthScheme {
  return bearerTokenScheme({
    displayName: 'Google access token',
    tokenField: {
      displayName: 'Access token',
      description:
        'A Google OAuth 2.0 access token (ya29....) with a Gmail scope such as https://www.googleapis.com/auth/gmail.modify. It expires after about an hour and is not refreshed.',
    },
  });
}

/**
 * Google's Gmail scope URLs from their short names (`full` is `https://mail.google.com/`), in the
 * order given: the curated actions list the scopes Google's discovery document gives their methods.
 */
export function gmailScopes(...names: string[]): string[] {
  return names.map((name) =>
    name === 'full' ? 'https://mail.google.com/' : `https://www.googleapis.com/auth/gmail.${name}`,
  );
}
