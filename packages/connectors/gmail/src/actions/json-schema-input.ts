import { z } from 'zod';

/** The JSON Schema subset the generator writes (scripts/generate.mjs): objects, arrays, scalars, enums. */
export interface GeneratedJsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, GeneratedJsonSchema>;
  required?: string[];
  additionalProperties?: boolean | GeneratedJsonSchema;
  items?: GeneratedJsonSchema;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  default?: unknown;
  contentEncoding?: string;
  format?: string;
  readOnly?: boolean;
}

/**
 * The zod schema that validates what a generated JSON Schema describes, so a generated action
 * refuses bad input before anything is sent. The top level is strict (an unknown key is a typo, and
 * is refused); nested objects let unknown fields through, as Google's API accepts fields newer than
 * this copy of the discovery document. Built here rather than with `z.fromJSONSchema` so that the
 * connector works with every zod 4 its peer range allows.
 */
export function zodFromJsonSchema(schema: GeneratedJsonSchema, topLevel = true): z.ZodType {
  let result: z.ZodType;
  switch (schema.type) {
    case 'object': {
      const required = new Set(schema.required ?? []);
      const shape: Record<string, z.ZodType> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const field = zodFromJsonSchema(property, false);
        shape[name] =
          property.default !== undefined
            ? field.default(property.default as never)
            : required.has(name)
              ? field
              : field.optional();
      }
      if (schema.properties === undefined && typeof schema.additionalProperties === 'object') {
        result = z.record(z.string(), zodFromJsonSchema(schema.additionalProperties, false));
      } else if (topLevel) result = z.strictObject(shape);
      else result = z.looseObject(shape);
      break;
    }
    case 'array':
      result = z.array(zodFromJsonSchema(schema.items ?? {}, false));
      break;
    case 'string': {
      if (schema.enum) {
        result = z.enum(schema.enum as [string, ...string[]]);
        break;
      }
      let text = z.string();
      if (schema.minLength !== undefined) text = text.min(schema.minLength);
      if (schema.pattern !== undefined) text = text.regex(new RegExp(schema.pattern));
      result = text;
      break;
    }
    case 'integer': {
      let number = z.number().int();
      if (schema.minimum !== undefined) number = number.min(schema.minimum);
      result = number;
      break;
    }
    case 'number':
      result = z.number();
      break;
    case 'boolean':
      result = z.boolean();
      break;
    default:
      result = z.unknown();
  }
  return schema.description !== undefined ? result.describe(schema.description) : result;
}
