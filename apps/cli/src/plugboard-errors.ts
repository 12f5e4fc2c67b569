import { PlugboardError, type SerializedError } from '@plugboard/core';
import { CliError } from './cli-error.js';
import { EXIT_NOT_CONNECTED, EXIT_RUNTIME_ERROR, EXIT_SECRET_KEY, EXIT_USAGE_ERROR } from './exit-codes.js';

/** What a command knows about the call that failed, so hints can be exact commands. */
export interface ErrorContext {
  app?: string | undefined;
  action?: string | undefined;
  entityId?: string | undefined;
  connectionId?: string | undefined;
}

export const SECRET_KEY_HINT =
  'set PLUGBOARD_SECRET_KEY to the key this store was written with (older keys go in PLUGBOARD_PREVIOUS_SECRET_KEYS), or point --store-dir at the store whose secret.key matches; plugboard keys show names the key in use';

/** A Plugboard error (thrown, or the `error` of a failed result) as a CLI error with a hint and an exit code. */
export function fromPlugboardError(error: PlugboardError | SerializedError, context: ErrorContext = {}): CliError {
  const { code, message } = error;
  const details = (error.details ?? {}) as Record<string, unknown>;
  const connect = connectCommand(context);
  switch (code) {
    case 'ACTION_NOT_FOUND': {
      const suggestions = stringList(details['suggestions']);
      return new CliError(`no action named ${context.action ?? 'that'}`, {
        hint:
          suggestions.length > 0
            ? `did you mean ${suggestions.join(', ')}? (plugboard actions lists them all)`
            : 'plugboard actions lists them all',
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    case 'APP_NOT_FOUND': {
      const suggestions = stringList(details['suggestions']);
      return new CliError(message, {
        hint: `${suggestions.length > 0 ? `did you mean ${suggestions.join(', ')}? ` : ''}plugboard apps lists the apps`,
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    case 'INVALID_PARAMS': {
      const issues = Array.isArray(details['issues'])
        ? (details['issues'] as { path?: unknown[]; message?: string; code?: string }[])
        : [];
      if (issues.length > 0) {
        const described = issues.map((issue) => describeIssue(issue)).join('; ');
        return new CliError(`invalid parameters for ${context.action ?? 'the action'}: ${described}`, {
          hint: context.action ? `plugboard action ${context.action} lists its parameters` : undefined,
          exitCode: EXIT_USAGE_ERROR,
        });
      }
      return new CliError(message, {
        hint: context.action ? `plugboard action ${context.action} lists its parameters` : undefined,
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    case 'INVALID_CONNECTION_PARAMS':
      return new CliError(message, {
        hint: context.app ? `plugboard schemes ${context.app} lists the fields each auth mode needs` : undefined,
        exitCode: EXIT_USAGE_ERROR,
      });
    case 'INVALID_AUTH_CONFIG': {
      const missing = stringList(details['missing']);
      if (missing.length > 0 && context.app) {
        const mode =
          /\b(OAUTH2|OAUTH1|API_KEY|BEARER_TOKEN|BASIC|BASIC_WITH_JWT|SIGNED_ASSERTION)\b/.exec(message)?.[1] ??
          'OAUTH2';
        const flags = missing
          .map((name) => (/secret/.test(name) ? `--secret-from-env ${name}=ENV_VAR` : `--set ${name}=...`))
          .join(' ');
        return new CliError(`the app ${context.app} has no ${mode} integration yet`, {
          hint: `create one first: plugboard integrations create ${context.app} --auth-mode ${mode} ${flags}`,
          exitCode: EXIT_USAGE_ERROR,
        });
      }
      return new CliError(message, {
        hint: context.app ? `plugboard schemes ${context.app} lists the developer fields` : undefined,
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    case 'AUTH_SCHEME_NOT_FOUND':
    case 'UNSUPPORTED_AUTH_MODE':
      return new CliError(message, {
        hint: context.app ? `plugboard schemes ${context.app} lists its auth modes` : undefined,
        exitCode: EXIT_USAGE_ERROR,
      });
    case 'INTEGRATION_NOT_FOUND':
      return new CliError(message, {
        hint: 'plugboard integrations list shows the integrations',
        exitCode: EXIT_USAGE_ERROR,
      });
    case 'CONNECTION_NOT_FOUND':
      return new CliError(message, {
        hint: 'plugboard connections list shows the connections',
        exitCode: EXIT_USAGE_ERROR,
      });
    case 'NO_CREDENTIALS':
      return new CliError(
        `entity ${context.entityId ?? 'default'} has no active ${context.app ?? ''} connection`.replace('  ', ' '),
        {
          hint: `connect first: ${connect}`,
          exitCode: EXIT_NOT_CONNECTED,
        },
      );
    case 'CONNECTION_NOT_ACTIVE':
    case 'NEEDS_REAUTH':
    case 'CONNECTION_APP_MISMATCH':
      return new CliError(message, { hint: `connect again: ${connect}`, exitCode: EXIT_NOT_CONNECTED });
    case 'SECRET_KEY_INVALID':
      return new CliError(message, { hint: SECRET_KEY_HINT, exitCode: EXIT_SECRET_KEY });
    case 'WAIT_TIMEOUT':
      return new CliError(message, {
        hint: 'run the command again (the browser step must finish within --timeout seconds)',
      });
    case 'CONNECTION_FAILED':
    case 'OAUTH_CALLBACK_ERROR':
    case 'OAUTH_STATE_INVALID':
      return new CliError(message, { hint: `try again: ${connect}` });
    case 'OAUTH_ERROR':
      return new CliError(message, {
        hint: "check the integration's client id and secret (plugboard integrations list)",
      });
    case 'STORE_ERROR':
    case 'STORE_CONFLICT':
      return new CliError(message, { hint: 'plugboard store path shows where the store lives' });
    case 'TIMEOUT':
    case 'NETWORK_ERROR':
      return new CliError(message, { hint: 'the API could not be reached; check the network and try again' });
    case 'CONFIGURATION_ERROR':
      return new CliError(message, {
        hint: 'check the --config module (or PLUGBOARD_CONFIG) and the environment',
        exitCode: EXIT_USAGE_ERROR,
      });
    default:
      return new CliError(message, {
        exitCode: EXIT_RUNTIME_ERROR,
        hint: code === 'UPSTREAM_ERROR' ? 'the API refused the call; PLUGBOARD_DEBUG=1 prints the details' : undefined,
      });
  }
}

/** Any thrown value as a CLI error: Plugboard errors get their hint, others pass through. */
export function toCliError(error: unknown, context: ErrorContext = {}): unknown {
  if (error instanceof CliError) return error;
  if (PlugboardError.isInstance(error)) {
    const cliError = fromPlugboardError(error, context);
    return new CliError(cliError.message, { hint: cliError.hint, exitCode: cliError.exitCode, cause: error });
  }
  return error;
}

/** Runs `body`, turning Plugboard errors into CLI errors with hints for `context`. */
export async function withErrorContext<T>(context: ErrorContext, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toCliError(error, context);
  }
}

function connectCommand(context: ErrorContext): string {
  const app = context.app ?? '<app>';
  return `plugboard connect ${app}${context.entityId && context.entityId !== 'default' ? ` --entity ${context.entityId}` : ''}`;
}

function describeIssue(issue: { path?: unknown[]; message?: string; code?: string }): string {
  const path = (issue.path ?? []).map(String).join('.');
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message ?? ''))
    return `missing parameter ${path}`;
  return path ? `${path}: ${issue.message ?? 'invalid'}` : (issue.message ?? 'invalid');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
