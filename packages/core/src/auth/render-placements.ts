import { PlugboardError } from '../errors.js';
import type { AuthParameter, AuthScheme } from '../spec/auth-scheme.js';

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Turns a scheme's placement templates into placed credentials, given the values of a
 * connection (user fields, tokens) and its integration (developer fields).
 * A missing value is an error that names the field, never its neighbours' values.
 */
export function renderPlacements(scheme: AuthScheme, values: Readonly<Record<string, string>>): AuthParameter[] {
  return scheme.placements.map((placement) => {
    const value =
      typeof placement.value === 'function'
        ? placement.value(values)
        : placement.value.replace(VARIABLE, (_match, name: string) => {
            const found = values[name];
            if (found === undefined || found === '') {
              throw new PlugboardError(
                'NO_CREDENTIALS',
                `The ${scheme.mode} credentials have no "${name}", which the ${placement.in} "${placement.name}" needs. Reconnect the account or supply it.`,
                { details: { missingField: name } },
              );
            }
            return found;
          });
    return { name: placement.name, value, in: placement.in };
  });
}
