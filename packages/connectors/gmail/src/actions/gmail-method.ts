import { type Action, type HttpMethod, type QueryValue, defineAction } from '@plugboard/core';
import { type GeneratedJsonSchema, zodFromJsonSchema } from './json-schema-input.js';
import { uploadRequest } from './media-upload.js';

/** One Gmail API method as scripts/generate.mjs writes it into src/generated/. */
export interface GmailMethod {
  /** The action name (see the naming rule in scripts/generate.mjs). */
  name: string;
  /** Google's method id, `gmail.users.settings.filters.list`. */
  id: string;
  httpMethod: HttpMethod;
  /** Relative to the connector's base URL (`.../gmail/v1`). */
  path: string;
  pathParameters: string[];
  queryParameters: string[];
  /** The request body's top-level fields; absent when the method takes no body. */
  bodyFields?: string[];
  description: string;
  effects: { readOnly?: boolean; destructive?: boolean; idempotent?: boolean };
  scopes: string[];
  /** Methods that also take the message as RFC 822 through Google's upload endpoint. */
  mediaUpload?: { path: string; maxSize: number; accept: string[] };
  inputJsonSchema: GeneratedJsonSchema & { properties: Record<string, GeneratedJsonSchema> };
}

export interface GeneratedActionOptions {
  /** The connector's base URL, from which the upload URL is derived (`/upload` before its path). */
  baseUrl: string;
  /** Above this many bytes of RFC 822 message, a media method sends it through the upload endpoint. */
  uploadThresholdBytes: number;
}

/** An action that sends one Gmail method's request: path, query and body fields from its input. */
export function gmailMethodAction(method: GmailMethod, options: GeneratedActionOptions): Action {
  return defineAction({
    name: method.name,
    description: method.description,
    tags: ['generated', method.id.split('.').slice(2, -1).join('.') || 'users'],
    effects: method.effects,
    scopes: method.scopes,
    inputJsonSchema: method.inputJsonSchema as unknown as Record<string, unknown>,
    input: () => zodFromJsonSchema(method.inputJsonSchema),
    run: async ({ input, request }) => {
      const values = input as Record<string, unknown>;
      const pathParams: Record<string, string> = {};
      for (const name of method.pathParameters) pathParams[name] = String(values[name]);
      const query: Record<string, QueryValue> = {};
      for (const name of method.queryParameters)
        if (values[name] !== undefined) query[name] = values[name] as QueryValue;
      let body: Record<string, unknown> | undefined;
      if (method.bodyFields !== undefined) {
        body = {};
        for (const name of method.bodyFields) {
          // Google's resources repeat their id in the body: it takes the path parameter's value.
          const value = method.pathParameters.includes(name) ? pathParams[name] : values[name];
          if (value !== undefined) body[name] = value;
        }
      }
      const upload = method.mediaUpload && body ? uploadRequest(method, body, options) : undefined;
      const response = await request(
        upload
          ? { ...upload, pathParams, query: { ...query, ...upload.query } }
          : { method: method.httpMethod, path: method.path, pathParams, query, ...(body ? { body } : {}) },
      );
      return response.data;
    },
  });
}
