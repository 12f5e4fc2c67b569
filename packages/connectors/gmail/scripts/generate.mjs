#!/usr/bin/env node
// Writes src/generated/gmail-methods.ts from vendor/gmail-v1.json, Google's Gmail v1 discovery
// document: one record per method (all of them) with its action name, HTTP method, path, where each
// input goes, scopes and the input's JSON Schema with every $ref resolved. Deterministic: the same
// document gives the same bytes. `pnpm generate` runs it; src/generated/generated.test.ts fails
// when the committed file differs from what this writes.
//
// Action names: GMAIL_ + the method's verb + its resource's noun, singular except for `list` and
// the batch methods (`settings.filters.list` -> GMAIL_LIST_FILTERS, `messages.attachments.get` ->
// GMAIL_GET_ATTACHMENT, `settings.updateVacation` -> GMAIL_UPDATE_VACATION_SETTINGS). The nouns
// come from RESOURCE_NOUNS below, so a name never changes when Google reorders its document, and
// a resource Google adds fails generation until it is given a noun here.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);
const discovery = JSON.parse(readFileSync(new URL('vendor/gmail-v1.json', root), 'utf8'));

/** [singular, plural] noun of each resource path under `users`. */
const RESOURCE_NOUNS = {
  drafts: ['DRAFT', 'DRAFTS'],
  history: ['HISTORY', 'HISTORY'],
  labels: ['LABEL', 'LABELS'],
  messages: ['MESSAGE', 'MESSAGES'],
  'messages.attachments': ['ATTACHMENT', 'ATTACHMENTS'],
  threads: ['THREAD', 'THREADS'],
  'settings.cse.identities': ['CSE_IDENTITY', 'CSE_IDENTITIES'],
  'settings.cse.keypairs': ['CSE_KEY_PAIR', 'CSE_KEY_PAIRS'],
  'settings.delegates': ['DELEGATE', 'DELEGATES'],
  'settings.filters': ['FILTER', 'FILTERS'],
  'settings.forwardingAddresses': ['FORWARDING_ADDRESS', 'FORWARDING_ADDRESSES'],
  'settings.sendAs': ['SEND_AS_ALIAS', 'SEND_AS_ALIASES'],
  'settings.sendAs.smimeInfo': ['SMIME_INFO', 'SMIME_INFOS'],
};

/** Methods on `users` itself, whose name is not verb + resource. */
const USER_METHOD_NAMES = {
  getProfile: 'GMAIL_GET_PROFILE',
  watch: 'GMAIL_WATCH_MAILBOX',
  stop: 'GMAIL_STOP_MAILBOX_WATCH',
};

const snake = (camel) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

function actionName(resourcePath, methodName) {
  if (resourcePath === '') {
    const name = USER_METHOD_NAMES[methodName];
    if (!name) throw new Error(`No action name for users.${methodName}: add it to USER_METHOD_NAMES.`);
    return name;
  }
  if (resourcePath === 'settings') {
    // settings.getVacation -> GMAIL_GET_VACATION_SETTINGS
    const match = /^(get|update)([A-Z]\w*)$/.exec(methodName);
    if (!match) throw new Error(`No action name for users.settings.${methodName}.`);
    return `GMAIL_${snake(match[1])}_${snake(match[2])}_SETTINGS`;
  }
  const nouns = RESOURCE_NOUNS[resourcePath];
  if (!nouns) throw new Error(`No noun for the resource users.${resourcePath}: add it to RESOURCE_NOUNS.`);
  const plural = methodName === 'list' || methodName.startsWith('batch');
  return `GMAIL_${snake(methodName)}_${plural ? nouns[1] : nouns[0]}`;
}

/** The JSON Schema of one discovery schema, $refs inlined; a schema met again inside itself stays an open object. */
function jsonSchema(schema, seen = []) {
  if (schema.$ref !== undefined) {
    const target = discovery.schemas[schema.$ref];
    if (!target) throw new Error(`Unknown $ref ${schema.$ref}`);
    if (seen.includes(schema.$ref)) {
      return withDescription(
        { type: 'object', additionalProperties: true },
        `${schema.description ?? target.description ?? ''} (A ${schema.$ref}, nested: see its outer schema.)`.trim(),
      );
    }
    const resolved = jsonSchema(target, [...seen, schema.$ref]);
    return schema.description !== undefined ? withDescription(resolved, schema.description) : resolved;
  }
  let result;
  if (schema.type === 'object') {
    result = { type: 'object' };
    if (schema.properties) {
      result.properties = {};
      for (const name of Object.keys(schema.properties).sort())
        result.properties[name] = jsonSchema(schema.properties[name], seen);
    }
    if (schema.additionalProperties) result.additionalProperties = jsonSchema(schema.additionalProperties, seen);
  } else if (schema.type === 'array') {
    result = { type: 'array', items: jsonSchema(schema.items, seen) };
  } else if (schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean') {
    result = { type: schema.type };
  } else if (schema.type === 'string') {
    result = { type: 'string' };
    if (schema.enum) result.enum = [...schema.enum];
    // int64 values travel as JSON strings; bytes as base64url.
    if (schema.format === 'byte') result.contentEncoding = 'base64url';
    if (schema.format === 'int64' || schema.format === 'uint64') result.pattern = '^-?[0-9]+$';
    if (schema.format === 'google-datetime') result.format = 'date-time';
  } else if (schema.type === 'any' || schema.type === undefined) {
    result = {};
  } else {
    throw new Error(`Unsupported schema type ${schema.type}`);
  }
  if (schema.readOnly) result.readOnly = true;
  return schema.description !== undefined ? withDescription(result, schema.description) : result;
}

function withDescription(schema, description) {
  return description === '' ? schema : { description, ...schema };
}

/** A query or path parameter as JSON Schema; `userId` defaults to `me`. */
function parameterSchema(name, parameter) {
  let schema = { type: parameter.type === 'integer' ? 'integer' : parameter.type };
  if (parameter.enum) schema.enum = [...parameter.enum];
  if (parameter.format === 'uint64' || parameter.format === 'int64') schema.pattern = '^[0-9]+$';
  if (parameter.format === 'uint32') schema.minimum = 0;
  // An empty path segment would name another endpoint (`/users/me/labels/` lists labels).
  if (parameter.location === 'path') schema.minLength = 1;
  if (parameter.repeated) schema = { type: 'array', items: schema };
  let description = parameter.description ?? '';
  if (parameter.default !== undefined && name !== 'userId') {
    const value = parameter.type === 'integer' ? Number(parameter.default) : parameter.default;
    description += `${description === '' ? '' : ' '}Gmail's default: ${JSON.stringify(value)}.`;
  }
  if (name === 'userId') {
    description = "The mailbox: the user's email address, or `me` (the default) for the authenticated user.";
    schema.default = 'me';
  }
  return withDescription(schema, description);
}

/** readOnly/destructive/idempotent from the HTTP method, and from names that delete for good. */
function effectsOf(httpMethod, methodName) {
  if (httpMethod === 'GET') return { readOnly: true, idempotent: true };
  if (httpMethod === 'DELETE') return { readOnly: false, destructive: true, idempotent: true };
  if (httpMethod === 'PUT') return { readOnly: false, destructive: true, idempotent: true };
  const deletes = /^(batchDelete|obliterate)$/.test(methodName);
  return { readOnly: false, destructive: deletes, idempotent: false };
}

const records = [];
function walk(resource, resourcePath) {
  for (const methodName of Object.keys(resource.methods ?? {}).sort()) {
    const method = resource.methods[methodName];
    const parameters = method.parameters ?? {};
    const names = Object.keys(parameters);
    const pathParameters = (method.parameterOrder ?? []).filter((name) => parameters[name]?.location === 'path');
    const queryParameters = names.filter((name) => parameters[name].location === 'query').sort();
    const properties = {};
    const required = [];
    for (const name of [...pathParameters, ...queryParameters]) {
      properties[name] = parameterSchema(name, parameters[name]);
      // Some parameters say "Required." only in their description (history.list's startHistoryId).
      const isRequired = parameters[name].required || /^Required\./.test(parameters[name].description ?? '');
      if (isRequired && name !== 'userId') required.push(name);
    }
    let bodyFields;
    if (method.request) {
      const body = jsonSchema({ $ref: method.request.$ref });
      bodyFields = Object.keys(body.properties ?? {}).sort();
      for (const field of bodyFields) {
        if (queryParameters.includes(field))
          throw new Error(`${method.id}: body field ${field} is also a query parameter.`);
        // A body field named like a path parameter (a label's `id`) takes the path parameter's value.
        if (!pathParameters.includes(field)) properties[field] = body.properties[field];
      }
    }
    const path = method.path.replace(/^gmail\/v1/, '');
    const record = {
      name: actionName(resourcePath, methodName),
      id: method.id,
      httpMethod: method.httpMethod,
      path,
      pathParameters,
      queryParameters,
      ...(bodyFields ? { bodyFields } : {}),
      description: method.description ?? `${method.id}.`,
      effects: effectsOf(method.httpMethod, methodName),
      scopes: [...(method.scopes ?? [])],
      ...(method.supportsMediaUpload
        ? {
            mediaUpload: {
              path: method.mediaUpload.protocols.simple.path.replace(/^\/upload\/gmail\/v1/, ''),
              maxSize: Number(method.mediaUpload.maxSize),
              accept: [...method.mediaUpload.accept],
            },
          }
        : {}),
      inputJsonSchema: {
        type: 'object',
        properties,
        ...(required.length > 0 ? { required } : {}),
        additionalProperties: false,
      },
    };
    records.push(record);
  }
  for (const name of Object.keys(resource.resources ?? {}).sort())
    walk(resource.resources[name], resourcePath === '' ? name : `${resourcePath}.${name}`);
}
walk(discovery.resources.users, '');
records.sort((a, b) => a.id.localeCompare(b.id));

const seen = new Set();
for (const record of records) {
  if (seen.has(record.name)) throw new Error(`Two methods are named ${record.name}.`);
  seen.add(record.name);
}

const header = `// DO NOT EDIT. Generated by scripts/generate.mjs (\`pnpm --filter @plugboard/gmail generate\`) from
// vendor/gmail-v1.json, Google's Gmail API ${discovery.version} discovery document (revision ${discovery.revision},
// Apache-2.0). ${records.length} methods.
import type { GmailMethod } from '../actions/gmail-method.js';

/** Google's discovery revision this file was generated from. */
export const GMAIL_DISCOVERY_REVISION = '${discovery.revision}';

/**
 * Every Gmail API method as data. A function, so that importing the connector only parses it:
 * the records are built the first time the catalogue asks for the generated actions.
 */
export function gmailMethods(): GmailMethod[] {
  return `;
const source = `${header}${JSON.stringify(records, null, 2).replace(/\n/g, '\n  ')};\n}\n`;
const target = fileURLToPath(new URL('src/generated/gmail-methods.ts', root));
// The number of methods on its own, so that listApps counts the catalogue without parsing the records.
const countSource = `// DO NOT EDIT. Generated by scripts/generate.mjs (\`pnpm --filter @plugboard/gmail generate\`) from
// vendor/gmail-v1.json, Google's Gmail API ${discovery.version} discovery document (revision ${discovery.revision}, Apache-2.0).

/** How many methods gmail-methods.ts holds: one generated action each, unless a curated action takes it over. */
export const GMAIL_METHOD_COUNT = ${records.length};
`;
const countTarget = fileURLToPath(new URL('src/generated/gmail-method-count.ts', root));
export { source, countSource };
if (process.argv.includes('--check')) {
  for (const [path, expected] of [
    [target, source],
    [countTarget, countSource],
  ]) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== expected) {
      console.error(`${path} is stale: run \`pnpm --filter @plugboard/gmail generate\`.`);
      process.exit(1);
    }
  }
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(target, source);
  writeFileSync(countTarget, countSource);
  console.log(`src/generated/gmail-methods.ts: ${records.length} methods`);
}
