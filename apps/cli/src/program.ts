import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CliError, oneLine } from './cli-error.js';
import { createCatalogueCommands } from './commands/catalogue-commands.js';
import { createConnectCommand } from './commands/connect-command.js';
import { createConnectionsCommand } from './commands/connections-command.js';
import { createIntegrationsCommand } from './commands/integrations-command.js';
import { createKeysCommand } from './commands/keys-command.js';
import { createMcpCommand } from './commands/mcp-command.js';
import { createRunCommand } from './commands/run-command.js';
import { createServeCommand } from './commands/serve-command.js';
import { createStoreCommand } from './commands/store-command.js';
import { EXIT_CODES_HELP, EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE_ERROR } from './exit-codes.js';
import { toCliError } from './plugboard-errors.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** The `plugboard` command tree. Commander throws instead of exiting, so `runCli` picks the exit code. */
export function createProgram(): Command {
  const program = new Command('plugboard')
    .description('Plugboard from the terminal: act on third-party APIs on behalf of your users.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .addOption(
      new Option('--store-dir <dir>', 'where the embedded store lives (default: $PLUGBOARD_HOME or ~/.plugboard)'),
    )
    .addOption(
      new Option(
        '--config <module>',
        'an ES module whose default export gives connectors, oauthApps, fetch, ... (default: $PLUGBOARD_CONFIG, else the built-in github, gmail, shopify, trello)',
      ),
    )
    .exitOverride();
  for (const command of [
    ...createCatalogueCommands(),
    createIntegrationsCommand(),
    createConnectCommand(),
    createConnectionsCommand(),
    createRunCommand(),
    createKeysCommand(),
    createStoreCommand(),
    createMcpCommand(),
    createServeCommand(),
  ]) {
    program.addCommand(command);
  }
  for (const command of allCommands(program))
    reportErrorsOnOneLine(command.exitOverride().helpOption('-h, --help', 'show help').showSuggestionAfterError(true));
  program.addHelpText(
    'after',
    `\n${EXIT_CODES_HELP}\n\nErrors print "error: <what went wrong>" and "hint: <what to do>" on stderr; PLUGBOARD_DEBUG=1 adds the stack.`,
  );
  return program;
}

/** Runs `plugboard` with `argv` (without node and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (caught) {
    // Commander has already printed its message (or the help) by the time it throws.
    if (caught instanceof CommanderError) return caught.exitCode === 0 ? EXIT_OK : EXIT_USAGE_ERROR;
    const error = toCliError(caught);
    if (error instanceof CliError) {
      writeError(error.message, error.hint);
      const cause = error.cause;
      if (process.env['PLUGBOARD_DEBUG'] && cause !== undefined)
        process.stderr.write(`${cause instanceof Error ? cause.stack : JSON.stringify(cause, null, 2)}\n`);
      return error.exitCode;
    }
    writeError(
      error instanceof Error ? error.message : String(error),
      'this is a bug in plugboard; PLUGBOARD_DEBUG=1 prints the stack',
    );
    if (process.env['PLUGBOARD_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT_RUNTIME_ERROR;
  }
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}

function reportErrorsOnOneLine(command: Command): void {
  const path = commandPath(command);
  command.configureOutput({
    outputError: (text, write) =>
      write(
        `error: ${oneLine(text.replace(/^error: /, ''))}\nhint: usage: ${path} ${command.usage()}; see ${path} --help\n`,
      ),
  });
}

function writeError(message: string, hint: string | undefined): void {
  process.stderr.write(`error: ${oneLine(message)}\n${hint ? `hint: ${oneLine(hint)}\n` : ''}`);
}
