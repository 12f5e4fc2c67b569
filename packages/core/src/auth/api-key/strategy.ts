import { renderPlacements } from '../render-placements.js';
import type { AuthStrategy } from '../strategy.js';

/** An API key the user supplies, placed where the scheme says (a header, the query). */
export const apiKeyStrategy: AuthStrategy = {
  mode: 'API_KEY',
  place: renderPlacements,
};
