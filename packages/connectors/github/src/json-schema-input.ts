import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * A zod input schema from the JSON Schema subset scripts/generate.mjs writes: types (with "null"),
 * enums, anyOf, string and number limits, patterns, arrays and objects. Defaults are documented,
 * not applied: GitHub applies its own when a field is left out, so nothing extra is sent.
 * Objects without `additionalProperties` refuse unknown keys, so a misspelt field is an error
 * before any request instead of a field GitHub ignores.
 */
export function jsonSchemaToZod(schema: JsonSchema): z.ZodType {
  if (Array.isArray(schema['anyOf'])) {
    const options = (schema['anyOf'] as JsonSchema[]).map(jsonSchemaToZod);
    return options.length === 1 ? (options[0] as z.ZodType) : z.union(options as [z.ZodType, z.ZodType]);
  }
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as Array<string | number | boolean | null>;
    const literals = values.map((value) => z.literal(value));
    return literals.length === 1 ? (literals[0] as z.ZodType) : z.union(literals as unknown as [z.ZodType, z.ZodType]);
  }
  const type = schema['type'];
  if (Array.isArray(type)) {
    const options = (type as string[]).map((item) => jsonSchemaToZod({ ...schema, type: item }));
    return options.length === 1 ? (options[0] as z.ZodType) : z.union(options as [z.ZodType, z.ZodType]);
  }
  switch (type) {
    case 'string': {
      let result = z.string();
      if (typeof schema['minLength'] === 'number') result = result.min(schema['minLength']);
      if (typeof schema['maxLength'] === 'number') result = result.max(schema['maxLength']);
      if (typeof schema['pattern'] === 'string') result = result.regex(new RegExp(schema['pattern'], 'u'));
      return result;
    }
    case 'integer':
    case 'number': {
      let result = type === 'integer' ? z.number().int() : z.number();
      if (typeof schema['minimum'] === 'number') result = result.min(schema['minimum']);
      if (typeof schema['maximum'] === 'number') result = result.max(schema['maximum']);
      if (typeof schema['exclusiveMinimum'] === 'number') result = result.gt(schema['exclusiveMinimum']);
      if (typeof schema['exclusiveMaximum'] === 'number') result = result.lt(schema['exclusiveMaximum']);
      return result;
    }
    case 'boolean':
      return z.boolean();
    case 'null':
      return z.null();
    case 'array': {
      let result = z.array(schema['items'] ? jsonSchemaToZod(schema['items'] as JsonSchema) : z.unknown());
      if (typeof schema['minItems'] === 'number') result = result.min(schema['minItems']);
      if (typeof schema['maxItems'] === 'number') result = result.max(schema['maxItems']);
      return result;
    }
    case 'object':
      return objectSchema(schema);
    default:
      return schema['properties'] ? objectSchema(schema) : z.unknown();
  }
}

function objectSchema(schema: JsonSchema): z.ZodType {
  const properties = (schema['properties'] as Record<string, JsonSchema> | undefined) ?? {};
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const shape: Record<string, z.ZodType> = {};
  for (const [name, property] of Object.entries(properties)) {
    const value = jsonSchemaToZod(property);
    shape[name] = required.has(name) ? value : value.optional();
  }
  const additional = schema['additionalProperties'];
  if (additional === false) return z.strictObject(shape);
  if (additional && typeof additional === 'object')
    return z.object(shape).catchall(jsonSchemaToZod(additional as JsonSchema));
  return z.looseObject(shape);
}
