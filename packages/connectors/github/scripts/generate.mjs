#!/usr/bin/env node
// Writes src/generated/ from GitHub's OpenAPI description of api.github.com, as shipped by the
// @octokit/openapi package pinned in package.json: one action per operation.
//
// Usage: pnpm --filter @plugboard/github generate [--check]
//   --check  exits with 1 when the committed files differ from what would be written
//
// Output (deterministic: the same description always gives the same bytes):
//   src/generated/operations.json       every operation: name, request, tags, description, flags
//   src/generated/schemas/<tag>.json    the input JSON Schema of each operation, one file per tag
//   src/generated/collisions.json       the summaries several operations share, and the names they got
//   src/generated/operation-count.ts    how many operations there are, for listApps without reading the rest
//
// Naming: GITHUB_ + the operation's summary in SCREAMING_SNAKE ("Get a pull request" ->
// GITHUB_GET_A_PULL_REQUEST). When several operations share a summary, each of them gets the
// category of its operationId appended ("actions/list-org-secrets" -> _ACTIONS); when that still
// collides, the rest of the operationId is appended instead ("repos/compare-commits" -> _COMPARE_COMMITS).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const packageFolder = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputFolder = join(packageFolder, 'src', 'generated');
const SOURCE_FILE = '@octokit/openapi/generated/api.github.com.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const DOCS = 'https://docs.github.com';
// Nested schemas deeper than this are listed as "any JSON value"; GitHub's request bodies rarely go past 4.
const MAX_DEPTH = 8;

/** @param {string} text */
export const screamingSnake = (text) =>
  text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** Markdown and HTML to plain text: links become `text (URL)`, docs links absolute, tags and note markers dropped. */
export function plainText(markdown) {
  if (typeof markdown !== 'string') return '';
  return markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/^\s*>\s?\[!(NOTE|WARNING|TIP|IMPORTANT|CAUTION)\]\s*$/gim, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, text, url) => `${text} (${url.startsWith('/') ? DOCS + url : url})`)
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function pointer(root, ref) {
  let node = root;
  for (const raw of ref.slice(2).split('/')) node = node[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return node;
}

const resolve = (root, node) =>
  node && typeof node.$ref === 'string' ? resolve(root, pointer(root, node.$ref)) : node;

/** `allOf` parts merged into one object schema (GitHub uses allOf to extend an object). */
function mergeAllOf(root, schema) {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const merged = { ...rest };
  for (const part of allOf.map((item) => mergeAllOf(root, resolve(root, item)))) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties') merged.properties = { ...merged.properties, ...value };
      else if (key === 'required') merged.required = [...new Set([...(merged.required ?? []), ...value])];
      else if (!(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

function validPattern(pattern) {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/**
 * An OpenAPI 3.0 schema as a JSON Schema (2020-12) for agents and for the zod input: types with
 * `nullable` as a "null" type, enums, defaults, limits, formats; examples, titles and response-only
 * fields left out.
 */
function toJsonSchema(root, node, depth = 0, seen = []) {
  if (node === undefined || node === null) return {};
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref) || depth > MAX_DEPTH) return {};
    return toJsonSchema(root, pointer(root, node.$ref), depth, [...seen, node.$ref]);
  }
  const schema = mergeAllOf(root, node);
  const out = {};
  const description = plainText(schema.description);
  if (description) out.description = description;
  // oneOf/anyOf beside properties only says which fields go together; the properties are the input.
  const alternatives = schema.properties ? undefined : (schema.oneOf ?? schema.anyOf);
  if (Array.isArray(alternatives)) {
    const converted = alternatives.map((item) => toJsonSchema(root, item, depth + 1, seen));
    const unique = [...new Map(converted.map((item) => [JSON.stringify(item), item])).values()];
    if (unique.length === 1) Object.assign(out, unique[0], out.description ? { description: out.description } : {});
    else out.anyOf = unique;
    if (schema.nullable === true && out.anyOf) out.anyOf.push({ type: 'null' });
    return out;
  }
  if (depth > MAX_DEPTH) return out;
  let type = schema.type;
  if (type === undefined && schema.properties) type = 'object';
  if (type !== undefined) out.type = schema.nullable === true ? [type, 'null'] : type;
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((value) => value !== null);
    out.enum = schema.nullable === true || schema.enum.includes(null) ? [...values, null] : values;
  }
  if (schema.default !== undefined) out.default = schema.default;
  for (const key of ['format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']) {
    if (schema[key] !== undefined && typeof schema[key] !== 'boolean') out[key] = schema[key];
  }
  if (schema.format === 'binary') delete out.format;
  for (const key of [
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'uniqueItems',
    'minProperties',
    'maxProperties',
  ]) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  if (typeof schema.pattern === 'string' && validPattern(schema.pattern)) out.pattern = schema.pattern;
  if (type === 'array') out.items = toJsonSchema(root, schema.items, depth + 1, seen);
  if (type === 'object' || schema.properties) {
    const properties = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (resolve(root, property)?.readOnly === true) continue;
      properties[name] = toJsonSchema(root, property, depth + 1, seen);
    }
    if (schema.properties) out.properties = properties;
    const required = (schema.required ?? []).filter((name) => name in properties);
    if (required.length > 0) out.required = required;
    const additional = schema.additionalProperties;
    if (additional === true || (additional && typeof additional === 'object'))
      out.additionalProperties = additional === true ? true : toJsonSchema(root, additional, depth + 1, seen);
    else if (schema.properties) out.additionalProperties = false;
  }
  return out;
}

/** The object alternative a body is sent as: the schema itself, or the first object among its oneOf/anyOf. */
function objectBody(root, schema) {
  const merged = mergeAllOf(root, resolve(root, schema));
  if (merged.properties) return merged;
  for (const alternative of merged.oneOf ?? merged.anyOf ?? []) {
    const candidate = mergeAllOf(root, resolve(root, alternative));
    if (candidate.properties) return candidate;
  }
  return undefined;
}

function operationsOf(root) {
  const operations = [];
  for (const [path, item] of Object.entries(root.paths)) {
    for (const method of METHODS) if (item[method]) operations.push({ path, method, definition: item[method], item });
  }
  return operations;
}

/** Unique action names, with the collision groups that needed the tie-break. */
function nameOperations(operations) {
  const bySummary = new Map();
  for (const operation of operations) {
    const base = `GITHUB_${screamingSnake(operation.definition.summary)}`;
    if (!bySummary.has(base)) bySummary.set(base, []);
    bySummary.get(base).push(operation);
  }
  const names = new Map();
  const collisions = [];
  for (const [base, group] of bySummary) {
    if (group.length === 1) {
      names.set(group[0], base);
      continue;
    }
    const byCategory = new Map();
    for (const operation of group) {
      const category = screamingSnake(operation.definition.operationId.split('/')[0]);
      if (!byCategory.has(category)) byCategory.set(category, []);
      byCategory.get(category).push(operation);
    }
    for (const [category, members] of byCategory) {
      for (const operation of members) {
        const suffix =
          members.length === 1 ? category : screamingSnake(operation.definition.operationId.split('/')[1] ?? '');
        names.set(operation, `${base}_${suffix}`);
      }
    }
    collisions.push({
      summary: group[0].definition.summary,
      actions: group.map((operation) => ({
        name: names.get(operation),
        operation: `${operation.method.toUpperCase()} ${operation.path}`,
        operationId: operation.definition.operationId,
      })),
    });
  }
  const all = [...names.values()];
  if (new Set(all).size !== all.length) throw new Error('the naming rule left two operations with one name');
  return { names, collisions };
}

/** One operation as the runtime needs it, and its input JSON Schema. */
function describeOperation(root, operation, name) {
  const { definition, method, item } = operation;
  const parameters = [...(item.parameters ?? []), ...(definition.parameters ?? [])].map((parameter) =>
    resolve(root, parameter),
  );
  // Input keys are identifiers; GitHub's one path parameter with a hyphen (enterprise-team) gets "_".
  const inputKey = (parameterName) => parameterName.replace(/-/g, '_');
  let path = operation.path;
  const properties = {};
  const required = [];
  const query = [];
  for (const parameter of parameters) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    const key = inputKey(parameter.name);
    if (parameter.in === 'path') {
      path = path.replace(`{${parameter.name}}`, parameter['x-multi-segment'] === true ? `{+${key}}` : `{${key}}`);
    } else {
      query.push(key);
    }
    const schema = toJsonSchema(root, parameter.schema);
    const description = plainText(parameter.description);
    properties[key] = description ? { ...schema, description } : schema;
    if (parameter.required === true || parameter.in === 'path') required.push(key);
  }
  const entry = {
    name,
    method: method.toUpperCase(),
    path,
    tag: definition.tags?.[0] ?? 'other',
  };
  if (query.some((key) => key !== inputKey(key))) throw new Error(`${name}: a query parameter needs renaming`);
  const requestBody = resolve(root, definition.requestBody);
  const content = requestBody?.content ?? {};
  const mediaType = Object.keys(content)[0];
  if (mediaType !== undefined) {
    const bodyRequired = requestBody.required === true;
    const bodySchema = content[mediaType].schema;
    const object = mediaType === 'application/json' ? objectBody(root, bodySchema) : undefined;
    if (object) {
      const converted = toJsonSchema(root, object);
      const bodyKeys = [];
      const renamed = {};
      for (const [property, schema] of Object.entries(converted.properties ?? {})) {
        // A body field named like a path or query parameter (PATCH .../variables/{name} renames with "name").
        const key = property in properties ? `body_${property}` : property;
        if (key !== property) renamed[key] = property;
        properties[key] = schema;
        bodyKeys.push(key);
        if (bodyRequired && converted.required?.includes(property)) required.push(key);
      }
      entry.body = bodyKeys;
      if (Object.keys(renamed).length > 0) entry.renamed = renamed;
    } else {
      // Arrays, maps, text and bytes: the whole body is one input field.
      const schema = toJsonSchema(root, bodySchema);
      properties.body = {
        ...schema,
        description: [schema.description, `The request body (${mediaType}).`].filter(Boolean).join(' '),
      };
      if (bodyRequired) required.push('body');
      entry.wholeBody = mediaType;
    }
  }
  if (operation.definition.servers?.[0]?.url) entry.server = operation.definition.servers[0].url;
  if (definition.deprecated === true) entry.deprecated = true;
  if (query.includes('page')) entry.paginated = true;
  // The custom media types the description lists ("This endpoint supports the following custom media types").
  const mediaTypes = [
    ...new Set(
      [...String(definition.description ?? '').matchAll(/`(application\/vnd\.github[a-z0-9.+-]*)`/g)].map(
        (match) => match[1],
      ),
    ),
  ].filter((type) => type !== 'application/vnd.github+json');
  if (mediaTypes.length > 0 && /custom media types?/i.test(definition.description ?? '')) {
    entry.mediaTypes = mediaTypes;
    properties.media_type = {
      type: 'string',
      enum: mediaTypes,
      description:
        'The representation to ask for (sent as Accept). JSON types add fields; diff, patch, raw and sha answers come back as text.',
    };
  }
  if (query.length > 0) entry.query = query;
  const docs = definition.externalDocs?.url;
  // The summary as a sentence, so tools that show the first sentence (CLI tables, READMEs) stop there.
  const summary = definition.summary.trim();
  entry.description = [
    /[.!?]$/.test(summary) ? summary : `${summary}.`,
    plainText(definition.description)
      .replace(new RegExp(`^${definition.summary.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.?\\s*`), '')
      .trim(),
    docs ? `Docs: ${docs}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const inputJsonSchema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) inputJsonSchema.required = [...new Set(required)];
  return { entry, inputJsonSchema };
}

const json = (value) => `${JSON.stringify(value, null, 0)}\n`;

/** Every file of src/generated/, by path relative to it. */
export function generate() {
  const sourcePath = require.resolve(SOURCE_FILE);
  const sourcePackage = JSON.parse(readFileSync(require.resolve('@octokit/openapi/package.json'), 'utf8'));
  const root = JSON.parse(readFileSync(sourcePath, 'utf8'));
  const operations = operationsOf(root);
  const { names, collisions } = nameOperations(operations);
  const header = `Generated by scripts/generate.mjs from ${SOURCE_FILE} ${sourcePackage.version} (MIT, https://github.com/github/rest-api-description). DO NOT EDIT: run \`pnpm --filter @plugboard/github generate\`.`;
  const entries = [];
  const schemasByTag = new Map();
  for (const operation of operations) {
    const { entry, inputJsonSchema } = describeOperation(root, operation, names.get(operation));
    entries.push(entry);
    if (!schemasByTag.has(entry.tag)) schemasByTag.set(entry.tag, {});
    schemasByTag.get(entry.tag)[entry.name] = inputJsonSchema;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  const files = new Map();
  files.set(
    'operations.json',
    json({
      '//': header,
      source: { package: '@octokit/openapi', version: sourcePackage.version },
      operations: entries,
    }),
  );
  for (const tag of [...schemasByTag.keys()].sort()) {
    const schemas = schemasByTag.get(tag);
    const sorted = Object.fromEntries(
      Object.keys(schemas)
        .sort()
        .map((key) => [key, schemas[key]]),
    );
    files.set(`schemas/${tag}.json`, json({ '//': header, schemas: sorted }));
  }
  files.set('collisions.json', `${JSON.stringify({ '//': header, collisions }, null, 2)}\n`);
  files.set(
    'operation-count.ts',
    [
      `// ${header}`,
      '',
      '/** The operations in operations.json, one generated action each: counted without reading that file. */',
      `export const GENERATED_OPERATION_COUNT = ${entries.length};`,
      '',
    ].join('\n'),
  );
  const digest = createHash('sha256');
  for (const [path, content] of files) digest.update(path).update(content);
  return { files, digest: digest.digest('hex'), operationCount: entries.length };
}

function listFiles(folder, prefix = '') {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** The paths under src/generated/ whose content differs from a fresh generation (extra files included). */
export function staleFiles(files = generate().files) {
  const stale = [];
  for (const [path, content] of files) {
    const target = join(outputFolder, path);
    if (!existsSync(target) || readFileSync(target, 'utf8') !== content) stale.push(path);
  }
  for (const path of listFiles(outputFolder)) if (!files.has(path)) stale.push(path);
  return stale.sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files, operationCount } = generate();
  if (process.argv.includes('--check')) {
    const stale = staleFiles(files);
    if (stale.length > 0) {
      process.stderr.write(
        `src/generated/ is stale (${stale.join(', ')}): run pnpm --filter @plugboard/github generate\n`,
      );
      process.exit(1);
    }
    process.stdout.write('src/generated/ is up to date.\n');
  } else {
    rmSync(outputFolder, { recursive: true, force: true });
    for (const [path, content] of files) {
      mkdirSync(dirname(join(outputFolder, path)), { recursive: true });
      writeFileSync(join(outputFolder, path), content);
    }
    process.stdout.write(`Wrote ${files.size} files for ${operationCount} operations to src/generated/.\n`);
  }
}
