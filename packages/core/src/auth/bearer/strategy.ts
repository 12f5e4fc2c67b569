import { renderPlacements } from '../render-placements.js';
import type { AuthStrategy } from '../strategy.js';

/** A long-lived token the user supplies (a personal access token), sent as `Authorization: Bearer`. */
export const bearerStrategy: AuthStrategy = {
  mode: 'BEARER_TOKEN',
  place: renderPlacements,
};
