import {
  PlugboardError,
  createJsonReader,
  defineAction,
  type Action,
  type ActionContext,
  type ActionDefinition,
  type HttpMethod,
  type HttpResponse,
  type QueryValue,
} from '@plugboard/core';
import { jsonSchemaToZod } from './json-schema-input.js';
import { pageInfo } from './pagination.js';

type JsonSchemaObject = Record<string, unknown>;
type ActionEffects = NonNullable<ActionDefinition['effects']>;

/** One operation of src/generated/operations.json, as scripts/generate.mjs writes it. */
export interface GeneratedOperation {
  name: string;
  method: HttpMethod;
  /** A core path template: `{name}` one segment, `{+name}` several. */
  path: string;
  /** GitHub's tag for the operation (`pulls`, `actions`): also the schema file it is in. */
  tag: string;
  description: string;
  /** Input keys sent as query parameters. */
  query?: string[];
  /** Input keys sent as fields of a JSON body. */
  body?: string[];
  /** Input key -> body field, where a body field shares its name with a path parameter. */
  renamed?: Record<string, string>;
  /** The media type of a body that is not a JSON object, sent whole from the `body` input. */
  wholeBody?: string;
  /** The operation lives on another host (release asset uploads on uploads.github.com). */
  server?: string;
  /** The custom media types the operation documents, chosen with the `media_type` input. */
  mediaTypes?: string[];
  /** Takes `page` and answers with a `Link` header. */
  paginated?: boolean;
  deprecated?: boolean;
}

// Read on first need (the catalogue is built synchronously), never at import; see createJsonReader.
const require = createJsonReader(
  import.meta.url,
  "GitHub's generated actions are read from JSON files with Node's module loader (Node.js 20.16 or later, Deno, Bun); this runtime has only the 19 curated actions.",
);

let operations: readonly GeneratedOperation[] | undefined;
/** Every operation of GitHub's description, read on the first call. */
export function generatedOperations(): readonly GeneratedOperation[] {
  operations ??= (require('./generated/operations.json') as { operations: GeneratedOperation[] }).operations;
  return operations;
}

const schemaFiles = new Map<string, Record<string, JsonSchemaObject>>();
/** The input JSON Schema of one operation; reads only the file of its tag. */
export function generatedInputJsonSchema(operation: Pick<GeneratedOperation, 'name' | 'tag'>): JsonSchemaObject {
  let schemas = schemaFiles.get(operation.tag);
  if (schemas === undefined) {
    schemas = (require(`./generated/schemas/${operation.tag}.json`) as { schemas: Record<string, JsonSchemaObject> })
      .schemas;
    schemaFiles.set(operation.tag, schemas);
  }
  const schema = schemas[operation.name];
  if (schema === undefined) throw new PlugboardError('INVALID_DEFINITION', `No input schema for ${operation.name}.`);
  return schema;
}

/** What the method says about the operation (MCP's tool annotations). */
export function effectsOf(method: HttpMethod): ActionEffects {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
      return { readOnly: true };
    case 'DELETE':
      return { readOnly: false, destructive: true, idempotent: true };
    case 'PUT':
      return { readOnly: false, idempotent: true };
    default:
      return { readOnly: false };
  }
}

/**
 * A paginated answer with where to continue: an array becomes `{ items, nextPage, lastPage }`
 * like the curated list actions; an object (`{ total_count, workflow_runs }`) keeps its fields.
 */
export function withPageInfo(response: HttpResponse): unknown {
  const info = pageInfo(response.headers);
  if (Array.isArray(response.data)) return { items: response.data, ...info };
  if (typeof response.data === 'object' && response.data !== null) return { ...response.data, ...info };
  return response.data;
}

// Answers in these media types are text even though their content type is not text/*.
const TEXT_MEDIA_TYPE = /\.(diff|patch|raw|sha)$/;

/** For operations a plain request spec cannot express: a chosen media type, a renamed or whole body, another host. */
function runOperation(operation: GeneratedOperation) {
  return async (context: ActionContext<unknown>): Promise<unknown> => {
    if (operation.server !== undefined) {
      throw new PlugboardError(
        'ACTION_FAILED',
        `${operation.name} is not supported: it sends a binary body to ${operation.server}, another host than the API. ` +
          'Upload the asset to the upload_url of the release with your own HTTP client and the same token.',
      );
    }
    const input = context.input as Record<string, unknown>;
    const pathParams: Record<string, string | number> = {};
    for (const match of operation.path.matchAll(/\{\+?([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
      const value = input[match[1] as string];
      if (value !== undefined) pathParams[match[1] as string] = value as string | number;
    }
    const query: Record<string, QueryValue> = {};
    for (const key of operation.query ?? []) if (input[key] !== undefined) query[key] = input[key] as QueryValue;
    let body: unknown;
    const headers: Record<string, string> = {};
    if (operation.wholeBody !== undefined) {
      body = input['body'];
      headers['Content-Type'] = operation.wholeBody;
    } else if (operation.body !== undefined) {
      const fields: Record<string, unknown> = {};
      for (const key of operation.body) {
        if (input[key] !== undefined) fields[operation.renamed?.[key] ?? key] = input[key];
      }
      if (Object.keys(fields).length > 0) body = fields;
    }
    const mediaType = input['media_type'] as string | undefined;
    if (mediaType !== undefined) headers['Accept'] = mediaType;
    const response = await context.request({
      method: operation.method,
      path: operation.path,
      pathParams,
      ...(Object.keys(query).length > 0 ? { query } : {}),
      ...(body !== undefined ? { body } : {}),
      headers,
    });
    if (mediaType !== undefined && TEXT_MEDIA_TYPE.test(mediaType) && response.data instanceof Uint8Array) {
      return new TextDecoder().decode(response.data);
    }
    return operation.paginated ? withPageInfo(response) : response.data;
  };
}

/** The action of one generated operation; its input schemas are built on first use. */
export function generatedAction(operation: GeneratedOperation): Action {
  const custom =
    operation.server !== undefined ||
    operation.wholeBody !== undefined ||
    operation.renamed !== undefined ||
    operation.mediaTypes !== undefined;
  const readOnly = operation.method === 'GET' || operation.method === 'HEAD';
  return defineAction({
    name: operation.name,
    description: operation.description,
    tags: [operation.tag, readOnly ? 'read' : 'write', 'generated'],
    input: () => jsonSchemaToZod(generatedInputJsonSchema(operation)),
    inputJsonSchema: () => generatedInputJsonSchema(operation),
    effects: effectsOf(operation.method),
    deprecated: operation.deprecated === true,
    ...(custom
      ? { run: runOperation(operation) }
      : {
          request: {
            method: operation.method,
            path: operation.path,
            query: operation.query ?? [],
            body: operation.body ?? [],
          },
          ...(operation.paginated ? { mapResponse: withPageInfo } : {}),
        }),
  });
}

/** Every generated action, for the connector's `generatedActions`. */
export function loadGeneratedActions(): Action[] {
  return generatedOperations().map(generatedAction);
}
