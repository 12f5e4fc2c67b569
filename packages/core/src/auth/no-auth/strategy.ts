import { renderPlacements } from '../render-placements.js';
import type { AuthStrategy } from '../strategy.js';

/** No credentials: the app can be called anonymously. */
export const noAuthStrategy: AuthStrategy = {
  mode: 'NO_AUTH',
  anonymous: true,
  place: renderPlacements,
};
