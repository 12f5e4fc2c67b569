#!/usr/bin/env node
// Writes src/generated/ from Shopify's own Admin API schema: the introspection JSON that
// @shopify/dev-mcp ships per API version (dist/data/admin_<version>.json.gz). One entry per query
// and mutation: its arguments, the input objects and enums they reach, a default selection set, the
// access scopes Shopify lists for it and its deprecation. The schema itself is read with graphql-js
// here and in the tests only; the package ships this compact catalogue, never the schema.
//
//   pnpm --filter @plugboard/shopify generate          rewrite src/generated/
//   node scripts/generate.mjs --check                  exit 1 when src/generated/ is stale
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  buildClientSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from 'graphql';

/** The Admin API versions the generated catalogue is built for: the newest stable release first. */
export const API_VERSIONS = ['2026-10'];

const packageFolder = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package's exports map hides package.json and dist/data, so it is found by its folder.
const devMcpFolder = join(packageFolder, 'node_modules', '@shopify', 'dev-mcp');
const devMcpVersion = JSON.parse(readFileSync(join(devMcpFolder, 'package.json'), 'utf8')).version;

/** The introspection JSON of one Admin API version, as @shopify/dev-mcp ships it. */
export function readIntrospection(version) {
  const path = join(devMcpFolder, 'dist', 'data', `admin_${version}.json.gz`);
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
}

/** The graphql-js schema of one Admin API version (for generation and the tests' validation). */
export function loadSchema(version) {
  return buildClientSchema(readIntrospection(version).data);
}

// Markdown links become their text: agents read the descriptions, links are noise there.
// Code blocks, and tables (the search syntax of `query` arguments) with what follows, do not survive
// flattening into one line: dropped.
function plain(text) {
  return (text ?? '')
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/\n\s*\|/)[0]
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first sentences of a description, up to `limit` characters, cut at a sentence end. */
function summary(text, limit) {
  const flat = plain(text);
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\u00a0'));
  return end > limit / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, limit - 1).trimEnd()}…`;
}

// `read_products` from "`read_products` access scope, `read_orders` access scope or ... Also: ...":
// the scopes before "Also:" are alternatives, any one of which allows the field.
function scopesOf(requiredAccess) {
  if (!requiredAccess) return [];
  const alternatives = requiredAccess.split(/Also:/)[0];
  return [...alternatives.matchAll(/`([a-z][a-z0-9_]*)` access scope/g)].map((match) => match[1]);
}

const CONNECTION = /Connection$/;

function isConnection(type) {
  return (
    isObjectType(type) && CONNECTION.test(type.name) && 'nodes' in type.getFields() && 'pageInfo' in type.getFields()
  );
}

/** The leaf fields of a type that need no arguments and no access beyond the type's own. */
function leafFields(type, access) {
  if (!isObjectType(type) && !isInterfaceType(type)) return [];
  return Object.values(type.getFields())
    .filter(
      (field) =>
        isLeafType(getNamedType(field.type)) &&
        !field.deprecationReason &&
        field.args.every((argument) => !isNonNullType(argument.type)) &&
        !access.get(`${type.name}.${field.name}`),
    )
    .map((field) => field.name);
}

/** `{ id title }` for an object, `{ __typename }` when it has no plain leaf field (unions). */
function leafSelection(type, access) {
  const fields = leafFields(type, access);
  return `{ ${fields.length > 0 ? fields.join(' ') : '__typename'} }`;
}

function objectSelection(type, access) {
  if (isConnection(type)) {
    const node = getNamedType(type.getFields().nodes.type);
    const nodes = isLeafType(node) ? 'nodes' : `nodes ${leafSelection(node, access)}`;
    return `{ ${nodes} pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;
  }
  return leafSelection(type, access);
}

/**
 * The default selection of a query (its return type's leaf fields; `nodes` and `pageInfo` of a
 * connection) or of a mutation (the payload's leaf fields, its objects' leaf fields, `userErrors`).
 */
function defaultSelection(field, kind, access) {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return '';
  if (kind === 'query' || !isObjectType(type)) return objectSelection(type, access);
  const parts = [];
  for (const payloadField of Object.values(type.getFields())) {
    if (payloadField.deprecationReason || payloadField.args.some((argument) => isNonNullType(argument.type))) continue;
    const named = getNamedType(payloadField.type);
    // Some payloads offer the whole shop besides the result: noise in a default selection.
    if (named.name === 'Shop') continue;
    if (payloadField.name === 'userErrors' || payloadField.name === 'mediaUserErrors') {
      if (payloadField.name === 'mediaUserErrors') continue;
      const errorFields = named.getFields();
      parts.push(`userErrors { field message${'code' in errorFields ? ' code' : ''} }`);
    } else if (isLeafType(named)) {
      parts.push(payloadField.name);
    } else if (isObjectType(named) || isInterfaceType(named) || isUnionType(named)) {
      parts.push(`${payloadField.name} ${objectSelection(named, access)}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

/** `productCreate` -> `PRODUCT_CREATE`, `shopifyPaymentsAccount` -> `SHOPIFY_PAYMENTS_ACCOUNT`. */
export function screamingSnake(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

function typeReference(type) {
  if (isNonNullType(type)) return `${typeReference(type.ofType)}!`;
  if (isListType(type)) return `[${typeReference(type.ofType)}]`;
  return type.name;
}

/** `[name, type, description]`, and a fourth `1` when a default value makes a non-null one optional. */
function argumentEntry(argument) {
  const entry = [argument.name, typeReference(argument.type), summary(argument.description, 240)];
  if (argument.defaultValue !== undefined) entry.push(1);
  return entry;
}

/** The compact catalogue of one API version: what src/generated/ holds, as plain data. */
export function catalogue(version) {
  const introspection = readIntrospection(version);
  const schema = buildClientSchema(introspection.data);
  // Field-level access ("`read_orders` access scope"), from the same file's offline_scopes block
  // and the introspection's requiredAccess.
  const access = new Map();
  const typeAccess = new Map();
  for (const item of introspection.offline_scopes?.items ?? []) {
    if (item.type === 'type') typeAccess.set(item.typeName, item.requiredAccess ?? '');
    else access.set(`${item.typeName}.${item.fieldName}`, item.requiredAccess ?? '');
  }
  const operations = [];
  const inputs = {};
  const enums = {};
  const scalars = {};
  const names = new Map();

  const visitType = (type) => {
    const named = getNamedType(type);
    if (isScalarType(named)) {
      scalars[named.name] ??= plain(named.description);
    } else if (isEnumType(named)) {
      enums[named.name] ??= [
        summary(named.description, 300),
        named
          .getValues()
          .filter((value) => !value.deprecationReason)
          .map((value) => value.name),
      ];
    } else if (isInputObjectType(named) && !(named.name in inputs)) {
      const fields = [];
      inputs[named.name] = [summary(named.description, 300), fields, named.isOneOf === true ? 1 : 0];
      for (const field of Object.values(named.getFields())) {
        if (field.deprecationReason && !isNonNullType(field.type)) continue;
        fields.push(argumentEntry(field));
        visitType(field.type);
      }
    }
  };

  const roots = [
    ['query', schema.getQueryType(), 'QueryRoot'],
    ['mutation', schema.getMutationType(), 'Mutation'],
  ];
  for (const [kind, root, rootName] of roots) {
    for (const field of Object.values(root.getFields())) {
      const name = `SHOPIFY_${screamingSnake(field.name)}`;
      if (names.has(name)) throw new Error(`${name} names both ${names.get(name)} and ${field.name}`);
      names.set(name, field.name);
      if (field.args.some((argument) => argument.name === 'selection'))
        throw new Error(`${field.name} has an argument named selection, which the generated input uses`);
      let scopes = scopesOf(access.get(`${rootName}.${field.name}`));
      if (scopes.length === 0) {
        // A query without its own requirement needs what its type (or a connection's node) needs.
        let type = getNamedType(field.type);
        if (isConnection(type)) type = getNamedType(type.getFields().nodes.type);
        scopes = scopesOf(typeAccess.get(type.name));
      }
      for (const argument of field.args) visitType(argument.type);
      operations.push([
        field.name,
        kind === 'query' ? 0 : 1,
        summary(field.description, 700),
        field.args.filter((argument) => !argument.deprecationReason || isNonNullType(argument.type)).map(argumentEntry),
        defaultSelection(field, kind, access),
        [...new Set(scopes)],
        field.deprecationReason ? plain(field.deprecationReason) : 0,
      ]);
    }
  }
  const sortedObject = (object) =>
    Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((key) => [key, object[key]]),
    );
  return {
    version,
    operations,
    inputs: sortedObject(inputs),
    enums: sortedObject(enums),
    scalars: sortedObject(scalars),
  };
}

function moduleName(version) {
  return `admin-${version}`;
}

/** The files of src/generated/, by name. */
export function generatedFiles() {
  const files = {};
  const header = (version) =>
    [
      '// DO NOT EDIT. Written by scripts/generate.mjs (`pnpm --filter @plugboard/shopify generate`) from',
      `// Shopify's GraphQL Admin API schema, version ${version}, as @shopify/dev-mcp ${devMcpVersion} ships it`,
      `// (dist/data/admin_${version}.json.gz; schema data (c) Shopify, see https://shopify.dev/docs/api/admin-graphql).`,
      '',
    ].join('\n');
  const operationCounts = {};
  for (const version of API_VERSIONS) {
    const data = catalogue(version);
    operationCounts[version] = data.operations.length;
    // The queries and mutations of one Admin API version: arguments, input objects, enums, scalars,
    // default selections, scopes and deprecations. A JSON file read on first use (src/generated-data.ts),
    // so that importing the connector neither reads nor scans it.
    const note = header(version)
      .split('\n')
      .map((line) => line.replace(/^\/\/ ?/, ''))
      .join(' ')
      .trim();
    files[`${moduleName(version)}.json`] = `${JSON.stringify({ '//': note, ...data })}\n`;
  }
  files['index.ts'] = [
    header(API_VERSIONS[0]),
    '/** The Admin API versions the generated actions were built from, newest first. */',
    `export const GENERATED_API_VERSIONS = ${JSON.stringify(API_VERSIONS).replace(/"/g, "'").replace(/,/g, ', ')} as const;`,
    '',
    '/** The catalogue file of each generated version, in this folder. */',
    'export const ADMIN_CATALOGUE_FILES: Readonly<Record<(typeof GENERATED_API_VERSIONS)[number], string>> = {',
    ...API_VERSIONS.map((version) => `  '${version}': '${moduleName(version)}.json',`),
    '};',
    '',
    '/** How many queries and mutations each catalogue holds: listApps counts them without reading the file. */',
    'export const ADMIN_OPERATION_COUNTS: Readonly<Record<(typeof GENERATED_API_VERSIONS)[number], number>> = {',
    ...API_VERSIONS.map((version) => `  '${version}': ${operationCounts[version]},`),
    '};',
    '',
  ].join('\n');
  return files;
}

function main(argv) {
  const folder = join(packageFolder, 'src', 'generated');
  const files = generatedFiles();
  if (argv.includes('--check')) {
    const stale = Object.entries(files).filter(
      ([name, content]) => !existsSync(join(folder, name)) || readFileSync(join(folder, name), 'utf8') !== content,
    );
    for (const [name] of stale) process.stderr.write(`src/generated/${name} is stale: run pnpm generate.\n`);
    return stale.length === 0 ? 0 : 1;
  }
  mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  process.stdout.write(`Wrote ${Object.keys(files).length} files to src/generated/.\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = main(process.argv.slice(2));
