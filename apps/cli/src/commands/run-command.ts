import { Command, Option } from 'commander';
import { CliError } from '../cli-error.js';
import { withToolset } from '../context.js';
import { buildInput } from '../input-values.js';
import type { JsonSchema } from '../json-schema.js';
import { print, printJson } from '../output.js';
import { perCallAuth } from '../per-call-auth.js';
import { fromPlugboardError } from '../plugboard-errors.js';
import { findAction } from '../suggest.js';

interface RunOptions {
  json?: string;
  connection?: string;
  entity?: string;
  authFromEnv: string[];
  output: 'text' | 'json';
}

/** `plugboard run <ACTION> key=value ...`: one action, as an entity or through a connection. */
export function createRunCommand(): Command {
  return new Command('run')
    .description('run an action and print its data')
    .argument('<ACTION>', 'the action name, like GITHUB_GET_A_PULL_REQUEST')
    .argument('[params...]', 'parameters as key=value (coerced by the action’s types) or key:=json')
    .option('--json <object>', 'the whole input as a JSON object; key=value pairs after it override its keys')
    .option('--connection <id>', 'use this connection')
    .option('--entity <id>', 'use this entity\'s active connection (default: "default")')
    .option(
      '--auth-from-env <in:name=ENV_VAR>',
      'per-call credentials instead of a stored connection, the value read from ENV_VAR (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(
      new Option(
        '--output <format>',
        'text: the data as pretty JSON; json: the whole result { successful, data, error }',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Parameters:
  key=value     text, turned into the parameter's type: numbers, true/false, arrays as a JSON array
                or a comma-separated list (repeat key=value to append), objects as JSON
  key:=json     the value as JSON, as it is: labels:='["bug","ui"]' draft:=true
  --json '{}'   the whole input at once

Examples:
  plugboard run GITHUB_GET_A_PULL_REQUEST owner=octocat repo=Hello-World pull_number=1347
  plugboard run GMAIL_FETCH_EMAILS q='is:unread' maxResults=5 --entity user-42 --output json
  plugboard run GITHUB_CREATE_ISSUE --json '{"owner":"me","repo":"app","title":"Bug","labels":["bug"]}'
  GITHUB_AUTH="Bearer $GITHUB_TOKEN" plugboard run GITHUB_GET_A_PULL_REQUEST owner=octocat repo=Hello-World \\
    pull_number=1347 --auth-from-env header:Authorization=GITHUB_AUTH`,
    )
    .action(async (name: string, pairs: string[], options: RunOptions, command: Command) => {
      await withToolset(command, async ({ toolset }) => {
        const action = findAction(toolset, name);
        const input = buildInput(pairs, options.json, action.inputJsonSchema as JsonSchema, action.name);
        const auth = perCallAuth(options.authFromEnv, process.env);
        const result = await toolset.executeAction(action.name, input, {
          ...(auth !== undefined ? { auth } : {}),
          ...(options.connection !== undefined ? { connectedAccountId: options.connection } : {}),
          ...(options.entity !== undefined ? { entityId: options.entity } : {}),
        });
        if (options.output === 'json') printJson(result);
        if (result.successful) {
          if (options.output === 'text')
            print(typeof result.data === 'string' ? result.data : JSON.stringify(result.data, null, 2));
          return;
        }
        let app = action.app;
        let entityId = options.entity;
        if (options.connection !== undefined) {
          const connection = await toolset.getConnection(options.connection).catch(() => undefined);
          app = connection?.app ?? app;
          entityId = connection?.entityId ?? entityId;
        }
        const error = fromPlugboardError(result.error, {
          app,
          action: action.name,
          entityId,
          connectionId: options.connection,
        });
        // The result's error (already redacted by core) is what PLUGBOARD_DEBUG=1 prints.
        throw new CliError(error.message, { hint: error.hint, exitCode: error.exitCode, cause: result.error });
      });
    });
}
