import { renderPlacements } from '../render-placements.js';
import type { AuthStrategy } from '../strategy.js';

/** HTTP Basic (RFC 7617): a username and password the user supplies. */
export const basicStrategy: AuthStrategy = {
  mode: 'BASIC',
  place: renderPlacements,
};
