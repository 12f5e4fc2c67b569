import { utf8ToBase64 } from '../encoding.js';
import type { SignedAssertionSettings } from '../auth/signed-assertion/settings.js';
import { PlugboardError } from '../errors.js';

/** Every auth mode Plugboard knows. The strings are part of the public contract. */
export const AUTH_MODES = [
  'OAUTH2',
  'OAUTH1',
  'API_KEY',
  'BASIC',
  'BEARER_TOKEN',
  'BASIC_WITH_JWT',
  'SIGNED_ASSERTION',
  'NO_AUTH',
] as const;
/** One of the auth modes a scheme can declare: `OAUTH2`, `API_KEY`, `BEARER_TOKEN`, ... */
export type AuthMode = (typeof AUTH_MODES)[number];

/** Where a credential goes on a request. */
export const PLACEMENTS = ['header', 'query', 'path', 'subdomain', 'body'] as const;
/** Where a credential goes: `header`, `query`, `path`, `subdomain` or `body`. */
export type Placement = (typeof PLACEMENTS)[number];

/** One placed credential: the value is final, no template left in it. */
export interface AuthParameter {
  name: string;
  value: string;
  in: Placement;
}

/**
 * Credentials supplied directly for one call or one app, bypassing stored connections.
 * @example { parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer ghp_...' }] }
 */
export interface CustomAuth {
  parameters: AuthParameter[];
  /** Replaces the connector's base URL (a GitHub Enterprise host, a regional endpoint, a test server). */
  baseUrl?: string;
  /** Merged into the JSON or form body of requests that have one (not GET, HEAD or OPTIONS). */
  body?: Record<string, unknown>;
}

/**
 * One input an auth scheme needs. `suppliedBy: 'developer'` fields are given once, when the
 * integration is created (`client_id`); `'user'` fields by each end user when connecting
 * (`api_key`, `shop`).
 */
export interface AuthField {
  name: string;
  displayName: string;
  description?: string;
  /** `string[]` is for lists such as scopes. */
  type: 'string' | 'number' | 'boolean' | 'string[]';
  required: boolean;
  /** Secret fields are never echoed back, logged or shown in errors. */
  secret: boolean;
  default?: string | number | boolean | string[];
  /** A regular expression (anchored by Plugboard) that a string value must match. */
  pattern?: string;
  suppliedBy: 'developer' | 'user';
}

/**
 * Where and how a credential is placed, before values are known. `value` is a template in which
 * `{{field}}` is replaced by a credential or field value; a function may compute it instead
 * (Basic auth base64-encodes two fields).
 * @example { in: 'header', name: 'Authorization', value: 'Bearer {{access_token}}' }
 * @example { in: 'subdomain', name: 'shop', value: '{{shop}}' }
 */
export interface PlacementTemplate {
  in: Placement;
  name: string;
  value: string | ((values: Readonly<Record<string, string>>) => string);
}

/** How a client authenticates to an OAuth 2.0 token endpoint (RFC 6749 section 2.3.1). */
export type OAuth2ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** The OAuth 2.0 endpoints and choices of an `oauth2Scheme`. */
export interface OAuth2Settings {
  /** May contain `{field}` templates in its host, e.g. `https://{shop}.myshopify.com/admin/oauth/authorize`. */
  authorizationUrl: string;
  tokenUrl: string;
  /** Defaults to `tokenUrl`. */
  refreshUrl?: string;
  defaultScopes: string[];
  /** How scopes are joined in the `scope` parameter. @default ' ' */
  scopeSeparator: string;
  /** Send a PKCE S256 challenge (RFC 7636). @default true */
  pkce: boolean;
  /** @default 'client_secret_basic' */
  clientAuthMethod: OAuth2ClientAuthMethod;
  /** Extra authorization parameters, e.g. `{ access_type: 'offline', prompt: 'consent' }`. */
  authorizationParams: Record<string, string>;
  grantTypes: Array<'authorization_code' | 'client_credentials' | 'refresh_token'>;
  /**
   * An app-specific check of the callback before the code is exchanged, such as the `hmac`
   * Shopify adds to its redirect. Returning false fails the connection.
   */
  verifyCallback?: (params: URLSearchParams, context: OAuth2CallbackContext) => boolean | Promise<boolean>;
  /** Extra parameters sent with the authorization-code exchange (Shopify's `expiring: '1'`). */
  tokenParams?: Record<string, string>;
  /**
   * OAuth error codes from a refresh that mean the grant is gone and the user must connect again.
   * @default ['invalid_grant']
   * @example ['invalid_grant', 'bad_refresh_token'] // GitHub answers a dead refresh token this way
   */
  reauthErrors?: string[];
}

/** What a `verifyCallback` check gets besides the callback's parameters. */
export interface OAuth2CallbackContext {
  clientSecret?: string | undefined;
  /** The end user's field values given when the connection started (a Shopify `shop`). */
  userValues: Readonly<Record<string, string>>;
}

/** The OAuth 1.0a endpoints and signature method of an `oauth1Scheme`. */
export interface OAuth1Settings {
  requestTokenUrl: string;
  authorizationUrl: string;
  accessTokenUrl: string;
  signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256' | 'PLAINTEXT';
  /** Extra authorization parameters, e.g. Trello's `{ scope: 'read,write', expiration: 'never' }`. */
  authorizationParams: Record<string, string>;
}

/** How a `basicWithJwtScheme` exchanges Basic credentials for a JWT, and reads it. */
export interface BasicWithJwtSettings {
  /** Endpoint that exchanges Basic credentials for a JWT. */
  tokenUrl: string;
  /** @default 'POST' */
  method: 'GET' | 'POST';
  /** Where the JWT is found in the JSON token response, as a dotted path (`data.access_token`). @default 'token' */
  tokenResponseField: string;
}

/** A connector's declaration of one auth mode. Build it with the helpers below. */
export interface AuthScheme {
  mode: AuthMode;
  displayName: string;
  fields: AuthField[];
  placements: PlacementTemplate[];
  oauth2?: OAuth2Settings;
  oauth1?: OAuth1Settings;
  basicWithJwt?: BasicWithJwtSettings;
  /** `SIGNED_ASSERTION`: how the assertion is signed and exchanged (auth/signed-assertion). */
  signedAssertion?: SignedAssertionSettings;
}

type FieldInput = Omit<AuthField, 'required' | 'secret' | 'type' | 'suppliedBy' | 'displayName'> &
  Partial<Pick<AuthField, 'required' | 'secret' | 'type' | 'suppliedBy' | 'displayName'>>;

/** A field with the usual defaults: required, not secret, a string, supplied by the end user. */
export function authField(input: FieldInput): AuthField {
  const field: AuthField = {
    name: input.name,
    displayName: input.displayName ?? humanize(input.name),
    type: input.type ?? 'string',
    required: input.required ?? true,
    secret: input.secret ?? false,
    suppliedBy: input.suppliedBy ?? 'user',
  };
  if (input.description !== undefined) field.description = input.description;
  if (input.default !== undefined) field.default = input.default;
  if (input.pattern !== undefined) field.pattern = input.pattern;
  return field;
}

interface SchemeExtras {
  displayName?: string;
  /** Extra fields, such as a Shopify `shop` used for subdomain placement. */
  fields?: FieldInput[];
  /** Extra placements, added after the scheme's own. */
  placements?: PlacementTemplate[];
}

/**
 * An API key placed wherever the API wants it.
 * @example apiKeyScheme({ placements: [{ in: 'header', name: 'X-Api-Key', value: '{{api_key}}' }] })
 */
export function apiKeyScheme(
  extras: SchemeExtras & { placements: PlacementTemplate[]; keyField?: FieldInput },
): AuthScheme {
  const keyField = authField({ name: 'api_key', displayName: 'API key', secret: true, ...extras.keyField });
  return {
    mode: 'API_KEY',
    displayName: extras.displayName ?? 'API key',
    fields: [keyField, ...(extras.fields ?? []).map(authField)],
    placements: extras.placements,
  };
}

/**
 * `Authorization: Bearer {{token}}`, for personal access tokens and other long-lived tokens.
 * `tokenField` describes the token to users (its name stays `token` unless you rename it and the placement).
 */
export function bearerTokenScheme(extras: SchemeExtras & { tokenField?: Partial<FieldInput> } = {}): AuthScheme {
  return {
    mode: 'BEARER_TOKEN',
    displayName: extras.displayName ?? 'Bearer token',
    fields: [
      authField({ name: 'token', displayName: 'Token', secret: true, ...extras.tokenField }),
      ...(extras.fields ?? []).map(authField),
    ],
    placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{token}}' }, ...(extras.placements ?? [])],
  };
}

/** HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`, UTF-8 encoded. */
export function basicScheme(extras: SchemeExtras & { passwordRequired?: boolean } = {}): AuthScheme {
  return {
    mode: 'BASIC',
    displayName: extras.displayName ?? 'Username and password',
    fields: [
      authField({ name: 'username', displayName: 'Username' }),
      authField({
        name: 'password',
        displayName: 'Password',
        secret: true,
        required: extras.passwordRequired ?? true,
        default: '',
      }),
      ...(extras.fields ?? []).map(authField),
    ],
    placements: [
      {
        in: 'header',
        name: 'Authorization',
        value: (values) => basicAuthorization(values['username'] ?? '', values['password'] ?? ''),
      },
      ...(extras.placements ?? []),
    ],
  };
}

/** No credentials: the API is public. */
export function noAuthScheme(): AuthScheme {
  return { mode: 'NO_AUTH', displayName: 'No authentication', fields: [], placements: [] };
}

type OAuth2Input = Partial<OAuth2Settings> &
  Pick<OAuth2Settings, 'authorizationUrl' | 'tokenUrl'> &
  SchemeExtras & {
    /**
     * Where the access token goes, replacing the default `Authorization: Bearer {{access_token}}`.
     * @example [{ in: 'header', name: 'X-Shopify-Access-Token', value: '{{access_token}}' }]
     */
    tokenPlacements?: PlacementTemplate[];
  };

/**
 * OAuth 2.0 authorization code (and optionally client credentials). `client_id` and
 * `client_secret` are developer fields; the access token is placed as a Bearer header.
 */
export function oauth2Scheme(input: OAuth2Input): AuthScheme {
  const oauth2: OAuth2Settings = {
    authorizationUrl: input.authorizationUrl,
    tokenUrl: input.tokenUrl,
    defaultScopes: input.defaultScopes ?? [],
    scopeSeparator: input.scopeSeparator ?? ' ',
    pkce: input.pkce ?? true,
    clientAuthMethod: input.clientAuthMethod ?? 'client_secret_basic',
    authorizationParams: input.authorizationParams ?? {},
    grantTypes: input.grantTypes ?? ['authorization_code', 'refresh_token'],
  };
  if (input.refreshUrl !== undefined) oauth2.refreshUrl = input.refreshUrl;
  if (input.verifyCallback !== undefined) oauth2.verifyCallback = input.verifyCallback;
  if (input.tokenParams !== undefined) oauth2.tokenParams = input.tokenParams;
  if (input.reauthErrors !== undefined) oauth2.reauthErrors = input.reauthErrors;
  return {
    mode: 'OAUTH2',
    displayName: input.displayName ?? 'OAuth 2.0',
    fields: [
      authField({ name: 'client_id', displayName: 'Client ID', suppliedBy: 'developer' }),
      authField({ name: 'client_secret', displayName: 'Client secret', suppliedBy: 'developer', secret: true }),
      authField({
        name: 'scopes',
        displayName: 'Scopes',
        suppliedBy: 'developer',
        type: 'string[]',
        required: false,
        default: oauth2.defaultScopes,
      }),
      ...(input.fields ?? []).map(authField),
    ],
    placements: [
      ...(input.tokenPlacements ?? [{ in: 'header', name: 'Authorization', value: 'Bearer {{access_token}}' }]),
      ...(input.placements ?? []),
    ],
    oauth2,
  };
}

type OAuth1Input = Partial<OAuth1Settings> &
  Pick<OAuth1Settings, 'requestTokenUrl' | 'authorizationUrl' | 'accessTokenUrl'> &
  SchemeExtras;

/** OAuth 1.0a (RFC 5849). Requests are signed last, over the final URL and form body. */
export function oauth1Scheme(input: OAuth1Input): AuthScheme {
  return {
    mode: 'OAUTH1',
    displayName: input.displayName ?? 'OAuth 1.0a',
    fields: [
      authField({ name: 'consumer_key', displayName: 'Consumer key', suppliedBy: 'developer' }),
      authField({ name: 'consumer_secret', displayName: 'Consumer secret', suppliedBy: 'developer', secret: true }),
      ...(input.fields ?? []).map(authField),
    ],
    placements: input.placements ?? [],
    oauth1: {
      requestTokenUrl: input.requestTokenUrl,
      authorizationUrl: input.authorizationUrl,
      accessTokenUrl: input.accessTokenUrl,
      signatureMethod: input.signatureMethod ?? 'HMAC-SHA1',
      authorizationParams: input.authorizationParams ?? {},
    },
  };
}

/** Basic credentials exchanged for a short-lived JWT, which is then sent as a Bearer token. */
export function basicWithJwtScheme(
  input: Partial<BasicWithJwtSettings> & Pick<BasicWithJwtSettings, 'tokenUrl'> & SchemeExtras,
): AuthScheme {
  return {
    mode: 'BASIC_WITH_JWT',
    displayName: input.displayName ?? 'Username and password, exchanged for a JWT',
    fields: [
      authField({ name: 'username', displayName: 'Username' }),
      authField({ name: 'password', displayName: 'Password', secret: true }),
      ...(input.fields ?? []).map(authField),
    ],
    placements: [
      { in: 'header', name: 'Authorization', value: 'Bearer {{access_token}}' },
      ...(input.placements ?? []),
    ],
    basicWithJwt: {
      tokenUrl: input.tokenUrl,
      method: input.method ?? 'POST',
      tokenResponseField: input.tokenResponseField ?? 'token',
    },
  };
}

/** RFC 7617 with UTF-8: works for non-ASCII usernames, unlike a bare `btoa`. */
export function basicAuthorization(username: string, password: string): string {
  if (username.includes(':')) {
    throw new PlugboardError('INVALID_PARAMS', 'A Basic auth username cannot contain ":" (RFC 7617).');
  }
  return `Basic ${utf8ToBase64(`${username}:${password}`)}`;
}

/** Fields the developer gives when creating the integration. */
export function developerFields(scheme: AuthScheme): AuthField[] {
  return scheme.fields.filter((field) => field.suppliedBy === 'developer');
}

/** Fields each end user gives when connecting. */
export function userFields(scheme: AuthScheme): AuthField[] {
  return scheme.fields.filter((field) => field.suppliedBy === 'user');
}

function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
