import type * as zc from 'zod/v4/core';
import { PlugboardError } from '../errors.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** An HTTP method a declarative action may use. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** How a request body is encoded: JSON, or `application/x-www-form-urlencoded`. */
export type BodyEncoding = 'json' | 'form';

/**
 * A declarative request. `path` is relative to the connector's base URL; `{name}` takes one
 * percent-encoded segment from the input, `{+name}` may span several segments (`a/b/c.md`).
 * Input keys not in the path go to the query for GET, HEAD, DELETE and OPTIONS and to the body
 * otherwise, unless `query` and `body` name them explicitly.
 */
export interface RequestSpec {
  method: HttpMethod;
  path: string;
  /** Input keys sent as query parameters. */
  query?: readonly string[];
  /** Input keys sent in the body. */
  body?: readonly string[];
  /** @default 'json' */
  bodyEncoding?: BodyEncoding;
  /** Extra headers for this action (on top of the connector's). */
  headers?: Readonly<Record<string, string>>;
}

/** What `context.request` and `toolset.proxy` take. */
export interface HttpRequestOptions {
  method: HttpMethod;
  /** A path template relative to the base URL, like a `RequestSpec` path. */
  path: string;
  /** Values for the `{name}` and `{+name}` segments of `path`. */
  pathParams?: Readonly<Record<string, string | number>>;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  /** @default 'json' */
  bodyEncoding?: BodyEncoding;
  headers?: Readonly<Record<string, string>>;
}

/** A query parameter's value; arrays repeat the parameter, `null` and `undefined` leave it out. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** An answer to an authenticated request, with its body parsed. */
export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, text, or `null` for an empty body. */
  data: T;
}

/** What a custom `run` receives. */
export interface ActionContext<Input> {
  /** The validated input (defaults applied). */
  input: Input;
  /** The app the action belongs to. */
  app: string;
  /**
   * An authenticated request to the app's API, with the same credential placement, retries and
   * redaction as a declarative action. Non-2xx answers throw an `UPSTREAM_ERROR` PlugboardError.
   */
  request<T = unknown>(options: HttpRequestOptions): Promise<HttpResponse<T>>;
  signal?: AbortSignal;
  /**
   * The stored connection the call acts through, when it uses one (not for per-call `auth`,
   * `addAuth` or a credential provider): its id, its entity and the values of the scheme's
   * user fields that are not secret, such as a Shopify `shop`. Never a credential.
   */
  connection?: ActionConnection;
}

/** What an action's `run` may know of the connection it acts through. */
export interface ActionConnection {
  id: string;
  entityId: string;
  /** The connection's values of the scheme's non-secret user fields (`{ shop: 'acme' }`). */
  fields: Readonly<Record<string, string>>;
}

/** What `defineAction` takes: a name, a description, a zod input schema, and a request spec or a `run`. */
export interface ActionDefinition<Input extends zc.$ZodType = zc.$ZodType, Output = unknown> {
  /** SCREAMING_SNAKE, prefixed with the app id: `GITHUB_GET_A_PULL_REQUEST`. */
  name: string;
  description: string;
  /** Other names the action answers to. */
  aliases?: readonly string[];
  tags?: readonly string[];
  /**
   * The zod 4 input schema, or a function that builds it. A function is called once, the first
   * time the schema is needed (validation, `listActions`), so that importing a connector with
   * many actions does not build every schema up front.
   * @example input: () => z.object({ owner: z.string(), repo: z.string() })
   */
  input: Input | (() => Input);
  /** Checked against the response data; the parsed value is returned. */
  output?: zc.$ZodType<Output>;
  /** A declarative request: `'GET /repos/{owner}/{repo}'` or a `RequestSpec`. */
  request?: string | RequestSpec;
  /** Reshapes the response of a declarative request (add a next-page cursor, unwrap an envelope). */
  mapResponse?: (response: HttpResponse, input: zc.output<Input>) => unknown;
  /** A custom, possibly multi-step implementation. Exactly one of `request` and `run`. */
  run?: (context: ActionContext<zc.output<Input>>) => Promise<unknown>;
  /**
   * The input's JSON Schema as listed to agents, when the connector already has it (a generated
   * action built from the vendor's description). Without it, the schema is derived from `input`.
   * A function is called once, on first use.
   */
  inputJsonSchema?: JsonSchemaObject | (() => JsonSchemaObject);
  /**
   * What the action does to the world; agents and MCP clients show it. Without it, a declarative
   * action's effects follow from its HTTP method (see `effectsOfMethod`); a custom `run` has none
   * unless declared.
   */
  effects?: ActionEffects;
  /**
   * OAuth scopes any one of which allows this action, as the vendor lists them for the
   * operation (Google's discovery documents do). Omitted when none is needed or none is known.
   */
  scopes?: readonly string[];
  /** The vendor deprecated the operation: still listed and callable, not offered to agents by default. */
  deprecated?: boolean;
}

/** A JSON Schema object (draft 2020-12). */
export type JsonSchemaObject = Record<string, unknown>;

/**
 * What an action does to the world, as MCP's tool annotations describe it.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-annotations
 */
export interface ActionEffects {
  /** Only reads: no change anywhere. */
  readOnly?: boolean;
  /** May delete or overwrite something (meaningful when not read-only). */
  destructive?: boolean;
  /** Calling it twice with the same input has no further effect. */
  idempotent?: boolean;
}

/** A checked action, as registered. */
export interface Action<Input extends zc.$ZodType = zc.$ZodType> {
  readonly name: string;
  readonly description: string;
  readonly aliases: readonly string[];
  readonly tags: readonly string[];
  readonly input: Input;
  readonly output?: zc.$ZodType;
  readonly request?: ParsedRequestSpec;
  readonly mapResponse?: (response: HttpResponse, input: zc.output<Input>) => unknown;
  readonly run?: (context: ActionContext<zc.output<Input>>) => Promise<unknown>;
  /** Set when the definition gave one; otherwise the catalogue derives it from `input`. */
  readonly inputJsonSchema?: JsonSchemaObject;
  readonly effects: Readonly<ActionEffects>;
  readonly scopes: readonly string[];
  readonly deprecated: boolean;
}

export interface ParsedRequestSpec extends Required<Pick<RequestSpec, 'method' | 'path' | 'bodyEncoding'>> {
  query?: readonly string[];
  body?: readonly string[];
  headers: Readonly<Record<string, string>>;
  pathParams: readonly PathParam[];
}

export interface PathParam {
  name: string;
  /** `{+name}`: slashes in the value are kept as separators. */
  multiSegment: boolean;
}

const ACTION_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const PATH_PARAM = /\{(\+?)([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Declares an action. Checks the definition at once, so a mistake fails at import of the
 * connector's test, not at the first call.
 */
export function defineAction<Input extends zc.$ZodType, Output = unknown>(
  definition: ActionDefinition<Input, Output>,
): Action<Input> {
  const where = `action ${JSON.stringify(definition.name)}`;
  if (typeof definition.name !== 'string' || !ACTION_NAME.test(definition.name)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid ${where}: names are SCREAMING_SNAKE with an app prefix, like GITHUB_CREATE_ISSUE.`,
    );
  }
  for (const alias of definition.aliases ?? []) {
    if (!ACTION_NAME.test(alias))
      throw new PlugboardError(
        'INVALID_DEFINITION',
        `Invalid alias ${JSON.stringify(alias)} of ${where}: aliases are SCREAMING_SNAKE too.`,
      );
  }
  const checkInput = (input: unknown): Input => {
    if (!input || typeof input !== 'object' || !('_zod' in input)) {
      throw new PlugboardError('INVALID_DEFINITION', `Invalid ${where}: input must be a zod 4 schema.`);
    }
    return input as Input;
  };
  const lazyInput = typeof definition.input === 'function' ? (definition.input as () => Input) : undefined;
  const eagerInput = lazyInput ? undefined : checkInput(definition.input);
  if ((definition.request === undefined) === (definition.run === undefined)) {
    throw new PlugboardError('INVALID_DEFINITION', `Invalid ${where}: give exactly one of request and run.`);
  }
  // A lazily built schema is checked against the path when it is built; the path itself now.
  const request =
    definition.request !== undefined ? parseRequestSpec(definition.request, where, eagerInput) : undefined;
  const action = {
    name: definition.name,
    description: definition.description,
    aliases: Object.freeze([...(definition.aliases ?? [])]),
    tags: Object.freeze([...(definition.tags ?? [])]),
    ...(eagerInput ? { input: eagerInput } : {}),
    ...(definition.output ? { output: definition.output } : {}),
    ...(request ? { request } : {}),
    ...(definition.mapResponse ? { mapResponse: definition.mapResponse } : {}),
    ...(definition.run ? { run: definition.run } : {}),
    ...(definition.inputJsonSchema !== undefined && typeof definition.inputJsonSchema !== 'function'
      ? { inputJsonSchema: definition.inputJsonSchema }
      : {}),
    effects: Object.freeze({ ...(definition.effects ?? (request ? effectsOfMethod(request.method) : {})) }),
    scopes: Object.freeze([...(definition.scopes ?? [])]),
    deprecated: definition.deprecated === true,
  } as Action<Input>;
  if (typeof definition.inputJsonSchema === 'function') {
    const buildJsonSchema = definition.inputJsonSchema;
    let builtJsonSchema: JsonSchemaObject | undefined;
    Object.defineProperty(action, 'inputJsonSchema', {
      enumerable: true,
      get: (): JsonSchemaObject => {
        builtJsonSchema ??= buildJsonSchema();
        return builtJsonSchema;
      },
    });
  }
  if (lazyInput) {
    let built: Input | undefined;
    Object.defineProperty(action, 'input', {
      enumerable: true,
      get(): Input {
        if (built === undefined) {
          const input = checkInput(lazyInput());
          if (definition.request !== undefined) parseRequestSpec(definition.request, where, input);
          built = input;
        }
        return built;
      },
    });
  }
  return Object.freeze(action);
}

/**
 * The effects an HTTP method promises (RFC 9110 section 9.2): GET, HEAD and OPTIONS only read; PUT is
 * idempotent; DELETE destroys and is idempotent; POST and PATCH promise nothing.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2
 */
export function effectsOfMethod(method: HttpMethod): ActionEffects {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
      return { readOnly: true };
    case 'PUT':
      return { idempotent: true };
    case 'DELETE':
      return { destructive: true, idempotent: true };
    default:
      return {};
  }
}

/** Parses `'GET /repos/{owner}/{repo}'` or a `RequestSpec` and checks its path parameters. */
export function parseRequestSpec(spec: string | RequestSpec, where: string, input?: zc.$ZodType): ParsedRequestSpec {
  let full: RequestSpec;
  if (typeof spec === 'string') {
    const match = /^([A-Z]+) (\/\S*)$/.exec(spec.trim());
    if (!match)
      throw new PlugboardError(
        'INVALID_DEFINITION',
        `Invalid request of ${where}: expected "METHOD /path", got ${JSON.stringify(spec)}.`,
      );
    full = { method: match[1] as HttpMethod, path: match[2] as string };
  } else {
    full = spec;
  }
  if (!HTTP_METHODS.includes(full.method)) {
    throw new PlugboardError(
      'INVALID_DEFINITION',
      `Invalid request of ${where}: unknown method ${JSON.stringify(full.method)}.`,
    );
  }
  if (!full.path.startsWith('/'))
    throw new PlugboardError('INVALID_DEFINITION', `Invalid request of ${where}: the path must start with "/".`);
  const pathParams = parsePathParams(full.path);
  const shapeKeys = objectShapeKeys(input);
  if (shapeKeys) {
    for (const param of pathParams) {
      if (!shapeKeys.has(param.name)) {
        throw new PlugboardError(
          'INVALID_DEFINITION',
          `Invalid request of ${where}: path parameter {${param.name}} is not in the input schema.`,
        );
      }
    }
  }
  const parsed: ParsedRequestSpec = {
    method: full.method,
    path: full.path,
    bodyEncoding: full.bodyEncoding ?? 'json',
    headers: Object.freeze({ ...(full.headers ?? {}) }),
    pathParams,
  };
  if (full.query) parsed.query = Object.freeze([...full.query]);
  if (full.body) parsed.body = Object.freeze([...full.body]);
  return parsed;
}

export function parsePathParams(path: string): PathParam[] {
  return [...path.matchAll(PATH_PARAM)].map((match) => ({ name: match[2] as string, multiSegment: match[1] === '+' }));
}

function objectShapeKeys(schema: zc.$ZodType | undefined): Set<string> | undefined {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? new Set(Object.keys(shape)) : undefined;
}
