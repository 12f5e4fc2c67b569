import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, oneLine } from './cli-error.js';
import { createMcpCommand } from './commands/mcp-command.js';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE_ERROR } from './exit-codes.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The `plugboard` command tree. Commander throws instead of exiting, so `runCli` picks the exit code. */
export function createProgram(): Command {
  const program = new Command('plugboard')
    .description('Plugboard from the terminal: act on third-party APIs on behalf of your users.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride();
  program.addCommand(createMcpCommand());
  for (const command of [program, ...program.commands]) reportErrorsOnOneLine(command.exitOverride());
  program.addHelpText('after', `\nExit codes: ${EXIT_OK} ok, ${EXIT_RUNTIME_ERROR} runtime error, ${EXIT_USAGE_ERROR} usage error.`);
  return program;
}

/** Runs `plugboard` with `argv` (without node and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    // Commander has already printed its message (or the help) by the time it throws.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE_ERROR;
    const command = commandName(program, argv);
    if (error instanceof CliError) {
      writeError(command, error.message, error.hint);
      if (process.env['PLUGBOARD_DEBUG'] && error.cause instanceof Error) process.stderr.write(`${error.cause.stack}\n`);
      return error.exitCode;
    }
    writeError(command, error instanceof Error ? error.message : String(error), 'this is a bug in plugboard; PLUGBOARD_DEBUG=1 prints the stack');
    if (process.env['PLUGBOARD_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT_RUNTIME_ERROR;
  }
}

function reportErrorsOnOneLine(command: Command): void {
  const path = command.parent ? `plugboard ${command.name()}` : 'plugboard';
  command.configureOutput({
    outputError: (text, write) => write(`${path}: ${oneLine(text.replace(/^error: /, ''))} (usage: ${path} ${command.usage()}; see ${path} --help)\n`),
  });
}

function writeError(command: string, message: string, hint: string | undefined): void {
  process.stderr.write(`${command}: ${oneLine(message)}${hint ? ` (${hint})` : ''}\n`);
}

function commandName(program: Command, argv: readonly string[]): string {
  const name = argv.find((argument) => !argument.startsWith('-'));
  return name && program.commands.some((command) => command.name() === name) ? `plugboard ${name}` : 'plugboard';
}
