import { PlugboardError } from '../errors.js';
import type { AuthMode } from '../spec/auth-scheme.js';
import { apiKeyStrategy } from './api-key/strategy.js';
import { basicStrategy } from './basic/strategy.js';
import { basicWithJwtStrategy } from './basic-with-jwt/strategy.js';
import { bearerStrategy } from './bearer/strategy.js';
import { noAuthStrategy } from './no-auth/strategy.js';
import { oauth1Strategy } from './oauth1/strategy.js';
import { oauth2Strategy } from './oauth2/strategy.js';
import { signedAssertionStrategy } from './signed-assertion/strategy.js';
import type { AuthStrategy } from './strategy.js';

/**
 * Every auth mode's strategy, the one place a mode is looked up: adding a mode is a folder under
 * `auth/` and a line here (the `satisfies` makes a mode in AUTH_MODES without a strategy a type error).
 */
export const AUTH_STRATEGIES = {
  OAUTH2: oauth2Strategy,
  OAUTH1: oauth1Strategy,
  API_KEY: apiKeyStrategy,
  BASIC: basicStrategy,
  BEARER_TOKEN: bearerStrategy,
  BASIC_WITH_JWT: basicWithJwtStrategy,
  SIGNED_ASSERTION: signedAssertionStrategy,
  NO_AUTH: noAuthStrategy,
} as const satisfies Record<AuthMode, AuthStrategy>;

/** The strategy of a mode; an unknown mode (a record from a newer version) is refused with a clear error. */
export function strategyFor(mode: AuthMode): AuthStrategy {
  const strategy = (AUTH_STRATEGIES as Record<string, AuthStrategy | undefined>)[mode];
  if (!strategy) throw new PlugboardError('UNSUPPORTED_AUTH_MODE', `This @plugboard/core has no auth mode ${mode}.`);
  return strategy;
}
