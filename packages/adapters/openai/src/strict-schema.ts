/**
 * Strict function calling (Structured Outputs) accepts a subset of JSON Schema: every object lists
 * every property in `required` and sets `additionalProperties: false`. An optional field is
 * therefore sent as a required field that may be `null`, and a `null` the model sends for it is
 * turned back into "absent" before the action's own (zod) schema sees it.
 *
 * @see https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
 */

/** Where `null` stands for an omitted field, mirroring the shape of the input. */
export interface OmissionPlan {
  /** Optional properties of this object, and whether the original schema itself allowed `null`. */
  optional?: Map<string, boolean>;
  properties?: Map<string, OmissionPlan>;
  items?: OmissionPlan;
}

export interface StrictSchema {
  schema: Record<string, unknown>;
  plan: OmissionPlan | undefined;
}

const KEPT_KEYWORDS = new Set([
  'type',
  'description',
  'enum',
  'const',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
]);
// Constraints strict mode does not take. Dropping them only loosens what the model is held to:
// the action's zod schema still checks them before anything is sent.
const DROPPED_KEYWORDS = new Set([
  'title',
  'default',
  'examples',
  'minLength',
  'maxLength',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'contentEncoding',
  'contentMediaType',
  'readOnly',
  'writeOnly',
  'deprecated',
  '$comment',
]);
const STRING_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
// Lookaround and backreferences are outside the regular expressions strict mode accepts.
const UNSUPPORTED_PATTERN = /\(\?<?[=!]|\\[1-9]|\\k</;
const MAX_NESTING = 10;

class NotStrict extends Error {}

/**
 * The strict form of an object schema and the plan to undo its `null`s, or `undefined` when strict
 * mode cannot express the schema (maps, `allOf`/`oneOf`/`not`, `$ref`, tuples, values of any type,
 * optional fields inside `anyOf`, nesting deeper than 10): such a tool is offered without `strict`.
 */
export function toStrictSchema(schema: Record<string, unknown>): StrictSchema | undefined {
  if (schema['type'] !== 'object' || schema['anyOf'] !== undefined) return undefined;
  try {
    const plan: OmissionPlan = {};
    const strict = transform(schema, plan, 1, false);
    return { schema: strict, plan: isEmpty(plan) ? undefined : plan };
  } catch (error) {
    if (error instanceof NotStrict) return undefined;
    throw error;
  }
}

/** Removes the `null`s that stand for omitted fields, leaving any other value as it is. */
export function restoreOmitted(value: unknown, plan: OmissionPlan): unknown {
  if (plan.items && Array.isArray(value)) return value.map((item) => restoreOmitted(item, plan.items as OmissionPlan));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, nullAllowed] of plan.optional ?? []) {
    if (copy[key] === null && !nullAllowed) delete copy[key];
  }
  for (const [key, child] of plan.properties ?? []) {
    if (key in copy) copy[key] = restoreOmitted(copy[key], child);
  }
  return copy;
}

function transform(schema: unknown, plan: OmissionPlan, depth: number, inUnion: boolean): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new NotStrict();
  if (depth > MAX_NESTING) throw new NotStrict();
  const source = schema as Record<string, unknown>;
  // A schema without a type says "any value", which strict mode cannot offer.
  if (
    source['type'] === undefined &&
    source['anyOf'] === undefined &&
    source['enum'] === undefined &&
    source['const'] === undefined
  )
    throw new NotStrict();
  const types = Array.isArray(source['type']) ? (source['type'] as unknown[]) : [source['type']];
  const result: Record<string, unknown> = {};

  for (const [keyword, value] of Object.entries(source)) {
    if (
      keyword === 'properties' ||
      keyword === 'required' ||
      keyword === 'additionalProperties' ||
      keyword === 'items' ||
      keyword === 'anyOf'
    )
      continue;
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    if (!KEPT_KEYWORDS.has(keyword)) throw new NotStrict();
    if (keyword === 'format' && !STRING_FORMATS.has(value as string)) continue;
    // zod adds its own pattern to a format; the format alone says it better.
    if (
      keyword === 'pattern' &&
      (source['format'] !== undefined || typeof value !== 'string' || UNSUPPORTED_PATTERN.test(value))
    )
      continue;
    result[keyword] = value;
  }

  if (types.includes('object') || source['properties'] !== undefined) {
    if (source['additionalProperties'] !== undefined && source['additionalProperties'] !== false) throw new NotStrict();
    const properties = (source['properties'] ?? {}) as Record<string, unknown>;
    const required = new Set(Array.isArray(source['required']) ? (source['required'] as string[]) : []);
    const strictProperties: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(properties)) {
      const childPlan: OmissionPlan = {};
      let strictProperty = transform(property, childPlan, depth + 1, inUnion);
      if (!isEmpty(childPlan)) (plan.properties ??= new Map()).set(key, childPlan);
      if (!required.has(key)) {
        // Inside a union we could not tell which branch a null belongs to.
        if (inUnion) throw new NotStrict();
        const nullAllowed = acceptsNull(strictProperty);
        if (!nullAllowed) strictProperty = nullable(strictProperty);
        (plan.optional ??= new Map()).set(key, nullAllowed);
      }
      strictProperties[key] = strictProperty;
    }
    result['type'] = source['type'] ?? 'object';
    result['properties'] = strictProperties;
    result['required'] = Object.keys(strictProperties);
    result['additionalProperties'] = false;
  }

  if (source['items'] !== undefined) {
    const itemsPlan: OmissionPlan = {};
    result['items'] = transform(source['items'], itemsPlan, depth + 1, inUnion);
    if (!isEmpty(itemsPlan)) plan.items = itemsPlan;
  } else if (types.includes('array')) {
    throw new NotStrict();
  }

  if (source['anyOf'] !== undefined) {
    if (!Array.isArray(source['anyOf'])) throw new NotStrict();
    result['anyOf'] = source['anyOf'].map((branch) => transform(branch, {}, depth + 1, true));
  }
  return result;
}

function acceptsNull(schema: Record<string, unknown>): boolean {
  const type = schema['type'];
  if (type === 'null' || (Array.isArray(type) && type.includes('null'))) return true;
  if (Array.isArray(schema['enum']) && schema['enum'].includes(null)) return true;
  if (schema['const'] === null) return true;
  return (
    Array.isArray(schema['anyOf']) && schema['anyOf'].some((branch) => acceptsNull(branch as Record<string, unknown>))
  );
}

function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  const plain = schema['enum'] === undefined && schema['const'] === undefined && schema['anyOf'] === undefined;
  if (plain && typeof schema['type'] === 'string') return { ...schema, type: [schema['type'], 'null'] };
  if (plain && Array.isArray(schema['type'])) return { ...schema, type: [...(schema['type'] as unknown[]), 'null'] };
  const { description, ...rest } = schema;
  return { anyOf: [rest, { type: 'null' }], ...(description === undefined ? {} : { description }) };
}

function isEmpty(plan: OmissionPlan): boolean {
  return plan.optional === undefined && plan.properties === undefined && plan.items === undefined;
}
