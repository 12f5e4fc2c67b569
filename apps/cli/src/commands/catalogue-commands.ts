import { Command } from 'commander';
import { catalogueToolset } from '../context.js';
import { parametersOf, type JsonSchema } from '../json-schema.js';
import { print, printJson, printTable, summary } from '../output.js';
import { withErrorContext } from '../plugboard-errors.js';
import { collect } from '../fields.js';
import { findAction } from '../suggest.js';

/** `plugboard apps`, `actions`, `action`, `schemes`: what the configured connectors offer. */
export function createCatalogueCommands(): Command[] {
  const apps = new Command('apps')
    .description('list the apps (connectors) and their auth modes')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const toolset = await catalogueToolset(command);
      const list = toolset.listApps();
      if (options.json) return printJson(list);
      printTable(
        ['APP', 'NAME', 'AUTH MODES', 'ACTIONS', 'VERSION'],
        list.map((app) => [app.id, app.name, app.authModes.join(', '), String(app.actionCount), app.version]),
      );
    });

  const actions = new Command('actions')
    .description("list actions, all or one app's")
    .argument('[app]', 'only this app’s actions')
    .option('--tag <tag>', 'only actions with this tag (repeatable)', collect)
    .option('--json', 'print JSON (with each input JSON Schema)')
    .action(async (app: string | undefined, options: { tag?: string[]; json?: boolean }, command: Command) => {
      const toolset = await catalogueToolset(command);
      const list = await withErrorContext({ app }, async () =>
        toolset.listActions({ ...(app !== undefined ? { app } : {}), ...(options.tag ? { tags: options.tag } : {}) }),
      );
      if (options.json) return printJson(list);
      printTable(
        ['ACTION', 'DESCRIPTION'],
        list.map((action) => [action.name, summary(action.description)]),
      );
    });

  const action = new Command('action')
    .description('describe one action: its parameters and the auth modes of its app')
    .argument('<NAME>', 'the action name, like GITHUB_GET_A_PULL_REQUEST')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const toolset = await catalogueToolset(command);
      const found = findAction(toolset, name);
      const authModes =
        found.app === undefined ? [] : (toolset.listApps().find((app) => app.id === found.app)?.authModes ?? []);
      const parameters = parametersOf(found.inputJsonSchema as JsonSchema);
      if (options.json)
        return printJson({
          ...found,
          authModes,
          parameters: parameters.map(({ schema: _schema, ...parameter }) => parameter),
        });
      print(found.name);
      print(`  ${found.description}`);
      print();
      print(`app:        ${found.app ?? '(none)'}`);
      print(`auth modes: ${authModes.join(', ') || '(none)'}`);
      if (found.tags.length > 0) print(`tags:       ${found.tags.join(', ')}`);
      if (found.aliases.length > 0) print(`aliases:    ${found.aliases.join(', ')}`);
      print();
      if (parameters.length === 0) print('parameters: none');
      else {
        print('parameters:');
        printTable(
          ['  NAME', 'TYPE', 'REQUIRED', 'DEFAULT', 'DESCRIPTION'],
          parameters.map((parameter) => [
            `  ${parameter.name}`,
            parameter.type,
            parameter.required ? 'yes' : 'no',
            parameter.default === undefined ? '' : JSON.stringify(parameter.default),
            parameter.description ?? '',
          ]),
        );
      }
      print();
      print(
        `run it: plugboard run ${found.name}${parameters
          .filter((parameter) => parameter.required)
          .map((parameter) => ` ${parameter.name}=...`)
          .join('')}`,
      );
    });

  const schemes = new Command('schemes')
    .description("an app's auth modes and the fields each expects: who supplies them, secret or not, required, default")
    .argument('<app>', 'the app id, like github')
    .option('--json', 'print JSON')
    .action(async (app: string, options: { json?: boolean }, command: Command) => {
      const toolset = await catalogueToolset(command);
      const summaries = await withErrorContext({ app }, async () => {
        const found = toolset.listApps().find((candidate) => candidate.id === app);
        if (!found) toolset.listActions({ app }); // throws APP_NOT_FOUND with suggestions
        const preferred = toolset.getAuthSchemeForApp(app).mode;
        return (found?.authModes ?? []).map((mode) => ({
          ...toolset.getAuthSchemeForApp(app, mode),
          preferred: mode === preferred,
        }));
      });
      if (options.json)
        return printJson(
          summaries.map(({ mode, displayName, fields, placements, preferred }) => ({
            mode,
            displayName,
            preferred,
            fields,
            placements,
          })),
        );
      for (const [index, scheme] of summaries.entries()) {
        if (index > 0) print();
        print(`${scheme.mode}${scheme.preferred ? ' (preferred)' : ''}: ${scheme.displayName}`);
        if (scheme.fields.length === 0) {
          print('  no fields');
          continue;
        }
        printTable(
          ['  FIELD', 'SUPPLIED BY', 'REQUIRED', 'SECRET', 'TYPE', 'DEFAULT', 'DESCRIPTION'],
          scheme.fields.map((field) => [
            `  ${field.name}`,
            field.suppliedBy === 'developer' ? 'developer (integration)' : 'user (connect)',
            field.required ? 'yes' : 'no',
            field.secret ? 'yes' : 'no',
            field.type,
            field.default === undefined ? '' : JSON.stringify(field.default),
            field.description ?? '',
          ]),
        );
      }
    });

  return [apps, actions, action, schemes];
}
