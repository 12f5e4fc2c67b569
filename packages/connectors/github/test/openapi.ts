import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Checks recorded HTTP requests against GitHub's published OpenAPI description
 * (`@octokit/openapi`, generated/api.github.com.json): the operation is found by method and path
 * template, then path parameters, query parameters, headers and the JSON body are checked against
 * it. The description is for API version 2022-11-28; the `x-github-breaking-changes` of later
 * versions are applied on request, so a request can be checked against each supported version.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface WireRequest {
  method: string;
  /** The request path below the API base URL (GHES's `/api/v3` already removed), percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  /** The status the server answered with, checked against the documented responses when present. */
  status?: number;
}

export interface CheckResult {
  /** `METHOD /template` of the matched operation. */
  operation: string | undefined;
  operationId: string | undefined;
  problems: string[];
}

export interface GitHubOpenApi {
  /** The API version the description was shaped for. */
  apiVersion: string;
  check(request: WireRequest): CheckResult;
  /** Every `METHOD /template` with its operationId, for reports. */
  operations(): Array<{ operation: string; operationId: string }>;
}

const require = createRequire(import.meta.url);
export const OPENAPI_FILE = require.resolve('@octokit/openapi/generated/api.github.com.json');
export const BASE_API_VERSION = '2022-11-28';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let rawDocument: JsonObject | undefined;
function document(): JsonObject {
  rawDocument ??= JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as JsonObject;
  return rawDocument;
}

function pointer(root: Json, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref} is not supported`);
  let node: Json = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
    node = (node as JsonObject)[key] as Json;
  }
  return node;
}

/** Resolves every `$ref` below `node`; a recursive schema keeps its `$ref` at the second visit. */
function dereference(root: Json, node: Json, seen: readonly string[] = []): Json {
  if (Array.isArray(node)) return node.map((item) => dereference(root, item, seen));
  if (typeof node !== 'object' || node === null) return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    if (seen.includes(ref)) return { $recursive: ref };
    return dereference(root, pointer(root, ref), [...seen, ref]);
  }
  const output: JsonObject = {};
  for (const [key, value] of Object.entries(node)) output[key] = dereference(root, value, seen);
  return output;
}

/** RFC 7396 JSON merge patch. */
function mergePatch(target: Json, patch: Json): Json {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const output: JsonObject =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete output[key];
    else output[key] = mergePatch(output[key] ?? null, value);
  }
  return output;
}

/** RFC 6902 JSON patch, the operations GitHub's breaking changes use. */
function jsonPatch(target: Json, operations: JsonObject[]): Json {
  const copy = structuredClone(target);
  for (const operation of operations) {
    const keys = String(operation['path'])
      .slice(1)
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop() as string;
    let parent: Json = copy;
    for (const key of keys) parent = (parent as JsonObject)[key] as Json;
    if (typeof parent !== 'object' || parent === null) continue;
    if (operation['op'] === 'remove') delete (parent as JsonObject)[last];
    else (parent as JsonObject)[last] = structuredClone(operation['value'] as Json);
  }
  return copy;
}

interface Operation {
  method: string;
  template: string;
  operationId: string;
  pattern: RegExp;
  literalLength: number;
  definition: JsonObject;
}

/** The description as it applies to `apiVersion` (2022-11-28, or a later version with its breaking changes applied). */
export function loadGitHubOpenApi(apiVersion: string = BASE_API_VERSION): GitHubOpenApi {
  const root = document();
  const paths = root['paths'] as JsonObject;
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const raw = (item as JsonObject)[method];
      if (!raw) continue;
      let definition = dereference(root, raw) as JsonObject;
      const changes = ((raw as JsonObject)['x-github-breaking-changes'] as JsonObject[] | undefined) ?? [];
      for (const change of changes) {
        if (String(change['version']) > apiVersion) continue;
        const patch = dereference(root, change['patch'] as Json);
        definition = (
          Array.isArray(patch) ? jsonPatch(definition, patch as JsonObject[]) : mergePatch(definition, patch)
        ) as JsonObject;
      }
      const parameters = (definition['parameters'] as JsonObject[] | undefined) ?? [];
      const multiSegment = new Set(
        parameters
          .filter((parameter) => parameter['in'] === 'path' && parameter['x-multi-segment'] === true)
          .map((parameter) => parameter['name']),
      );
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          return multiSegment.has(name) ? `(?<${groupName(name)}>.+)` : `(?<${groupName(name)}>[^/]+)`;
        })
        .join('');
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: String(definition['operationId']),
        pattern: new RegExp(`^${source}$`),
        literalLength: template.replace(/\{[^}]+\}/g, '').length,
        definition,
      });
    }
  }

  function check(request: WireRequest): CheckResult {
    const problems: string[] = [];
    const method = request.method.toUpperCase();
    const matching = operations.filter((operation) => operation.pattern.test(request.path));
    const candidates = matching
      .filter((operation) => operation.method === method)
      .sort((a, b) => b.literalLength - a.literalLength);
    const operation = candidates[0];
    if (!operation) {
      const others = [...new Set(matching.map((candidate) => `${candidate.method} ${candidate.template}`))];
      problems.push(
        others.length > 0
          ? `${method} ${request.path}: the path matches ${others.join(', ')}, but no operation takes ${method}.`
          : `${method} ${request.path}: no operation of GitHub's OpenAPI description has this path.`,
      );
      return { operation: undefined, operationId: undefined, problems };
    }
    const where = `${operation.method} ${operation.template} (${operation.operationId})`;
    const parameters = (operation.definition['parameters'] as JsonObject[] | undefined) ?? [];

    // Path parameters.
    const groups = operation.pattern.exec(request.path)?.groups ?? {};
    for (const parameter of parameters.filter((candidate) => candidate['in'] === 'path')) {
      const name = String(parameter['name']);
      const raw = groups[groupName(name)];
      if (raw === undefined) {
        problems.push(`${where}: path parameter "${name}" is missing.`);
        continue;
      }
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        problems.push(`${where}: path parameter "${name}" is not valid percent-encoding.`);
        continue;
      }
      if (value === '') problems.push(`${where}: path parameter "${name}" is empty.`);
      problems.push(...checkScalar(value, parameter['schema'] as JsonObject, `${where}: path parameter "${name}"`));
    }

    // Query parameters.
    const declared = new Map(
      parameters
        .filter((candidate) => candidate['in'] === 'query')
        .map((parameter) => [String(parameter['name']), parameter]),
    );
    for (const name of new Set(request.query.keys())) {
      const parameter = declared.get(name);
      if (!parameter) {
        problems.push(
          `${where}: query parameter "${name}" is not declared (declared: ${[...declared.keys()].join(', ') || 'none'}).`,
        );
        continue;
      }
      const values = request.query.getAll(name);
      const schema = parameter['schema'] as JsonObject;
      if (values.length > 1 && schema['type'] !== 'array')
        problems.push(`${where}: query parameter "${name}" is sent ${values.length} times but is not an array.`);
      for (const value of values) {
        problems.push(
          ...checkScalar(
            value,
            schema['type'] === 'array' ? (schema['items'] as JsonObject) : schema,
            `${where}: query parameter "${name}"`,
          ),
        );
      }
    }
    for (const [name, parameter] of declared) {
      if (parameter['required'] === true && !request.query.has(name))
        problems.push(`${where}: required query parameter "${name}" is missing.`);
    }

    // Headers every GitHub request should carry.
    const accept = request.headers['accept'];
    if (
      accept === undefined ||
      // application/vnd.github+json, or a custom media type the operation documents (.diff, -commitcomment.raw+json).
      !/^application\/vnd\.github([.-][a-z0-9.-]+)?(\+json)?$|^application\/json$/.test(accept)
    ) {
      problems.push(`${where}: Accept should be application/vnd.github+json, got ${JSON.stringify(accept)}.`);
    }
    if (request.headers['x-github-api-version'] !== apiVersion) {
      problems.push(
        `${where}: X-GitHub-Api-Version should be ${apiVersion}, got ${JSON.stringify(request.headers['x-github-api-version'])}.`,
      );
    }
    for (const parameter of parameters.filter(
      (candidate) => candidate['in'] === 'header' && candidate['required'] === true,
    )) {
      if (request.headers[String(parameter['name']).toLowerCase()] === undefined)
        problems.push(`${where}: required header "${String(parameter['name'])}" is missing.`);
    }

    // Body.
    const requestBody = operation.definition['requestBody'] as JsonObject | undefined;
    if (request.body !== '') {
      if (!requestBody) {
        problems.push(`${where}: sends a body, but the operation takes none.`);
      } else {
        const content = requestBody['content'] as JsonObject;
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        const media = content[contentType] as JsonObject | undefined;
        if (!media) {
          problems.push(
            `${where}: the body is ${JSON.stringify(contentType)}, but the operation takes ${Object.keys(content).join(', ')}.`,
          );
        } else if (contentType === 'application/json') {
          let parsed: Json;
          try {
            parsed = JSON.parse(request.body) as Json;
          } catch {
            problems.push(`${where}: the body is not JSON.`);
            parsed = null;
          }
          problems.push(...checkValue(parsed, media['schema'] as JsonObject, `${where}: body`));
        }
      }
    } else if (requestBody?.['required'] === true) {
      const schema = ((requestBody['content'] as JsonObject)['application/json'] as JsonObject | undefined)?.[
        'schema'
      ] as JsonObject | undefined;
      const required = (schema?.['required'] as string[] | undefined) ?? [];
      problems.push(
        `${where}: the operation requires a body${required.length > 0 ? ` with ${required.join(', ')}` : ''}, but none is sent.`,
      );
    }

    if (request.status !== undefined) {
      const responses = Object.keys((operation.definition['responses'] as JsonObject | undefined) ?? {});
      if (!responses.includes(String(request.status)) && !responses.includes('default')) {
        problems.push(
          `${where}: answered ${request.status}, which the operation does not document (${responses.join(', ')}).`,
        );
      }
    }
    return { operation: `${operation.method} ${operation.template}`, operationId: operation.operationId, problems };
  }

  return {
    apiVersion,
    check,
    operations: () =>
      operations.map((operation) => ({
        operation: `${operation.method} ${operation.template}`,
        operationId: operation.operationId,
      })),
  };
}

function groupName(name: string): string {
  return `p_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** A query or path value (always a string on the wire) against a scalar schema. */
function checkScalar(value: string, schema: JsonObject | undefined, label: string): string[] {
  if (!schema) return [];
  const alternatives = (schema['oneOf'] ?? schema['anyOf']) as JsonObject[] | undefined;
  if (alternatives) {
    const results = alternatives.map((alternative) => checkScalar(value, alternative, label));
    return results.some((result) => result.length === 0)
      ? []
      : [`${label}: ${JSON.stringify(value)} matches none of its alternatives.`];
  }
  const problems: string[] = [];
  switch (schema['type']) {
    case 'integer':
      if (!/^-?\d+$/.test(value)) problems.push(`${label}: ${JSON.stringify(value)} is not an integer.`);
      break;
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value)))
        problems.push(`${label}: ${JSON.stringify(value)} is not a number.`);
      break;
    case 'boolean':
      if (value !== 'true' && value !== 'false') problems.push(`${label}: ${JSON.stringify(value)} is not a boolean.`);
      break;
    case 'string':
    case undefined:
      if (
        schema['format'] === 'date-time' &&
        (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
          Number.isNaN(Date.parse(value)))
      ) {
        problems.push(`${label}: ${JSON.stringify(value)} is not an ISO 8601 date-time.`);
      }
      break;
    default:
      problems.push(`${label}: a ${String(schema['type'])} cannot be sent as a single value.`);
  }
  const allowed = schema['enum'] as Json[] | undefined;
  if (allowed && !allowed.map(String).includes(value))
    problems.push(
      `${label}: ${JSON.stringify(value)} is not one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}.`,
    );
  return problems;
}

/** `allOf` parts merged into one schema: their properties and required fields together (GitHub extends objects so). */
function mergeAllOf(schema: JsonObject): JsonObject {
  const parts = schema['allOf'] as JsonObject[] | undefined;
  if (!Array.isArray(parts)) return schema;
  const { allOf: _allOf, ...merged } = schema;
  for (const part of parts.map(mergeAllOf)) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties')
        merged[key] = { ...((merged[key] as JsonObject | undefined) ?? {}), ...(value as JsonObject) };
      else if (key === 'required')
        merged[key] = [...new Set([...((merged[key] as string[] | undefined) ?? []), ...(value as string[])])];
      else if (!(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

/** A JSON value against an OpenAPI 3.0 schema: types, nullable, enum, oneOf/anyOf/allOf, declared properties, required. */
function checkValue(value: Json, given: JsonObject | undefined, label: string): string[] {
  if (!given || given['$recursive']) return [];
  const schema = mergeAllOf(given);
  if (value === null)
    return schema['nullable'] === true || schema['type'] === 'null' ? [] : [`${label}: null is not allowed.`];
  const alternatives = (schema['oneOf'] ?? schema['anyOf']) as JsonObject[] | undefined;
  if (alternatives) {
    const results = alternatives.map((alternative) =>
      checkValue(value, { nullable: schema['nullable'] ?? false, ...alternative }, label),
    );
    if (!results.some((result) => result.length === 0)) {
      return [
        `${label}: ${JSON.stringify(value)} matches none of its alternatives (${results.map((result) => result[0]).join(' / ')}).`,
      ];
    }
    // An object schema made only of alternatives: the matching alternative declared the fields.
    if (schema['properties'] === undefined) return [];
  }
  const problems: string[] = [];
  const type = schema['type'];
  const actual = Array.isArray(value)
    ? 'array'
    : typeof value === 'number'
      ? Number.isInteger(value)
        ? 'integer'
        : 'number'
      : typeof value;
  if (type !== undefined && !(type === actual || (type === 'number' && actual === 'integer'))) {
    return [...problems, `${label}: expected ${String(type)}, got ${actual} ${JSON.stringify(value)}.`];
  }
  const allowed = schema['enum'] as Json[] | undefined;
  if (allowed && !allowed.some((item) => JSON.stringify(item) === JSON.stringify(value))) {
    problems.push(
      `${label}: ${JSON.stringify(value)} is not one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}.`,
    );
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      problems.push(...checkValue(item, schema['items'] as JsonObject | undefined, `${label}[${index}]`));
    }
  } else if (typeof value === 'object') {
    const properties = (schema['properties'] as JsonObject | undefined) ?? {};
    const additional = schema['additionalProperties'];
    const open = additional === true || (typeof additional === 'object' && additional !== null);
    if (schema['properties'] !== undefined || type === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key in properties) problems.push(...checkValue(item, properties[key] as JsonObject, `${label}.${key}`));
        else if (typeof additional === 'object' && additional !== null)
          problems.push(...checkValue(item, additional as JsonObject, `${label}.${key}`));
        else if (!open)
          problems.push(
            `${label}: field "${key}" is not declared (declared: ${Object.keys(properties).join(', ') || 'none'}).`,
          );
      }
    }
    for (const required of (schema['required'] as string[] | undefined) ?? []) {
      if (!(required in value)) problems.push(`${label}: required field "${required}" is missing.`);
    }
  }
  return problems;
}
