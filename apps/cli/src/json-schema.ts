/** The parts of an action's input JSON Schema the CLI reads. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  format?: string;
}

export interface Parameter {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  schema: JsonSchema;
}

/** The top-level parameters of an action's input schema, in declaration order. */
export function parametersOf(schema: JsonSchema): Parameter[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeName(property),
    required: required.has(name),
    ...(property.default !== undefined ? { default: property.default } : {}),
    ...(property.description !== undefined ? { description: property.description } : {}),
    schema: property,
  }));
}

/** A short type for people: `string`, `integer`, `"a" | "b"`, `string[]`, `object`. */
export function typeName(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map(typeName))].join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.filter((item) => item !== 'null').join(' | ') : schema.type;
  if (type === 'array') return `${schema.items ? typeName(schema.items) : 'any'}[]`;
  if (type === 'string' && schema.format) return `string (${schema.format})`;
  return type ?? 'any';
}

/** The JSON types a schema accepts, flattening unions. */
export function jsonTypes(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const union = schema.anyOf ?? schema.oneOf;
  if (union) for (const member of union) for (const type of jsonTypes(member)) types.add(type);
  if (Array.isArray(schema.type)) for (const type of schema.type) types.add(type);
  else if (schema.type) types.add(schema.type);
  if (schema.enum)
    for (const value of schema.enum)
      types.add(typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string');
  return types;
}
