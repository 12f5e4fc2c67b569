import type { CustomAuth, Placement } from '@plugboard/core';
import { CliError } from './cli-error.js';
import { EXIT_USAGE_ERROR } from './exit-codes.js';

const PLACES: readonly Placement[] = ['header', 'query', 'path', 'subdomain', 'body'];

/**
 * Per-call credentials from `--auth-from-env in:name=ENV_VAR` flags: each value is read from the
 * environment, never from the command line, so a token stays out of shell history and `ps`.
 * @example perCallAuth(['header:Authorization=GITHUB_AUTH'], process.env) // GITHUB_AUTH='Bearer ghp_...'
 */
export function perCallAuth(flags: readonly string[], env: NodeJS.ProcessEnv): CustomAuth | undefined {
  if (flags.length === 0) return undefined;
  const parameters = flags.map((flag) => {
    const match = /^([a-z]+):([^=]+)=([A-Za-z_][A-Za-z0-9_]*)$/.exec(flag);
    if (!match || !PLACES.includes(match[1] as Placement)) {
      throw new CliError(`--auth-from-env ${JSON.stringify(flag)} is not in:name=ENV_VAR.`, {
        hint: `in is one of ${PLACES.join(', ')}; for example --auth-from-env header:Authorization=GITHUB_AUTH`,
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    const [, place, name, variable] = match as unknown as [string, Placement, string, string];
    const value = env[variable];
    if (value === undefined || value === '') {
      throw new CliError(`The environment variable ${variable} (for --auth-from-env ${place}:${name}) is not set.`, {
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    return { in: place, name, value };
  });
  return { parameters };
}
