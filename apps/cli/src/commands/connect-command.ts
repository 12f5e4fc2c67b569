import { PlugboardError, type AuthMode, type AuthSchemeSummary, type Connection, type Toolset } from '@plugboard/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../cli-error.js';
import { withToolset } from '../context.js';
import { EXIT_CANCELLED, EXIT_USAGE_ERROR } from '../exit-codes.js';
import { collect, collectFieldValues, type FieldFlags } from '../fields.js';
import { interruptible, isCancelled } from '../interrupt.js';
import { callbackPage, startLoopbackListener } from '../loopback.js';
import { note, print, printJson } from '../output.js';
import { withErrorContext } from '../plugboard-errors.js';
import { isCi, startProgress } from '../progress.js';
import { AUTH_MODE_CHOICES } from './integrations-command.js';

type GrantType = 'authorization_code' | 'client_credentials';

interface ConnectOptions extends FieldFlags {
  integration?: string;
  authMode?: AuthMode;
  grantType?: GrantType;
  entity: string;
  timeout: number;
  open: boolean;
  port: number;
  json?: boolean;
}

/** `plugboard connect <app>`: one entity's connection, by fields or through the browser. */
export function createConnectCommand(): Command {
  return new Command('connect')
    .description(
      'connect an entity to an app: asks for the user fields (secrets masked) or, for OAuth, opens the browser and waits for the callback on 127.0.0.1',
    )
    .argument('<app>', 'the app id, like github')
    .option(
      '--integration <id>',
      "the integration to connect through (default: the app's newest one for the auth mode)",
    )
    .addOption(
      new Option(
        '--auth-mode <mode>',
        "the auth mode (default: the integration's, else the app's preferred one)",
      ).choices(AUTH_MODE_CHOICES),
    )
    .addOption(
      new Option(
        '--grant-type <grant>',
        "OAuth 2.0: authorization_code (a user in the browser) or client_credentials (the integration's own token, no browser); default: authorization_code when the scheme has it",
      ).choices(['authorization_code', 'client_credentials']),
    )
    .option('--entity <id>', 'your id for the end user', 'default')
    .option('--set <field=value>', 'a user field, like shop=acme-store (repeatable)', collect)
    .option(
      '--secret-from-env <field=ENV_VAR>',
      'read a field from an environment variable, like api_key=SHOPIFY_TOKEN (repeatable)',
      collect,
    )
    .addOption(
      new Option('--timeout <seconds>', 'OAuth: how long to wait for the browser')
        .default(300)
        .argParser(positiveInteger),
    )
    .option('--no-open', 'OAuth: print the authorization URL without opening a browser')
    .addOption(
      new Option('--port <port>', 'OAuth: the loopback port for the callback (default: any free one)')
        .default(0)
        .argParser(portNumber),
    )
    .option('--json', 'print the connection as JSON')
    .addHelpText(
      'after',
      `
OAuth 2.0 and 1.0a: the redirect URI is http://127.0.0.1:<port>/callback (register it with the
provider; pass --port for providers that need a fixed one). The authorization URL goes to stdout.
Ctrl-C while waiting, or --timeout passing, deletes the connection it started (exit 130 or 1).
OAuth 2.0 client credentials (--grant-type client_credentials, or a scheme with only that grant)
connect at once, without a browser.

Examples:
  plugboard connect shopify --set shop=acme-store --secret-from-env api_key=SHOPIFY_TOKEN
  plugboard connect github --entity user-42            # OAuth: opens the browser
  plugboard connect trello                             # OAuth 1.0a: opens the browser
  plugboard connect gmail --auth-mode BEARER_TOKEN     # prompts for the token, masked
  plugboard connect shopify --auth-mode OAUTH2 --grant-type client_credentials --set shop=acme-store`,
    )
    .action(async (app: string, options: ConnectOptions, command: Command) => {
      const entityId = options.entity;
      await withToolset(
        command,
        ({ toolset, config }) =>
          withErrorContext({ app, entityId }, async () => {
            let mode = options.authMode;
            if (options.integration !== undefined) {
              const integration = await toolset.getIntegration(options.integration);
              if (integration.app !== app)
                throw new CliError(`integration ${integration.id} is for ${integration.app}, not ${app}`, {
                  hint: `plugboard connect ${integration.app} --integration ${integration.id}`,
                  exitCode: EXIT_USAGE_ERROR,
                });
              mode = integration.authMode;
            }
            const scheme = toolset.getAuthSchemeForApp(app, mode);
            const grantType = oauth2Grant(scheme, options.grantType, app);
            const redirect = scheme.mode === 'OAUTH1' || grantType === 'authorization_code';
            if (
              (scheme.mode === 'OAUTH1' || scheme.mode === 'OAUTH2') &&
              options.integration === undefined &&
              config.oauthApps?.[app] === undefined
            ) {
              const existing = (await toolset.listIntegrations({ app })).filter(
                (integration) => integration.authMode === scheme.mode,
              );
              if (existing.length === 0) {
                const developer = scheme.fields.filter(
                  (field) => field.suppliedBy === 'developer' && field.required && field.default === undefined,
                );
                const flags = developer
                  .map((field) =>
                    field.secret ? ` --secret-from-env ${field.name}=ENV_VAR` : ` --set ${field.name}=...`,
                  )
                  .join('');
                throw new CliError(`the app ${app} has no ${scheme.mode} integration yet`, {
                  hint: `create one first: plugboard integrations create ${app} --auth-mode ${scheme.mode}${flags}`,
                  exitCode: EXIT_USAGE_ERROR,
                });
              }
            }
            const expected = await toolset.getExpectedParamsForUser(
              options.integration !== undefined
                ? { integrationId: options.integration }
                : { app, authScheme: scheme.mode },
            );
            const values = await collectFieldValues(expected.expectedParams, options, {
              subject: `connecting ${app} with ${scheme.mode}`,
              retry: `plugboard connect ${app} --auth-mode ${scheme.mode}`,
            });
            const target = {
              ...(options.integration !== undefined
                ? { integrationId: options.integration }
                : { app, authMode: scheme.mode }),
              entityId,
              connectedAccountParams: values,
            };

            let connection: Connection;
            if (redirect)
              connection = await connectInBrowser(toolset, target, { app, mode: scheme.mode, entityId, options });
            else {
              const request = await toolset.initiateConnection({
                ...target,
                ...(grantType !== undefined ? { grantType } : {}),
              });
              connection = await toolset.getConnection(request.connectedAccountId);
            }
            if (options.json) return printJson(connection);
            print(`connected ${app} for entity ${entityId}: connection ${connection.id} (${connection.status})`);
          }),
        {
          callbackResponse: (outcome) =>
            outcome.ok
              ? callbackPage({ ok: true, app: outcome.connection.app })
              : callbackPage({ ok: false, message: outcome.error.message, code: outcome.error.code }),
        },
      );
    });
}

/**
 * The browser step of OAuth 2.0 (authorization code) and OAuth 1.0a: a loopback listener, the
 * authorization URL, and a wait until the callback has made the connection ACTIVE. When the wait
 * ends without it (Ctrl-C, --timeout), the listener is closed first, so no late callback can
 * complete the connection, and then the connection this started is deleted: nothing half-made
 * stays in the store. One the provider refused stays FAILED, with its reason.
 */
async function connectInBrowser(
  toolset: Toolset,
  target: Parameters<Toolset['initiateConnection']>[0],
  { app, mode, entityId, options }: { app: string; mode: AuthMode; entityId: string; options: ConnectOptions },
): Promise<Connection> {
  const listener = await startLoopbackListener(options.port, (request) => toolset.handleCallback(request)).catch(
    (error: unknown) => {
      throw new CliError(`cannot listen on 127.0.0.1:${options.port}: ${(error as Error).message}`, {
        hint: 'pass another --port, or leave it out for any free one',
        cause: error,
      });
    },
  );
  let started: string | undefined;
  try {
    return await interruptible(async (signal) => {
      const request = await toolset.initiateConnection({ ...target, redirectUri: listener.redirectUri });
      started = request.connectedAccountId;
      signal.throwIfAborted();
      if (request.redirectUrl === undefined) throw new CliError(`the ${mode} flow of ${app} gave no authorization URL`);
      print(`Open this URL in a browser to connect ${app} (entity ${entityId}):`);
      print(request.redirectUrl);
      if (shouldOpenBrowser(options.open)) {
        const { default: open } = await import('open');
        await open(request.redirectUrl).catch(() => note('could not open a browser; open the URL above yourself'));
      }
      const progress = startProgress(
        `waiting for the browser to come back to ${listener.redirectUri} (up to ${options.timeout} s)`,
        { signal },
      );
      try {
        const connection = await request.waitUntilActive({
          timeoutMs: options.timeout * 1000,
          pollIntervalMs: 200,
          signal,
        });
        progress.stop('connected');
        return connection;
      } catch (error) {
        progress.fail('not connected');
        throw error;
      }
    });
  } catch (error) {
    const timedOut = PlugboardError.isInstance(error) && error.code === 'WAIT_TIMEOUT';
    if (started === undefined || !(timedOut || isCancelled(error))) throw error;
    await listener.close();
    const removed = await toolset.deleteConnection(started).then(
      () => undefined,
      (problem: unknown) => problem,
    );
    const leftOver =
      removed === undefined
        ? {}
        : {
            hint: `the pending connection ${started} could not be deleted (${removed instanceof Error ? removed.message : String(removed)}); plugboard connections delete ${started}`,
          };
    if (timedOut) {
      throw new CliError(
        `no callback from the browser within ${options.timeout} s; ${app} is not connected for entity ${entityId}`,
        {
          hint: leftOver.hint ?? 'run the command again (the browser step must finish within --timeout seconds)',
          cause: error,
        },
      );
    }
    throw new CliError(`cancelled; ${app} is not connected for entity ${entityId}`, {
      ...leftOver,
      exitCode: EXIT_CANCELLED,
    });
  } finally {
    await listener.close();
  }
}

/**
 * The OAuth 2.0 grant to connect with: the one asked for, else the authorization code when the
 * scheme has it, else client credentials. `undefined` for other modes.
 */
function oauth2Grant(scheme: AuthSchemeSummary, wanted: GrantType | undefined, app: string): GrantType | undefined {
  if (scheme.mode !== 'OAUTH2') {
    if (wanted !== undefined)
      throw new CliError(`--grant-type is for OAUTH2, and this connects ${app} with ${scheme.mode}`, {
        hint: `add --auth-mode OAUTH2, or leave --grant-type out`,
        exitCode: EXIT_USAGE_ERROR,
      });
    return undefined;
  }
  const grants = scheme.oauth2?.grantTypes ?? ['authorization_code'];
  if (wanted !== undefined) {
    if (!grants.includes(wanted)) {
      const offered = grants.filter((grant) => grant !== 'refresh_token').join(', ') || 'none';
      throw new CliError(`the OAUTH2 scheme of ${app} does not offer the ${wanted} grant`, {
        hint: `its grants: ${offered}`,
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    return wanted;
  }
  return grants.includes('authorization_code') || !grants.includes('client_credentials')
    ? 'authorization_code'
    : 'client_credentials';
}

function shouldOpenBrowser(wanted: boolean): boolean {
  if (!wanted || isCi() || !process.stdout.isTTY) return false;
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return false;
  return true;
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) === 0)
    throw new InvalidArgumentError('Use a whole number of seconds above 0.');
  return Number(value);
}

function portNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535)
    throw new InvalidArgumentError('Use a whole number from 0 to 65535.');
  return Number(value);
}
