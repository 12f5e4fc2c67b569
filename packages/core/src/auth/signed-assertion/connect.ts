import { PlugboardError } from '../../errors.js';
import { storeConnection } from '../connection-record.js';
import type { FlowDeps, FlowResult, FlowStart } from '../strategy.js';
import { obtainSignedAssertionToken } from './obtain-token.js';

/**
 * Connects with a signed assertion: a first token is obtained at once, so a wrong key, issuer or
 * subject fails now and not at the first action. The private key stays in the integration.
 */
export async function connectSignedAssertion(deps: FlowDeps, start: FlowStart): Promise<FlowResult> {
  const settings = start.scheme.signedAssertion;
  if (!settings)
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `The SIGNED_ASSERTION scheme of "${start.connector.id}" has no signedAssertion settings.`,
    );
  let token;
  try {
    token = await obtainSignedAssertionToken({
      settings,
      values: { ...deps.integrationValues(start.integration), ...start.userValues },
      baseUrl: start.connector.baseUrl,
      fetch: deps.fetch,
      http: deps.http,
    });
  } catch (error) {
    if (PlugboardError.isInstance(error) && error.code === 'NEEDS_REAUTH')
      throw new PlugboardError('INVALID_CONNECTION_PARAMS', error.message, { status: error.status });
    throw error;
  }
  const connection = await storeConnection(
    deps,
    start,
    'ACTIVE',
    { ...start.userValues, access_token: token.accessToken },
    token.expiresAt,
  );
  return { connection };
}
