/** A JSON Schema object (draft 2020-12). */
type JsonSchemaObject = Record<string, unknown>;
import { z } from 'zod';
import {
  isRequired,
  parseTypeReference,
  type AdminCatalogue,
  type ArgumentEntry,
  type TypeReference,
} from './catalogue.js';

/**
 * How Shopify's scalars are taken as input. The descriptions come from the schema; the formats and
 * patterns say the same in JSON Schema, so an agent sees them. Scalars not listed here accept any
 * JSON value and Shopify checks them.
 * @see https://shopify.dev/docs/api/admin-graphql/latest/scalars
 */
const SCALARS: Readonly<Record<string, { json: JsonSchemaObject; zod: () => z.ZodType }>> = {
  String: { json: { type: 'string' }, zod: () => z.string() },
  Boolean: { json: { type: 'boolean' }, zod: () => z.boolean() },
  Int: {
    json: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    zod: () => z.number().int().min(-2147483648).max(2147483647),
  },
  Float: { json: { type: 'number' }, zod: () => z.number() },
  // Shopify takes an ID as a string or an integer; its own ids are `gid://shopify/Product/123`.
  ID: {
    json: { type: ['string', 'integer'], examples: ['gid://shopify/Product/10079785100'] },
    zod: () => z.union([z.string().min(1), z.number().int()]),
  },
  DateTime: {
    json: { type: 'string', format: 'date-time', examples: ['2019-09-07T15:50:00Z'] },
    zod: () => z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/),
  },
  Date: {
    json: { type: 'string', format: 'date', examples: ['2019-07-16'] },
    zod: () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  },
  Decimal: {
    json: { type: ['string', 'number'], pattern: '^-?\\d+(\\.\\d+)?$', examples: ['29.99'] },
    zod: () => z.union([z.string().regex(/^-?\d+(?:\.\d+)?$/), z.number()]),
  },
  Money: {
    json: { type: ['string', 'number'], pattern: '^-?\\d+(\\.\\d+)?$', examples: ['100.57'] },
    zod: () => z.union([z.string().regex(/^-?\d+(?:\.\d+)?$/), z.number()]),
  },
  UnsignedInt64: {
    json: { type: ['string', 'integer'], pattern: '^\\d+$', minimum: 0, examples: ['50'] },
    zod: () => z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
  },
  BigInt: {
    json: { type: ['string', 'integer'], pattern: '^-?\\d+$' },
    zod: () => z.union([z.string().regex(/^-?\d+$/), z.number().int()]),
  },
  URL: { json: { type: 'string', format: 'uri' }, zod: () => z.string().min(1) },
  HTML: { json: { type: 'string' }, zod: () => z.string() },
  FormattedString: { json: { type: 'string' }, zod: () => z.string() },
  Color: { json: { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' }, zod: () => z.string() },
  UtcOffset: { json: { type: 'string', pattern: '^[+-]\\d{2}:\\d{2}$' }, zod: () => z.string() },
  ARN: { json: { type: 'string' }, zod: () => z.string() },
  StorefrontID: { json: { type: 'string' }, zod: () => z.string() },
  JSON: { json: {}, zod: () => z.unknown() },
};

/** The description of the `selection` input every generated action has. */
export const SELECTION_DESCRIPTION =
  'The fields to return, as a GraphQL selection set, like "{ id title variants(first: 5) { nodes { id price } } }". Replaces the default selection (the scalar fields of the result; nodes and pageInfo of a connection; the payload and userErrors of a mutation).';

/** The JSON Schema of an action's input: its arguments, `selection`, and `$defs` for every input object and enum reached. */
export function argumentsJsonSchema(catalogue: AdminCatalogue, args: readonly ArgumentEntry[]): JsonSchemaObject {
  const definitions: Record<string, JsonSchemaObject> = {};
  const pending: string[] = [];
  const typeSchema = (reference: TypeReference): JsonSchemaObject => {
    if (reference.kind === 'list') return { type: 'array', items: typeSchema(reference.of) };
    const name = reference.name;
    if (name in catalogue.inputs || name in catalogue.enums) {
      if (!(name in definitions)) {
        definitions[name] = {};
        pending.push(name);
      }
      return { $ref: `#/$defs/${name}` };
    }
    const scalar = SCALARS[name]?.json ?? {};
    return { ...scalar, description: catalogue.scalars[name] ?? `Shopify's ${name} scalar.` };
  };
  const objectSchema = (fields: readonly ArgumentEntry[]): JsonSchemaObject => {
    const properties: Record<string, JsonSchemaObject> = {};
    for (const entry of fields) {
      const schema = typeSchema(parseTypeReference(entry[1]));
      const description = entry[2] || `${entry[0]} (${entry[1]}).`;
      properties[entry[0]] =
        '$ref' in schema
          ? { allOf: [schema], description }
          : { ...schema, description: `${description} ${schema['description'] ?? ''}`.trim() };
    }
    const required = fields.filter(isRequired).map(([name]) => name);
    return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
  };
  const root = objectSchema(args);
  (root['properties'] as Record<string, JsonSchemaObject>)['selection'] = {
    type: 'string',
    description: SELECTION_DESCRIPTION,
  };
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    const input = catalogue.inputs[name];
    if (input) {
      definitions[name] = {
        ...objectSchema(input[1]),
        description: input[2] === 1 ? `${input[0]} Give exactly one of its fields.` : input[0],
        ...(input[2] === 1 ? { minProperties: 1, maxProperties: 1 } : {}),
      };
    } else {
      const [description, values] = catalogue.enums[name] as readonly [string, readonly string[]];
      definitions[name] = { type: 'string', enum: [...values], description };
    }
  }
  return Object.keys(definitions).length > 0 ? { ...root, $defs: definitions } : root;
}

/** The zod schema that checks the same input before anything is sent. */
export function argumentsZodSchema(catalogue: AdminCatalogue, args: readonly ArgumentEntry[]): z.ZodType {
  const built = new Map<string, z.ZodType>();
  const namedSchema = (name: string): z.ZodType => {
    let schema = built.get(name);
    if (schema) return schema;
    const input = catalogue.inputs[name];
    const enumeration = catalogue.enums[name];
    if (input) {
      // Input objects refer to each other (and to themselves): built on first use.
      schema = z.lazy(() => {
        const object = objectSchema(input[1]);
        return input[2] === 1
          ? object.refine((value) => Object.values(value).filter((entry) => entry !== undefined).length === 1, {
              message: `give exactly one field of ${name}`,
            })
          : object;
      });
    } else if (enumeration) {
      schema = z.enum(enumeration[1] as [string, ...string[]]);
    } else {
      schema = SCALARS[name]?.zod() ?? z.unknown();
    }
    built.set(name, schema);
    return schema;
  };
  const typeSchema = (reference: TypeReference): z.ZodType =>
    reference.kind === 'list' ? z.array(typeSchema(reference.of)) : namedSchema(reference.name);
  const objectSchema = (fields: readonly ArgumentEntry[]) =>
    z.strictObject(
      Object.fromEntries(
        fields.map((entry) => {
          const schema = typeSchema(parseTypeReference(entry[1]));
          return [entry[0], isRequired(entry) ? schema : schema.optional()];
        }),
      ),
    );
  return objectSchema(args).extend({ selection: z.string().min(1).optional().describe(SELECTION_DESCRIPTION) });
}
