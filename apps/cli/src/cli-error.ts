import { EXIT_RUNTIME_ERROR } from './exit-codes.js';

/** A failure the CLI reports as `error: <message>` and `hint: <what to do>` on stderr, then exits. */
export class CliError extends Error {
  override name = 'CliError';
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string | undefined; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT_RUNTIME_ERROR;
  }
}

/** One line: whatever spans several lines in a message is joined, so the error stays greppable. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
