import { renderPlacements } from '../render-placements.js';
import { requireSettings } from '../connection-record.js';
import type { AuthStrategy } from '../strategy.js';
import { connectBasicWithJwt, refreshBasicWithJwt } from './connect.js';

/** A username and password exchanged for a short-lived JWT, exchanged again before it expires. */
export const basicWithJwtStrategy: AuthStrategy = {
  mode: 'BASIC_WITH_JWT',
  checkScheme: (scheme, where) =>
    requireSettings(
      scheme.basicWithJwt !== undefined,
      scheme,
      where,
      'basicWithJwt settings (use basicWithJwtScheme())',
    ),
  connect: connectBasicWithJwt,
  isRefreshable: () => true,
  refresh: refreshBasicWithJwt,
  place: renderPlacements,
};
