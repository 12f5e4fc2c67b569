import { isCancel, password, text } from '@clack/prompts';
import type { AuthField } from '@plugboard/core';
import { CliError } from './cli-error.js';
import { EXIT_CANCELLED, EXIT_USAGE_ERROR } from './exit-codes.js';
import { isInteractive } from './progress.js';

/** `--set name=value` and `--secret-from-env name=ENV_VAR`, as commander collects them. */
export interface FieldFlags {
  set?: string[];
  secretFromEnv?: string[];
}

/** Commander's collector for repeatable `name=value` options. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Splits `name=value` at the first `=`; a malformed one is a usage error naming the flag. */
export function splitAssignment(assignment: string, flag: string): [string, string] {
  const index = assignment.indexOf('=');
  if (index <= 0)
    throw new CliError(
      `${flag} expects name=value, got "${assignment.includes('=') ? assignment : assignment.slice(0, 40)}"`,
      { hint: `for example ${flag} client_id=abc`, exitCode: EXIT_USAGE_ERROR },
    );
  return [assignment.slice(0, index), assignment.slice(index + 1)];
}

/**
 * The values of `fields` from the flags, then from prompts for required ones still missing
 * (secrets masked) when a person is at the terminal. Without a terminal a missing field is a
 * usage error that names it and the flag to pass.
 */
export async function collectFieldValues(
  fields: readonly AuthField[],
  flags: FieldFlags,
  what: { subject: string; retry: string },
): Promise<Record<string, unknown>> {
  const byName = new Map(fields.map((field) => [field.name, field]));
  const raw = new Map<string, string>();
  const take = (assignment: string, flag: string, fromEnv: boolean) => {
    const [name, given] = splitAssignment(assignment, flag);
    if (!byName.has(name)) {
      const names = fields.map((field) => field.name).join(', ') || 'none';
      throw new CliError(`${what.subject} has no field "${name}"`, {
        hint: `its fields: ${names}`,
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    if (fromEnv) {
      const value = process.env[given];
      if (value === undefined || value === '')
        throw new CliError(`the environment variable ${given} (for ${name}) is not set`, {
          hint: `export ${given}=... first`,
          exitCode: EXIT_USAGE_ERROR,
        });
      raw.set(name, value);
    } else raw.set(name, given);
  };
  for (const assignment of flags.set ?? []) take(assignment, '--set', false);
  for (const assignment of flags.secretFromEnv ?? []) take(assignment, '--secret-from-env', true);

  const missing = fields.filter((field) => field.required && field.default === undefined && !raw.has(field.name));
  if (missing.length > 0) {
    if (!isInteractive()) {
      const flagsHint = missing
        .map((field) => (field.secret ? `--secret-from-env ${field.name}=ENV_VAR` : `--set ${field.name}=...`))
        .join(' ');
      throw new CliError(
        `${what.subject} needs ${missing.map((field) => field.name).join(', ')}, and there is no terminal to ask`,
        {
          hint: `pass ${flagsHint} (${what.retry})`,
          exitCode: EXIT_USAGE_ERROR,
        },
      );
    }
    for (const field of missing) raw.set(field.name, await ask(field));
  }

  const values: Record<string, unknown> = {};
  for (const [name, value] of raw) values[name] = coerceField(byName.get(name) as AuthField, value);
  return values;
}

async function ask(field: AuthField): Promise<string> {
  const message = `${field.displayName}${field.description ? ` (${field.description})` : ''}`;
  const validate = (value: string | undefined) => {
    if (value === undefined || value === '') return `${field.displayName} is required`;
    if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`).test(value))
      return `${field.displayName} must match ${field.pattern}`;
    return undefined;
  };
  const common = { message, validate, input: process.stdin, output: process.stderr };
  const answer = field.secret ? await password({ ...common, mask: '•' }) : await text(common);
  if (isCancel(answer)) throw new CliError('cancelled', { exitCode: EXIT_CANCELLED });
  return answer;
}

/** A flag's text as the field's type: lists split at commas, numbers and booleans parsed. */
export function coerceField(field: AuthField, value: string): unknown {
  switch (field.type) {
    case 'string[]':
      return value.split(/[\s,]+/).filter((item) => item !== '');
    case 'number': {
      const number = Number(value);
      if (value.trim() === '' || Number.isNaN(number))
        throw new CliError(`${field.name} must be a number`, { exitCode: EXIT_USAGE_ERROR });
      return number;
    }
    case 'boolean':
      if (/^(true|yes|1)$/i.test(value)) return true;
      if (/^(false|no|0)$/i.test(value)) return false;
      throw new CliError(`${field.name} must be true or false`, { exitCode: EXIT_USAGE_ERROR });
    default:
      return value;
  }
}
