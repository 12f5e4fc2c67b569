import { renderPlacements } from '../render-placements.js';
import { requireSettings } from '../connection-record.js';
import type { AuthStrategy } from '../strategy.js';
import { completeOAuth1, oauth1CallbackState, startOAuth1 } from './connect.js';
import { signBuiltRequest } from './sign-request.js';

/** OAuth 1.0a (RFC 5849): the three-legged flow, then every request signed over its final URL and body. */
export const oauth1Strategy: AuthStrategy = {
  mode: 'OAUTH1',
  checkScheme: (scheme, where) =>
    requireSettings(scheme.oauth1 !== undefined, scheme, where, 'oauth1 settings (use oauth1Scheme())'),
  usesOAuthApps: true,
  connect: startOAuth1,
  callbackState: oauth1CallbackState,
  complete: completeOAuth1,
  signer(scheme, values) {
    if (!scheme.oauth1) return undefined;
    const credentials = {
      consumerKey: values['consumer_key'] ?? '',
      consumerSecret: values['consumer_secret'] ?? '',
      token: values['oauth_token'],
      tokenSecret: values['oauth_token_secret'],
      signatureMethod: scheme.oauth1.signatureMethod,
    };
    return (built) => signBuiltRequest(built, credentials);
  },
  place: renderPlacements,
};
