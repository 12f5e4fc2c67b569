import { PlugboardError } from '@plugboard/core';
import { ADMIN_CATALOGUE_FILES, GENERATED_API_VERSIONS } from '../generated/index.js';
import { readGeneratedJson } from '../generated-data.js';

/** An argument or input field: `[name, GraphQL type, description, 1 when a default makes it optional]`. */
export type ArgumentEntry = readonly [name: string, type: string, description: string, hasDefault?: 1];

/**
 * One query or mutation of the Admin API: `[field, 0 query | 1 mutation, description, arguments,
 * default selection set, access scopes (any one suffices), deprecation reason or 0]`.
 */
export type OperationEntry = readonly [
  field: string,
  kind: 0 | 1,
  description: string,
  args: readonly ArgumentEntry[],
  selection: string,
  scopes: readonly string[],
  deprecated: string | 0,
];

/** The compact catalogue scripts/generate.mjs writes for one API version. */
export interface AdminCatalogue {
  version: string;
  operations: readonly OperationEntry[];
  /** Input objects: `[description, fields, 1 when exactly one field must be given (@oneOf)]`. */
  inputs: Readonly<Record<string, readonly [description: string, fields: readonly ArgumentEntry[], oneOf: 0 | 1]>>;
  enums: Readonly<Record<string, readonly [description: string, values: readonly string[]]>>;
  scalars: Readonly<Record<string, string>>;
}

/** An Admin API version the generated actions were built from. */
export type GeneratedApiVersion = (typeof GENERATED_API_VERSIONS)[number];

const parsed = new Map<string, AdminCatalogue>();

/** Whether a version's catalogue has been parsed in this process (the tests check laziness with it). */
export function isCatalogueParsed(version: string): boolean {
  return parsed.has(version);
}

/** The catalogue of one generated version, parsed on the first call and kept. */
export function adminCatalogue(version: string): AdminCatalogue {
  let catalogue = parsed.get(version);
  if (!catalogue) {
    const file = (ADMIN_CATALOGUE_FILES as Record<string, string | undefined>)[version];
    if (file === undefined) {
      throw new PlugboardError(
        'INVALID_DEFINITION',
        `No generated Shopify catalogue for API version ${version}; built for ${GENERATED_API_VERSIONS.join(', ')}.`,
      );
    }
    catalogue = readGeneratedJson(file) as AdminCatalogue;
    parsed.set(version, catalogue);
  }
  return catalogue;
}

/** `[ProductInput!]!` -> `{ name: 'ProductInput', list: [true], nonNull: true }`, one wrapper at a time. */
export type TypeReference =
  | { kind: 'named'; name: string; nonNull: boolean }
  | { kind: 'list'; of: TypeReference; nonNull: boolean };

export function parseTypeReference(text: string): TypeReference {
  const nonNull = text.endsWith('!');
  const inner = nonNull ? text.slice(0, -1) : text;
  if (inner.startsWith('[') && inner.endsWith(']'))
    return { kind: 'list', of: parseTypeReference(inner.slice(1, -1)), nonNull };
  return { kind: 'named', name: inner, nonNull };
}

/** Whether the caller must give this argument or field. */
export function isRequired(entry: ArgumentEntry): boolean {
  return entry[1].endsWith('!') && entry[3] !== 1;
}
