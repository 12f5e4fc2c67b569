import { PlugboardError, type ErrorCode } from '../errors.js';
import type { AuthField } from '../spec/auth-scheme.js';

export type FieldValue = string | number | boolean | string[];

interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * Checks values against fields: unknown names, missing required fields, wrong types and pattern
 * mismatches are all reported at once, by field name and never by value. Defaults are filled in.
 */
export function checkFieldValues(
  fields: readonly AuthField[],
  values: Readonly<Record<string, unknown>> | undefined,
  context: { code: ErrorCode; subject: string },
): Record<string, FieldValue> {
  const given = values ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new PlugboardError(context.code, `${context.subject} must be an object of field values.`);
  }
  const known = new Set(fields.map((field) => field.name));
  const unknown = Object.keys(given).filter((name) => !known.has(name));
  const missing: string[] = [];
  const invalid: FieldProblem[] = [];
  const checked: Record<string, FieldValue> = {};

  for (const field of fields) {
    const raw = given[field.name];
    const value = raw === undefined || raw === null || raw === '' ? field.default : raw;
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0 && field.required)) {
      if (field.required) missing.push(field.name);
      else if (value !== undefined) checked[field.name] = value;
      continue;
    }
    const coerced = coerce(field, value);
    if (typeof coerced === 'object' && coerced !== null && 'reason' in coerced) {
      invalid.push({ field: field.name, reason: coerced.reason });
      continue;
    }
    if (
      field.pattern !== undefined &&
      typeof coerced === 'string' &&
      !new RegExp(`^(?:${field.pattern})$`).test(coerced)
    ) {
      invalid.push({ field: field.name, reason: `does not match the pattern ${field.pattern}` });
      continue;
    }
    checked[field.name] = coerced;
  }

  if (unknown.length > 0 || missing.length > 0 || invalid.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0)
      parts.push(`missing required ${plural(missing.length, 'field')} ${missing.map(quote).join(', ')}`);
    if (invalid.length > 0) parts.push(invalid.map((problem) => `"${problem.field}" ${problem.reason}`).join('; '));
    if (unknown.length > 0)
      parts.push(
        `unknown ${plural(unknown.length, 'field')} ${unknown.map(quote).join(', ')} (expected ${[...known].map(quote).join(', ') || 'none'})`,
      );
    throw new PlugboardError(context.code, `${context.subject}: ${parts.join('; ')}.`, {
      details: { missing, invalid, unknown },
    });
  }
  return checked;
}

function coerce(field: AuthField, value: unknown): FieldValue | { reason: string } {
  switch (field.type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return { reason: 'must be a string' };
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isFinite(number) ? number : { reason: 'must be a number' };
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return { reason: 'must be true or false' };
    case 'string[]':
      if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...value];
      return { reason: 'must be a list of strings' };
  }
}

/** Field values as the strings placement templates use; lists are joined with `separator`. */
export function toTemplateValues(values: Readonly<Record<string, unknown>>, separator = ' '): Record<string, string> {
  const output: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    output[name] = Array.isArray(value) ? value.join(separator) : String(value);
  }
  return output;
}

function quote(name: string): string {
  return `"${name}"`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
