import { renderPlacements } from '../render-placements.js';
import { requireSettings } from '../connection-record.js';
import type { AuthStrategy } from '../strategy.js';
import { completeOAuth2, startOAuth2 } from './connect.js';
import { isOAuth2Refreshable, refreshOAuth2 } from './refresh.js';

/**
 * OAuth 2.0 (RFC 6749): the authorization code grant with PKCE, or client credentials; tokens
 * refreshed with the refresh token or by asking again.
 */
export const oauth2Strategy: AuthStrategy = {
  mode: 'OAUTH2',
  checkScheme: (scheme, where) =>
    requireSettings(scheme.oauth2 !== undefined, scheme, where, 'oauth2 settings (use oauth2Scheme())'),
  usesOAuthApps: true,
  scopesFromActions: true,
  connect: startOAuth2,
  callbackState: (params) => params.get('state') ?? undefined,
  complete: completeOAuth2,
  isRefreshable: isOAuth2Refreshable,
  refresh: refreshOAuth2,
  reauthErrors: (scheme) => scheme?.oauth2?.reauthErrors ?? ['invalid_grant'],
  place: renderPlacements,
};
