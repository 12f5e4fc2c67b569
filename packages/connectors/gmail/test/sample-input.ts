/** A small RFC 822 message, base64url as Gmail's `raw` fields take it. */
export const SAMPLE_RAW = Buffer.from(
  'From: me@example.com\r\nTo: ada@example.com\r\nSubject: Sample\r\n\r\nHello from the conformance test.\r\n',
).toString('base64url');

interface SchemaLike {
  type?: string;
  enum?: string[];
  pattern?: string;
  contentEncoding?: string;
  format?: string;
  properties?: Record<string, SchemaLike>;
  required?: string[];
  additionalProperties?: boolean | SchemaLike;
  items?: SchemaLike;
}

/**
 * A value for every property of a JSON Schema (or only the required ones), so that a request
 * built from it exercises every path, query and body field: the first enum value, digits for
 * int64 strings, a real message for base64url bytes.
 */
export function sampleInput(schema: SchemaLike, options: { requiredOnly?: boolean } = {}, name = 'value'): unknown {
  switch (schema.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      const required = new Set(schema.required ?? []);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (options.requiredOnly && !required.has(key)) continue;
        result[key] = sampleInput(property, { requiredOnly: false }, key);
      }
      if (schema.properties === undefined && typeof schema.additionalProperties === 'object')
        result['key'] = sampleInput(schema.additionalProperties, {}, 'key');
      return result;
    }
    case 'array':
      return [sampleInput(schema.items ?? {}, {}, name)];
    case 'string':
      if (schema.enum) return schema.enum[0];
      if (schema.contentEncoding === 'base64url') return SAMPLE_RAW;
      if (schema.pattern !== undefined) return '123456';
      if (schema.format === 'date-time') return '2024-01-01T00:00:00Z';
      return `sample-${name}`;
    case 'integer':
      return 7;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    default:
      return 'sample';
  }
}
