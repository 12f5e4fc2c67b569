import { PlugboardError } from '../../errors.js';
import { renderPlacements } from '../render-placements.js';
import { requireSettings } from '../connection-record.js';
import type { AuthStrategy } from '../strategy.js';
import { connectSignedAssertion } from './connect.js';
import { obtainSignedAssertionToken } from './obtain-token.js';

/** A signed assertion (a GitHub App's JWT) exchanged for an installation token, signed again to refresh. */
export const signedAssertionStrategy: AuthStrategy = {
  mode: 'SIGNED_ASSERTION',
  checkScheme: (scheme, where) =>
    requireSettings(
      scheme.signedAssertion !== undefined,
      scheme,
      where,
      'signedAssertion settings (use signedAssertionScheme())',
    ),
  connect: connectSignedAssertion,
  isRefreshable: () => true,
  async refresh(context) {
    const settings = context.scheme.signedAssertion;
    if (!settings)
      throw new PlugboardError(
        'INVALID_DEFINITION',
        `The SIGNED_ASSERTION scheme of "${context.connector.id}" has no signedAssertion settings.`,
      );
    const token = await obtainSignedAssertionToken({
      settings,
      values: { ...context.developerValues, ...context.connection.credentials },
      baseUrl: context.connector.baseUrl,
      fetch: context.fetch,
      http: { ...context.http, retries: 0 },
    });
    return {
      credentials: { ...context.connection.credentials, access_token: token.accessToken },
      expiresAt: token.expiresAt,
    };
  },
  place: renderPlacements,
};
