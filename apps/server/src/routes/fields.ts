import { z } from '@hono/zod-openapi';
import type { CustomAuth, ExecuteOptions } from '@plugboard/core';
import { AUTH_MODES, CONNECTION_STATUSES, PLACEMENTS } from '@plugboard/core/internal';

// Shared field schemas of the API. The OpenAPI components are named after them (`.openapi('Name')`).

export const problemField = z
  .object({
    type: z.string().openapi({ example: 'urn:plugboard:error:connection-not-found' }),
    title: z.string().openapi({ example: 'Not Found' }),
    status: z.number().int().openapi({ example: 404 }),
    detail: z.string().openapi({ example: 'No connection with id 5f0c....' }),
    code: z.string().openapi({
      description: "The stable error code (the library's codes, plus the server's).",
      example: 'CONNECTION_NOT_FOUND',
    }),
    requestId: z.string().optional(),
    details: z.unknown().optional(),
    retryable: z.boolean().optional(),
  })
  .openapi('Problem', { description: 'An RFC 9457 problem (application/problem+json).' });

/** A required JSON request body. */
export function jsonBody<Schema extends z.ZodType>(schema: Schema) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON response. */
export function jsonResponse<Schema extends z.ZodType>(description: string, schema: Schema) {
  return { description, content: { 'application/json': { schema } } };
}

/** The error responses every authenticated route can give. */
export function problemResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'The request is invalid (`INVALID_PARAMS` and the other input codes); nothing was sent upstream.',
    401: 'No API key, or one that is unknown, revoked or expired (`UNAUTHENTICATED`).',
    403: "The key's scope does not allow this route (`FORBIDDEN`).",
    404: "No such record in the key's project.",
    409: "The record's state is in the way (`CONNECTION_NOT_ACTIVE`, `NO_CREDENTIALS`, ...).",
    413: 'The request body is too large (`PAYLOAD_TOO_LARGE`).',
    429: "The key's rate limit is used up (`RATE_LIMITED`); see `Retry-After`.",
  };
  const responses: Record<
    number,
    { description: string; content: { 'application/problem+json': { schema: typeof problemField } } }
  > = {};
  for (const status of [401, 429, ...statuses]) {
    responses[status] = {
      description: descriptions[status] ?? 'An error.',
      content: { 'application/problem+json': { schema: problemField } },
    };
  }
  return responses;
}

export const authModeField = z.enum(AUTH_MODES).openapi('AuthMode');
export const connectionStatusField = z.enum(CONNECTION_STATUSES).openapi('ConnectionStatus');
export const jsonObjectField = z.record(z.string(), z.unknown());

export const customAuthField = z
  .object({
    parameters: z
      .array(z.object({ name: z.string().min(1), value: z.string(), in: z.enum(PLACEMENTS) }))
      .openapi({ example: [{ name: 'Authorization', in: 'header', value: 'Bearer ghp_...' }] }),
    baseUrl: z.string().url().optional(),
    body: jsonObjectField.optional(),
  })
  .openapi('CustomAuth', { description: 'Credentials given directly for this call, bypassing stored connections.' });

/** How a call finds its credentials; the library's `CredentialOptions`. */
export const credentialFields = {
  entityId: z
    .string()
    .min(1)
    .optional()
    .openapi({ description: "Use the entity's active connection for the app.", example: 'user-42' }),
  connectedAccountId: z.string().min(1).optional().openapi({ description: 'Use this connection.' }),
  auth: customAuthField.optional(),
};

type CredentialBody = z.infer<z.ZodObject<typeof credentialFields>>;

/** The library's credential options from a request body (the types differ only in optional `undefined`s). */
export function credentialOptions(body: CredentialBody): ExecuteOptions {
  const options: ExecuteOptions = {};
  if (body.entityId !== undefined) options.entityId = body.entityId;
  if (body.connectedAccountId !== undefined) options.connectedAccountId = body.connectedAccountId;
  if (body.auth !== undefined) {
    const auth: CustomAuth = { parameters: body.auth.parameters };
    if (body.auth.baseUrl !== undefined) auth.baseUrl = body.auth.baseUrl;
    if (body.auth.body !== undefined) auth.body = body.auth.body;
    options.auth = auth;
  }
  return options;
}

export const actionResultField = z
  .object({
    successful: z.boolean(),
    data: z.unknown(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        status: z.number().int().optional(),
        retryable: z.boolean().optional(),
        details: z.unknown().optional(),
      })
      .nullable(),
  })
  .openapi('ActionResult', { description: "The library's action result: data, or an error with a stable code." });

export const authFieldField = z
  .object({
    name: z.string(),
    displayName: z.string(),
    description: z.string().optional(),
    type: z.enum(['string', 'number', 'boolean', 'string[]']),
    required: z.boolean(),
    secret: z.boolean(),
    default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
    pattern: z.string().optional(),
    suppliedBy: z.enum(['developer', 'user']),
  })
  .openapi('AuthField');

export const integrationField = z
  .object({
    id: z.string(),
    app: z.string(),
    authMode: authModeField,
    name: z.string(),
    authConfig: jsonObjectField.openapi({ description: 'Developer field values; secret fields read "[REDACTED]".' }),
    usesDefaultOAuthApp: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Integration');

export const connectionField = z
  .object({
    id: z.string(),
    integrationId: z.string(),
    app: z.string(),
    authMode: authModeField,
    entityId: z.string(),
    status: connectionStatusField,
    statusReason: z.object({ code: z.string(), message: z.string() }).optional(),
    expiresAt: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Connection', { description: 'A connection (connected account); its credentials are never returned.' });

export const idParam = (name: string, description: string) =>
  z
    .string()
    .min(1)
    .openapi({ param: { name, in: 'path' }, description });

/** A comma-separated list in a query parameter (`?tags=read,issues`). */
export const listQuery = z
  .string()
  .optional()
  .transform((value) =>
    value === undefined
      ? undefined
      : value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
  );
