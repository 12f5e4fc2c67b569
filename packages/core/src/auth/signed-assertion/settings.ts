import { authField, type AuthField, type AuthScheme, type PlacementTemplate } from '../../spec/auth-scheme.js';

/**
 * A signed assertion (a JWT the integration signs with its private key), used as the bearer token
 * itself or exchanged for an access token. GitHub Apps work so: the app JWT calls app-level
 * endpoints, and `POST /app/installations/{installation_id}/access_tokens` turns it into an
 * installation token.
 * @see https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
 */
export interface SignedAssertionSettings {
  /** The JWS algorithm. @default 'RS256' */
  algorithm: 'RS256';
  /** The developer field holding the `iss` claim (GitHub: the app's client ID or app ID). */
  issuerField: string;
  /** The developer field holding the private key, PEM (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"). */
  privateKeyField: string;
  /** Seconds `iat` is set in the past, against clock drift. @default 60 */
  backdateSeconds: number;
  /** Seconds from `iat` to `exp`. @default 600 (GitHub's maximum is 10 minutes) */
  lifetimeSeconds: number;
  /** Where the assertion is exchanged for an access token; without it, the assertion is the token. */
  exchange?: SignedAssertionExchange;
}

/** Where and how a signed assertion is exchanged for an access token. */
export interface SignedAssertionExchange {
  /**
   * The exchange endpoint: absolute, or a path below the connector's base URL. `{field}` takes the
   * value of a connection field, percent-encoded as one path segment.
   * @example '/app/installations/{installation_id}/access_tokens'
   */
  url: string;
  /** The user field that selects what the token is for; a connection without it gets the assertion itself. */
  subjectField: string;
  /** @default 'POST' */
  method: 'POST';
  /** Where the token is in the JSON answer. @default 'token' */
  tokenField: string;
  /** Where its expiry (ISO 8601) is in the JSON answer. @default 'expires_at' */
  expiresAtField: string;
}

type SchemeInput = Partial<Omit<SignedAssertionSettings, 'exchange'>> & {
  displayName?: string;
  /** The scheme's fields: the issuer and private key (developer) and the subject (user). */
  fields: AuthField[];
  placements?: PlacementTemplate[];
  exchange?: Partial<SignedAssertionExchange> & Pick<SignedAssertionExchange, 'url' | 'subjectField'>;
};

/**
 * A `SIGNED_ASSERTION` scheme: the access token (the assertion, or what it is exchanged for) goes
 * in `Authorization: Bearer {{access_token}}` unless other placements are given.
 */
export function signedAssertionScheme(input: SchemeInput): AuthScheme {
  return {
    mode: 'SIGNED_ASSERTION',
    displayName: input.displayName ?? 'Signed assertion (JWT)',
    fields: input.fields.map((field) => authField(field)),
    placements: input.placements ?? [{ in: 'header', name: 'Authorization', value: 'Bearer {{access_token}}' }],
    signedAssertion: {
      algorithm: input.algorithm ?? 'RS256',
      issuerField: input.issuerField ?? 'issuer',
      privateKeyField: input.privateKeyField ?? 'private_key',
      backdateSeconds: input.backdateSeconds ?? 60,
      lifetimeSeconds: input.lifetimeSeconds ?? 600,
      ...(input.exchange
        ? {
            exchange: {
              url: input.exchange.url,
              subjectField: input.exchange.subjectField,
              method: input.exchange.method ?? 'POST',
              tokenField: input.exchange.tokenField ?? 'token',
              expiresAtField: input.exchange.expiresAtField ?? 'expires_at',
            },
          }
        : {}),
    },
  };
}
