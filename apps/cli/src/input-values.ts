import { CliError } from './cli-error.js';
import { EXIT_USAGE_ERROR } from './exit-codes.js';
import { jsonTypes, type JsonSchema } from './json-schema.js';

/**
 * Builds an action's input from `--json` and `key=value` / `key:=json` arguments.
 *
 * - `key=value`: text, turned into the parameter's type from the action's schema: a number for
 *   `integer`/`number`, `true`/`false` for `boolean`; for an array, a JSON array or a
 *   comma-separated list, and repeating `key=value` appends; for an object, JSON.
 * - `key:=json`: the value as JSON, taken as it is (`labels:='["bug","ui"]'`, `draft:=true`).
 * - `--json '{...}'`: a whole input object; the pairs after it override its keys.
 */
export function buildInput(
  pairs: readonly string[],
  json: string | undefined,
  schema: JsonSchema,
  action: string,
): Record<string, unknown> {
  let input: Record<string, unknown> = {};
  if (json !== undefined) {
    const parsed = parseJson(json, '--json');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw usage('--json must be a JSON object', action);
    input = { ...(parsed as Record<string, unknown>) };
  }
  const properties = schema.properties ?? {};
  const appended = new Set<string>();
  for (const pair of pairs) {
    const raw = /^([^=:]+)(:?=)([\s\S]*)$/.exec(pair);
    if (!raw) throw usage(`"${pair.slice(0, 40)}" is not key=value or key:=json`, action);
    const [, key = '', operator, text = ''] = raw;
    const property = properties[key];
    if (property === undefined && schema.properties !== undefined) {
      throw new CliError(`${action} has no parameter "${key}"`, {
        hint: `plugboard action ${action} lists its parameters`,
        exitCode: EXIT_USAGE_ERROR,
      });
    }
    if (operator === ':=') {
      input[key] = parseJson(text, key);
      continue;
    }
    const value = coerce(text, property ?? {}, key, action);
    const types = jsonTypes(property ?? {});
    if (types.has('array') && appended.has(key) && Array.isArray(input[key]))
      input[key] = [...(input[key] as unknown[]), ...(value as unknown[])];
    else input[key] = value;
    appended.add(key);
  }
  return input;
}

function coerce(text: string, schema: JsonSchema, key: string, action: string): unknown {
  const types = jsonTypes(schema);
  if (types.has('string') || types.size === 0) return text;
  if (types.has('integer') || types.has('number')) {
    const number = Number(text);
    if (text.trim() !== '' && !Number.isNaN(number)) return number;
    if (!types.has('boolean')) throw usage(`${key} must be a number, got "${text}"`, action);
  }
  if (types.has('boolean')) {
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw usage(`${key} must be true or false, got "${text}"`, action);
  }
  if (types.has('array')) {
    if (text.trimStart().startsWith('[')) return parseJson(text, key);
    const items = schema.items ?? {};
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => coerce(item, items, key, action));
  }
  if (types.has('object')) return parseJson(text, key);
  if (types.has('null') && text === 'null') return null;
  return text;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}`, {
      hint: `quote it for the shell, like ${what === '--json' ? `--json '{"owner":"octocat"}'` : `${what}:='["a","b"]'`}`,
      exitCode: EXIT_USAGE_ERROR,
    });
  }
}

function usage(message: string, action: string): CliError {
  return new CliError(message, {
    hint: `plugboard action ${action} lists its parameters and types`,
    exitCode: EXIT_USAGE_ERROR,
  });
}
