import { PlugboardError } from '../../errors.js';
import { sendRequest, type FetchFunction, type HttpOptions } from '../../http/send-request.js';
import { createRedactor } from '../../redact.js';
import { basicAuthorization, type BasicWithJwtSettings } from '../../spec/auth-scheme.js';
import { readPath } from '../read-path.js';

export interface JwtExchangeResult {
  accessToken: string;
  /** From the JWT's `exp` claim, when it has one. */
  expiresAt?: string | undefined;
}

/**
 * Exchanges a username and password (HTTP Basic) for a JWT at the scheme's token endpoint.
 * The JWT is decoded only to read `exp`; its signature is the API's business, not ours.
 */
export async function exchangeBasicForJwt(options: {
  settings: BasicWithJwtSettings;
  tokenUrl?: string;
  username: string;
  password: string;
  fetch?: FetchFunction | undefined;
  http?: HttpOptions | undefined;
  signal?: AbortSignal | undefined;
}): Promise<JwtExchangeResult> {
  const authorization = basicAuthorization(options.username, options.password);
  const redactor = createRedactor([options.password, authorization]);
  const headers = new Headers({ accept: 'application/json', authorization });
  let data: unknown;
  try {
    const response = await sendRequest(
      { method: options.settings.method, url: new URL(options.tokenUrl ?? options.settings.tokenUrl), headers },
      { ...options.http, fetch: options.fetch, signal: options.signal, redactor },
    );
    data = response.data;
  } catch (error) {
    if (
      PlugboardError.isInstance(error) &&
      error.code === 'UPSTREAM_ERROR' &&
      (error.status === 401 || error.status === 403)
    ) {
      throw new PlugboardError(
        'NEEDS_REAUTH',
        `The token endpoint refused the username and password (${error.status}).`,
        { status: error.status, details: error.details },
      );
    }
    throw error;
  }
  const token = readPath(data, options.settings.tokenResponseField);
  if (typeof token !== 'string' || token === '') {
    throw new PlugboardError(
      'OAUTH_ERROR',
      `The token response has no string at "${options.settings.tokenResponseField}".`,
    );
  }
  let expiresAt: string | undefined;
  // Loaded here rather than at import: only BASIC_WITH_JWT connections need it.
  const { decodeJwt } = await import('jose/jwt/decode');
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number') expiresAt = new Date(exp * 1000).toISOString();
  } catch {
    throw new PlugboardError('OAUTH_ERROR', `The value at "${options.settings.tokenResponseField}" is not a JWT.`);
  }
  return { accessToken: token, expiresAt };
}
