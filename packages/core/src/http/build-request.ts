import { isDnsLabel } from '../encoding.js';
import { PlugboardError } from '../errors.js';
import type { BodyEncoding, HttpMethod, QueryValue } from '../spec/action.js';
import { PLACEMENTS, type AuthParameter } from '../spec/auth-scheme.js';

/** Everything needed to build one outgoing request, before credentials are known to be safe. */
export interface RequestParts {
  baseUrl: string;
  method: HttpMethod;
  /** Path template relative to `baseUrl`, with `{name}` and `{+name}` segments. */
  path: string;
  pathParams?: Readonly<Record<string, unknown>>;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  bodyEncoding?: BodyEncoding;
  headers?: Readonly<Record<string, string>>;
  /** Placed credentials; applied after the input, so they win over input of the same name. */
  auth?: readonly AuthParameter[];
  /** Custom-auth body fields, merged into the body. */
  authBody?: Readonly<Record<string, unknown>>;
}

export interface BuiltRequest {
  method: HttpMethod;
  url: URL;
  headers: Headers;
  body?: string;
}

const TEMPLATE = /\{(\+?)([A-Za-z_][A-Za-z0-9_]*)\}/g;
// RFC 9110 token characters for a header name.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values may hold visible characters, spaces, tabs and obs-text; no other control characters,
// and nothing above U+00FF, which a header cannot carry without an encoding the API would have to guess.
const HEADER_VALUE_FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;
// Headers silently strips leading and trailing whitespace; refuse it rather than send another value.
const HEADER_VALUE_PADDED = /^[\t ]|[\t ]$/;
// A lone surrogate has no UTF-8 encoding: encodeURIComponent throws on it, URLSearchParams turns it into U+FFFD.
const LONE_SURROGATE = /\p{Cs}/u;
const METHODS_WITHOUT_BODY = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS']);

function refuse(message: string, details?: unknown): never {
  throw new PlugboardError('INVALID_PARAMS', message, details === undefined ? {} : { details });
}

/**
 * Builds the final URL, headers and body. Every value goes into its slot encoded, or is refused:
 * nothing is "cleaned", and a refused value never reaches the network.
 */
export function buildRequest(parts: RequestParts): BuiltRequest {
  const placed = {
    header: [] as AuthParameter[],
    query: [] as AuthParameter[],
    path: [] as AuthParameter[],
    subdomain: [] as AuthParameter[],
    body: [] as AuthParameter[],
  };
  for (const parameter of parts.auth ?? []) {
    switch (parameter.in) {
      case 'header':
      case 'query':
      case 'path':
      case 'subdomain':
      case 'body':
        placed[parameter.in].push(parameter);
        break;
      default:
        break;
    }
  }

  const subdomainValues = new Map<string, string>();
  for (const parameter of placed.subdomain) subdomainValues.set(parameter.name, subdomainLabel(parameter));
  // Only input declared as `{+name}` may span segments; a credential is always one segment.
  const pathValues = new Map<string, { value: string; fromCredential: boolean }>();
  if (parts.pathParams) {
    for (const name of Object.keys(parts.pathParams)) {
      const value = parts.pathParams[name];
      if (value === undefined || value === null) continue;
      pathValues.set(name, { value: String(value), fromCredential: false });
    }
  }
  for (const parameter of placed.path) pathValues.set(parameter.name, { value: parameter.value, fromCredential: true });

  const { origin, basePath } = splitBaseUrl(parts.baseUrl);
  const host = fillTemplate(origin, (name) => {
    const label = subdomainValues.get(name);
    if (label === undefined)
      refuse(
        `No value for {${name}} in the base URL host: supply it as a subdomain credential (for example the user's "${name}" field).`,
      );
    return label;
  });
  const path = fillTemplate(joinPaths(basePath, parts.path), (name, multiSegment) => {
    const entry = pathValues.get(name);
    if (entry === undefined) refuse(`Missing path parameter "${name}".`);
    const label = entry.fromCredential ? `credential "${name}" (path)` : `path parameter "${name}"`;
    return multiSegment && !entry.fromCredential
      ? encodeMultiSegment(entry.value, label)
      : encodeSegment(entry.value, label);
  });

  let url: URL;
  try {
    url = new URL(host + path);
  } catch {
    refuse('The request URL is not valid after placing its parameters.');
  }
  // A host made only of a template could turn a label like "2130706433" into an IP address
  // (127.0.0.1); a subdomain must name a host under the connector's domain, never an address.
  if (host !== origin && /^\[|^[\d.]+$|^0x/i.test(url.hostname)) {
    refuse('A subdomain credential cannot turn the host into an IP address.');
  }
  for (const [name, value] of Object.entries(parts.query ?? {})) appendQuery(url.searchParams, name, value);
  for (const parameter of placed.query) setQueryCredential(url.searchParams, parameter);

  const headers = new Headers();
  for (const [name, value] of Object.entries(parts.headers ?? {})) setHeader(headers, name, value, `header "${name}"`);
  for (const parameter of placed.header)
    setHeader(headers, parameter.name, parameter.value, `credential header "${parameter.name}"`);

  const built: BuiltRequest = { method: parts.method, url, headers };
  const body = buildBody(parts, placed.body, headers);
  if (body !== undefined) built.body = body;
  return built;
}

type TemplatePiece = string | { name: string; multiSegment: boolean };

// Base URLs and paths come from connector definitions, so a few templates recur on every call:
// each is parsed once. Bounded, in case paths are built from user input.
const parsedTemplates = new Map<string, readonly TemplatePiece[]>();
const MAX_PARSED_TEMPLATES = 1_000;

function parseTemplate(text: string): readonly TemplatePiece[] {
  let pieces = parsedTemplates.get(text);
  if (pieces) return pieces;
  const parsed: TemplatePiece[] = [];
  let end = 0;
  for (const match of text.matchAll(TEMPLATE)) {
    if (match.index > end) parsed.push(text.slice(end, match.index));
    parsed.push({ name: match[2] as string, multiSegment: match[1] === '+' });
    end = match.index + match[0].length;
  }
  if (end < text.length) parsed.push(text.slice(end));
  if (parsedTemplates.size >= MAX_PARSED_TEMPLATES) parsedTemplates.clear();
  pieces = parsed;
  parsedTemplates.set(text, pieces);
  return pieces;
}

/** The template with every `{name}` and `{+name}` replaced, left to right, by what `value` returns. */
function fillTemplate(text: string, value: (name: string, multiSegment: boolean) => string): string {
  let filled = '';
  for (const piece of parseTemplate(text))
    filled += typeof piece === 'string' ? piece : value(piece.name, piece.multiSegment);
  return filled;
}

function splitBaseUrl(baseUrl: string): { origin: string; basePath: string } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)$/i.exec(baseUrl);
  if (!match)
    refuse(`The base URL ${JSON.stringify(baseUrl)} is not an absolute http(s) URL without query or fragment.`);
  return { origin: match[1] as string, basePath: (match[2] as string).replace(/\/+$/, '') };
}

function joinPaths(basePath: string, path: string): string {
  if (path === '' || path === '/') return basePath === '' ? '/' : basePath;
  return basePath + (path.startsWith('/') ? path : `/${path}`);
}

function subdomainLabel(parameter: AuthParameter): string {
  if (!isDnsLabel(parameter.value)) {
    refuse(
      `The credential "${parameter.name}" must be one DNS label (letters, digits and inner hyphens, at most 63 characters) to be used as a subdomain.`,
    );
  }
  return parameter.value.toLowerCase();
}

function checkWellFormed(value: string, label: string): void {
  if (LONE_SURROGATE.test(value))
    refuse(`The ${label} contains an unpaired UTF-16 surrogate, which cannot be encoded.`);
}

function encodeSegment(value: string, label: string): string {
  if (value === '' || value === '.' || value === '..') refuse(`The ${label} cannot be empty, "." or "..".`);
  checkWellFormed(value, label);
  return encodeURIComponent(value);
}

function encodeMultiSegment(value: string, label: string): string {
  const segments = value.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    refuse(`The ${label} must be relative segments separated by single "/", without empty, "." or ".." segments.`);
  }
  checkWellFormed(value, label);
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

function appendQuery(searchParams: URLSearchParams, name: string, value: QueryValue, label = 'query parameter'): void {
  if (value === undefined || value === null) return;
  const append = (text: string) => {
    checkWellFormed(name, `${label} name`);
    checkWellFormed(text, `${label} ${JSON.stringify(name)}`);
    searchParams.append(name, text);
  };
  if (Array.isArray(value)) {
    for (const item of value) append(String(item));
    return;
  }
  if (typeof value === 'object') {
    append(JSON.stringify(value));
    return;
  }
  append(String(value));
}

function checkQueryCredential(parameter: AuthParameter): void {
  const label = `credential "${parameter.name}" (query)`;
  checkWellFormed(parameter.name, label);
  checkWellFormed(parameter.value, label);
}

function setQueryCredential(searchParams: URLSearchParams, parameter: AuthParameter): void {
  checkQueryCredential(parameter);
  searchParams.set(parameter.name, parameter.value);
}

function checkHeader(name: string, value: string, label: string): void {
  if (!HEADER_NAME.test(name)) refuse(`The ${label} has an invalid header name.`);
  if (typeof value !== 'string' || HEADER_VALUE_FORBIDDEN.test(value)) {
    refuse(
      `The ${label} contains a line break, a control character or a character above U+00FF; header values must be a single line of Latin-1.`,
    );
  }
  if (HEADER_VALUE_PADDED.test(value)) refuse(`The ${label} starts or ends with whitespace, which HTTP would drop.`);
}

function setHeader(headers: Headers, name: string, value: string, label: string): void {
  checkHeader(name, value, label);
  headers.set(name, value);
}

function buildBody(parts: RequestParts, authBodyParameters: AuthParameter[], headers: Headers): string | undefined {
  if (METHODS_WITHOUT_BODY.has(parts.method)) {
    if (parts.body !== undefined) refuse(`A ${parts.method} request cannot have a body.`);
    if (authBodyParameters.length > 0)
      refuse(`This app places credentials in the request body, which a ${parts.method} request cannot have.`);
    // Custom-auth body fields go only into requests that have a body.
    return undefined;
  }
  const extra: Record<string, unknown> = { ...(parts.authBody ?? {}) };
  // defineProperty, so a credential named "__proto__" is a field rather than a prototype change.
  for (const parameter of authBodyParameters) {
    Object.defineProperty(extra, parameter.name, {
      value: parameter.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const hasExtra = Object.keys(extra).length > 0;
  if (parts.body === undefined && !hasExtra) return undefined;
  const encoding = parts.bodyEncoding ?? 'json';
  let body = parts.body;
  if (hasExtra) {
    if (body === undefined) body = {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      refuse('Credentials can only be placed in an object body.');
    }
    body = { ...(body as Record<string, unknown>), ...extra };
  }
  if (encoding === 'form') {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      refuse('A form-encoded body must be an object.');
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body as Record<string, unknown>))
      appendQuery(form, name, value as QueryValue, 'form field');
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
    return form.toString();
  }
  if (typeof body === 'string') return body;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(body);
}

/**
 * Checks placed credentials on their own, so bad custom auth is refused when it is given
 * (`addAuth`) rather than at the first request.
 */
export function checkAuthParameters(parameters: readonly AuthParameter[]): void {
  for (const parameter of parameters) {
    if (
      typeof parameter !== 'object' ||
      parameter === null ||
      typeof parameter.name !== 'string' ||
      parameter.name === ''
    ) {
      refuse('Every auth parameter needs a non-empty name, a string value and a placement.');
    }
    if (typeof parameter.value !== 'string') refuse(`The auth parameter "${parameter.name}" must have a string value.`);
    if (!(PLACEMENTS as readonly string[]).includes(parameter.in)) {
      refuse(
        `The auth parameter "${parameter.name}" has an unknown placement ${JSON.stringify(parameter.in)}; expected header, query, path, subdomain or body.`,
      );
    }
    switch (parameter.in) {
      case 'header':
        checkHeader(parameter.name, parameter.value, `credential header "${parameter.name}"`);
        break;
      case 'subdomain':
        subdomainLabel(parameter);
        break;
      case 'path':
        encodeSegment(parameter.value, `credential "${parameter.name}" (path)`);
        break;
      case 'query':
        checkQueryCredential(parameter);
        break;
      default:
        break;
    }
  }
}
