import type { AuthMode } from '@plugboard/core';
import { Command, Option } from 'commander';
import { withToolset } from '../context.js';
import { collect, collectFieldValues, type FieldFlags } from '../fields.js';
import { print, printJson, printTable } from '../output.js';
import { withErrorContext } from '../plugboard-errors.js';

export const AUTH_MODE_CHOICES = [
  'OAUTH2',
  'OAUTH1',
  'API_KEY',
  'BEARER_TOKEN',
  'BASIC',
  'BASIC_WITH_JWT',
  'SIGNED_ASSERTION',
  'NO_AUTH',
];

interface CreateOptions extends FieldFlags {
  authMode?: AuthMode;
  name?: string;
  json?: boolean;
}

/** `plugboard integrations create|list|delete`: the developer's configuration of an app and auth mode. */
export function createIntegrationsCommand(): Command {
  const integrations = new Command('integrations').description(
    "manage integrations: your configuration of one app and auth mode (an OAuth app's client id and secret, ...)",
  );

  integrations
    .command('create')
    .description('create an integration; prompts for missing developer fields at a terminal (secrets masked)')
    .argument('<app>', 'the app id, like github')
    .addOption(
      new Option('--auth-mode <mode>', "the auth mode (default: the app's preferred one)").choices(AUTH_MODE_CHOICES),
    )
    .option('--name <name>', 'a name for the integration (default: "<app> <mode>")')
    .option(
      '--set <field=value>',
      'a developer field, like client_id=abc (repeatable; lists are comma-separated)',
      collect,
    )
    .option(
      '--secret-from-env <field=ENV_VAR>',
      'read a field from an environment variable, like client_secret=GITHUB_CLIENT_SECRET (repeatable)',
      collect,
    )
    .option('--json', 'print the integration as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  plugboard integrations create github --auth-mode OAUTH2 --set client_id=Iv1.abc --secret-from-env client_secret=GITHUB_CLIENT_SECRET',
    )
    .action(async (app: string, options: CreateOptions, command: Command) => {
      await withToolset(command, ({ toolset, config }) =>
        withErrorContext({ app }, async () => {
          const scheme = toolset.getAuthSchemeForApp(app, options.authMode);
          const developerFields = scheme.fields.filter((field) => field.suppliedBy === 'developer');
          const retry = `plugboard integrations create ${app} --auth-mode ${scheme.mode}`;
          const noValues = (options.set ?? []).length === 0 && (options.secretFromEnv ?? []).length === 0;
          // Without values, an OAuth mode may use the config's oauthApps entry for the app.
          const configured = config.oauthApps?.[app] !== undefined;
          const authConfig =
            noValues && configured && (scheme.mode === 'OAUTH2' || scheme.mode === 'OAUTH1')
              ? undefined
              : await collectFieldValues(developerFields, options, {
                  subject: `the ${scheme.mode} integration of ${app}`,
                  retry,
                });
          const integration = await toolset.createIntegration({
            app,
            authMode: scheme.mode,
            ...(authConfig !== undefined ? { authConfig } : {}),
            ...(options.name !== undefined ? { name: options.name } : {}),
          });
          if (options.json) return printJson(integration);
          print(
            `created integration ${integration.id} (${integration.app} ${integration.authMode}, "${integration.name}")`,
          );
          print(`next: plugboard connect ${app} --integration ${integration.id}`);
        }),
      );
    });

  integrations
    .command('list')
    .description('list integrations (secret fields are never shown)')
    .option('--app <app>', 'only this app’s')
    .option('--json', 'print JSON')
    .action(async (options: { app?: string; json?: boolean }, command: Command) => {
      await withToolset(command, async ({ toolset }) => {
        const list = await toolset.listIntegrations(options.app !== undefined ? { app: options.app } : {});
        if (options.json) return printJson(list);
        printTable(
          ['ID', 'APP', 'AUTH MODE', 'NAME', 'CREATED'],
          list.map((integration) => [
            integration.id,
            integration.app,
            integration.authMode,
            integration.name,
            integration.createdAt,
          ]),
        );
      });
    });

  integrations
    .command('delete')
    .description('delete an integration and every connection made through it')
    .argument('<id>', 'the integration id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withToolset(command, ({ toolset }) =>
        withErrorContext({}, async () => {
          await toolset.deleteIntegration(id);
          print(`deleted integration ${id}`);
        }),
      );
    });

  return integrations;
}
