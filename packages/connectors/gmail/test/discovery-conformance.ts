import type { RecordedRequest } from '@plugboard/testkit';
import { type DiscoveryMethod, GMAIL_DISCOVERY, discoveryMethods } from './gmail-discovery.js';

// Checks a request as the fake server received it against Google's discovery document, read
// directly (not through the generator): the method and path match a method's template (or its
// upload path), every query parameter is declared for it (or globally) with a value of its type and
// enum, and the body has the shape of the method's request schema, or is empty when it has none.

interface DiscoverySchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, DiscoverySchema>;
  additionalProperties?: DiscoverySchema;
  items?: DiscoverySchema;
}

const GLOBAL_PARAMETERS = (GMAIL_DISCOVERY as unknown as { parameters: Record<string, DiscoveryParameterLike> })
  .parameters;

interface DiscoveryParameterLike {
  type: string;
  location?: string;
  enum?: string[];
  repeated?: boolean;
  format?: string;
}

interface Template {
  method: DiscoveryMethod;
  upload: boolean;
  pattern: RegExp;
  names: string[];
}

function template(method: DiscoveryMethod, path: string, upload: boolean): Template {
  const names: string[] = [];
  const source = path
    .replace(/^\//, '')
    .split(/(\{\+?[A-Za-z]+\})/)
    .map((part) => {
      const name = /^\{\+?([A-Za-z]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { method, upload, pattern: new RegExp(`^/${source}$`), names };
}

const TEMPLATES: Template[] = discoveryMethods().flatMap((method) => [
  template(method, method.path, false),
  ...(method.mediaUpload ? [template(method, method.mediaUpload.protocols.simple.path, true)] : []),
]);

/** The discovery method a request is for, with its path parameters decoded. */
export function methodOf(
  request: Pick<RecordedRequest, 'method' | 'path'>,
): { method: DiscoveryMethod; upload: boolean; params: Record<string, string> } | undefined {
  for (const candidate of TEMPLATES) {
    if (candidate.method.httpMethod !== request.method) continue;
    const match = candidate.pattern.exec(request.path);
    if (!match) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] as string);
    });
    return { method: candidate.method, upload: candidate.upload, params };
  }
  return undefined;
}

function checkScalar(value: string, parameter: DiscoveryParameterLike, where: string, problems: string[]): void {
  if (parameter.enum && !parameter.enum.includes(value)) problems.push(`${where}: ${value} is not one of its enum`);
  if (parameter.type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`${where}: ${value} is not an integer`);
  if (parameter.type === 'boolean' && value !== 'true' && value !== 'false')
    problems.push(`${where}: ${value} is not a boolean`);
  if ((parameter.format === 'uint64' || parameter.format === 'int64') && !/^-?\d+$/.test(value))
    problems.push(`${where}: ${value} is not an ${parameter.format}`);
}

/** Problems with a value against a discovery schema (empty when it conforms). */
export function checkAgainstSchema(value: unknown, schema: DiscoverySchema, where: string, problems: string[]): void {
  if (schema.$ref !== undefined) {
    const target = GMAIL_DISCOVERY.schemas[schema.$ref] as DiscoverySchema | undefined;
    if (!target) return void problems.push(`${where}: unknown schema ${schema.$ref}`);
    return checkAgainstSchema(value, target, where, problems);
  }
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return void problems.push(`${where}: expected an object`);
      for (const [name, item] of Object.entries(value)) {
        const property = schema.properties?.[name] ?? schema.additionalProperties;
        if (!property) problems.push(`${where}.${name}: not in the schema`);
        else checkAgainstSchema(item, property, `${where}.${name}`, problems);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${where}: expected an array`);
      value.forEach((item, index) => {
        checkAgainstSchema(item, schema.items ?? {}, `${where}[${index}]`, problems);
      });
      return;
    case 'string':
      if (typeof value !== 'string') return void problems.push(`${where}: expected a string`);
      if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${value} is not one of its enum`);
      if (schema.format === 'byte' && !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value))
        problems.push(`${where}: not base64 bytes`);
      if ((schema.format === 'int64' || schema.format === 'uint64') && !/^-?\d+$/.test(value))
        problems.push(`${where}: not an ${schema.format} string`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${where}: expected an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${where}: expected a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${where}: expected a boolean`);
      return;
    default:
      return;
  }
}

/** The JSON metadata part of a multipart/related upload body, and the media part's headers and content. */
export function splitMultipart(
  request: RecordedRequest,
): { metadata: string; mediaHeaders: string; media: string } | undefined {
  const boundary = /boundary=([^;]+)/.exec(request.headers['content-type'] ?? '')?.[1];
  if (!boundary) return undefined;
  const parts = request.body.split(`--${boundary}`);
  // ['', metadata part, media part, '--\r\n']
  if (parts.length !== 4 || parts[3]?.trim() !== '--') return undefined;
  const split = (part: string) => {
    const at = part.indexOf('\r\n\r\n');
    return { headers: part.slice(0, at).trim(), content: part.slice(at + 4).replace(/\r\n$/, '') };
  };
  const metadata = split(parts[1] as string);
  const media = split(parts[2] as string);
  if (!/^Content-Type: application\/json/i.test(metadata.headers)) return undefined;
  return { metadata: metadata.content, mediaHeaders: media.headers, media: media.content };
}

/** Every way the request departs from the discovery document; empty when it conforms. */
export function conformanceProblems(request: RecordedRequest): string[] {
  const found = methodOf(request);
  if (!found) return [`${request.method} ${request.path} is no method of the discovery document`];
  const { method, upload } = found;
  const problems: string[] = [];
  const where = method.id;
  for (const [name, value] of Object.entries(found.params))
    if (value === '') problems.push(`${where}: empty {${name}}`);
  const counts = new Map<string, number>();
  for (const [name, value] of request.query) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const parameter = (method.parameters?.[name] as DiscoveryParameterLike | undefined) ?? GLOBAL_PARAMETERS[name];
    if (!parameter || parameter.location === 'path') {
      problems.push(`${where}: query parameter ${name} is not declared`);
      continue;
    }
    checkScalar(value, parameter, `${where}?${name}`, problems);
  }
  for (const [name, count] of counts) {
    const parameter = method.parameters?.[name];
    if (count > 1 && !parameter?.repeated) problems.push(`${where}: ${name} repeated but not declared repeated`);
  }
  if (upload) {
    const uploadType = request.query.get('uploadType');
    if (uploadType !== 'multipart' && uploadType !== 'media')
      problems.push(`${where}: an upload needs uploadType=multipart or media`);
  }
  let bodyText = request.body;
  if (upload && request.query.get('uploadType') === 'multipart') {
    const parts = splitMultipart(request);
    if (!parts) return [...problems, `${where}: the upload is not a multipart/related body of metadata and media`];
    if (!/Content-Type: message\/rfc822/i.test(parts.mediaHeaders))
      problems.push(`${where}: the media part is not message/rfc822 (accepted: ${method.mediaUpload?.accept})`);
    bodyText = parts.metadata;
  }
  if (!method.request) {
    if (bodyText !== '') problems.push(`${where}: a body was sent to a method that takes none`);
    return problems;
  }
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    return [...problems, `${where}: the body is not JSON`];
  }
  if (body === undefined) problems.push(`${where}: no body for a method that takes ${method.request.$ref}`);
  else checkAgainstSchema(body, { $ref: method.request.$ref }, `${where} body`, problems);
  return problems;
}
