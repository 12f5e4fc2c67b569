import { PlugboardError } from '../../errors.js';
import { sendRequest, type FetchFunction, type HttpOptions } from '../../http/send-request.js';
import { createRedactor } from '../../redact.js';
import type { SignedAssertionSettings } from './settings.js';
import { signAssertion } from './sign-assertion.js';
import { readPath } from '../read-path.js';

export interface ObtainedToken {
  accessToken: string;
  expiresAt: string;
}

/**
 * Signs a fresh assertion and, when the connection has a subject (a GitHub installation id),
 * exchanges it for an access token; without a subject the assertion is the token.
 */
export async function obtainSignedAssertionToken(options: {
  settings: SignedAssertionSettings;
  /** The integration's values (issuer, private key) and the connection's (subject). */
  values: Readonly<Record<string, unknown>>;
  baseUrl: string;
  fetch?: FetchFunction | undefined;
  http?: HttpOptions | undefined;
}): Promise<ObtainedToken> {
  const { settings } = options;
  const value = (name: string): string | undefined => {
    const raw = options.values[name];
    return raw === undefined || raw === null || raw === '' ? undefined : String(raw);
  };
  const issuer = value(settings.issuerField);
  const privateKey = value(settings.privateKeyField);
  if (!issuer || !privateKey) {
    throw new PlugboardError(
      'INVALID_AUTH_CONFIG',
      `The integration needs ${settings.issuerField} and ${settings.privateKeyField} to sign its assertion.`,
    );
  }
  const assertion = await signAssertion(settings, { issuer, privateKey });
  const exchange = settings.exchange;
  const subject = exchange ? value(exchange.subjectField) : undefined;
  if (!exchange || subject === undefined) return { accessToken: assertion.jwt, expiresAt: assertion.expiresAt };

  const path = exchange.url.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) =>
    encodeURIComponent(value(name) ?? ''),
  );
  const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(`${options.baseUrl.replace(/\/+$/, '')}${path}`);
  const redactor = createRedactor([assertion.jwt, privateKey]);
  const headers = new Headers({ accept: 'application/json', authorization: `Bearer ${assertion.jwt}` });
  let data: unknown;
  try {
    const response = await sendRequest(
      { method: exchange.method, url, headers },
      { ...options.http, fetch: options.fetch, redactor },
    );
    data = response.data;
  } catch (error) {
    if (
      PlugboardError.isInstance(error) &&
      error.code === 'UPSTREAM_ERROR' &&
      (error.status === 401 || error.status === 404)
    ) {
      throw new PlugboardError(
        'NEEDS_REAUTH',
        `The assertion was refused for ${exchange.subjectField} ${subject} (${error.status}): check the issuer, the private key and that the ${exchange.subjectField} exists.`,
        { status: error.status, details: error.details },
      );
    }
    throw error;
  }
  const token = readPath(data, exchange.tokenField);
  const expiresAt = readPath(data, exchange.expiresAtField);
  if (typeof token !== 'string' || token === '')
    throw new PlugboardError('OAUTH_ERROR', `The exchange answer has no string at "${exchange.tokenField}".`);
  if (typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt)))
    throw new PlugboardError('OAUTH_ERROR', `The exchange answer has no time at "${exchange.expiresAtField}".`);
  return { accessToken: token, expiresAt: new Date(Date.parse(expiresAt)).toISOString() };
}
