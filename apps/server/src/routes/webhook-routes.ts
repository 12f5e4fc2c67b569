import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from '@plugboard/webhooks';
import { requireScope } from '../http/authenticate.js';
import { problemOf, problemResponse } from '../http/problem.js';
import { createRouter } from '../http/router.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookOutbox } from '../webhooks/webhook-outbox.js';
import { idParam, jsonBody, jsonResponse, problemResponses } from './fields.js';

// A rotated secret keeps signing next to the new one for a day unless told otherwise, a week at most.
const DEFAULT_KEEP_PREVIOUS_SECONDS = 24 * 60 * 60;
const MAX_KEEP_PREVIOUS_SECONDS = 7 * 24 * 60 * 60;

const eventTypeField = z.enum(WEBHOOK_EVENT_TYPES).openapi('WebhookEventType', {
  description: 'A webhook event. `action.failed` is delivered only to endpoints that name it.',
});

const endpointField = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(eventTypeField),
    createdAt: z.string(),
  })
  .openapi('WebhookEndpoint', { description: 'Where webhooks go; its secret is shown once, when created.' });

const attemptField = z
  .object({
    at: z.string(),
    durationMs: z.number().int(),
    responseStatus: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The receiver's HTTP status; null without a response." }),
    error: z.string().nullable().openapi({
      description: 'Why the attempt failed: `HTTP_<status>`, `TIMEOUT`, `ECONNREFUSED`, ...',
      example: 'HTTP_503',
    }),
  })
  .openapi('WebhookAttempt');

const deliveryField = z
  .object({
    id: z.string().openapi({ description: 'The `webhook-id` header of every attempt.', example: 'msg_4f0c9e2a...' }),
    eventType: eventTypeField,
    status: z.enum(['pending', 'delivered', 'failed']).openapi({
      description:
        '`pending` until a 2xx answer (`delivered`) or the end of the retry window (`failed`, after 24 hours).',
    }),
    attemptCount: z.number().int(),
    lastResponseStatus: z.number().int().nullable(),
    nextAttemptAt: z.string().nullable().openapi({ description: 'When the next attempt is due, while `pending`.' }),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    attempts: z.array(attemptField),
    payload: z.record(z.string(), z.unknown()).openapi({ description: 'The body sent: `{ type, timestamp, data }`.' }),
  })
  .openapi('WebhookDelivery');

const endpointId = z.object({ id: idParam('id', 'The webhook endpoint id.') });

function showEndpoint(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description ?? null,
    events: endpoint.events,
    createdAt: endpoint.createdAt,
  };
}

function showDelivery(delivery: WebhookDelivery) {
  const last = delivery.attempts.at(-1);
  return {
    id: delivery.id,
    eventType: delivery.eventType,
    status: delivery.status,
    attemptCount: delivery.attempts.length,
    lastResponseStatus: last?.responseStatus ?? null,
    nextAttemptAt: delivery.nextAttemptAt ?? null,
    createdAt: delivery.createdAt,
    finishedAt: delivery.finishedAt ?? null,
    attempts: delivery.attempts.map((attempt) => ({
      at: attempt.at,
      durationMs: attempt.durationMs,
      responseStatus: attempt.responseStatus ?? null,
      error: attempt.error ?? null,
    })),
    payload: JSON.parse(delivery.body) as Record<string, unknown>,
  };
}

export function webhookRoutes(outbox: WebhookOutbox) {
  const app = createRouter();
  app.use('/webhook-endpoints', requireScope('admin'));
  app.use('/webhook-endpoints/*', requireScope('admin'));

  const notFound = (c: { get(name: 'requestId'): string }, id: string) =>
    problemResponse({
      ...problemOf({ code: 'NOT_FOUND', message: `No webhook endpoint with id ${id} in this project.` }),
      requestId: c.get('requestId'),
    });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhook-endpoints',
      operationId: 'createWebhookEndpoint',
      tags: ['Webhooks'],
      summary: 'Register a webhook endpoint',
      description:
        'Events of this project are POSTed to `url`, signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`, ' +
        '`webhook-signature`: HMAC-SHA256 with the `whsec_` secret returned here, once). Without `events`: every ' +
        '`connection.*` event; `action.failed` only when listed. Verify with `verifyWebhook` of `@plugboard/webhooks`.',
      request: {
        body: jsonBody(
          z
            .object({
              url: z
                .string()
                .url()
                .refine((value) => /^https?:\/\//i.test(value), 'The URL must be http or https.')
                .openapi({ example: 'https://myapp.example/webhooks/plugboard' }),
              events: z.array(eventTypeField).min(1).optional(),
              description: z.string().max(500).optional(),
            })
            .openapi('CreateWebhookEndpoint'),
        ),
      },
      responses: {
        201: jsonResponse(
          'The endpoint, and its secret, shown this once.',
          z
            .object({
              endpoint: endpointField,
              secret: z.string().openapi({
                description: 'The signing secret (`whsec_...`). Shown this once: keep it where your receiver reads it.',
              }),
            })
            .openapi('CreatedWebhookEndpoint'),
        ),
        ...problemResponses(400, 403, 413),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const events = [...new Set(body.events ?? DEFAULT_WEBHOOK_EVENT_TYPES)];
      const { endpoint, secret } = await outbox.createEndpoint({
        projectId: c.get('project').id,
        url: body.url,
        description: body.description,
        events,
      });
      return c.json({ endpoint: showEndpoint(endpoint), secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhook-endpoints',
      operationId: 'listWebhookEndpoints',
      tags: ['Webhooks'],
      summary: 'List webhook endpoints',
      responses: {
        200: jsonResponse("The project's endpoints, oldest first.", z.object({ items: z.array(endpointField) })),
        ...problemResponses(403),
      },
    }),
    async (c) => c.json({ items: (await outbox.listEndpoints(c.get('project').id)).map(showEndpoint) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhook-endpoints/{id}',
      operationId: 'getWebhookEndpoint',
      tags: ['Webhooks'],
      summary: 'Get a webhook endpoint',
      request: { params: endpointId },
      responses: { 200: jsonResponse('The endpoint.', endpointField), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const endpoint = await outbox.getEndpoint(c.get('project').id, id);
      return endpoint ? c.json(showEndpoint(endpoint), 200) : (notFound(c, id) as never);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/webhook-endpoints/{id}',
      operationId: 'deleteWebhookEndpoint',
      tags: ['Webhooks'],
      summary: 'Delete a webhook endpoint',
      description: 'Nothing more is sent to it; its pending deliveries and its delivery log go with it.',
      request: { params: endpointId },
      responses: { 204: { description: 'Deleted.' }, ...problemResponses(403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return (await outbox.deleteEndpoint(c.get('project').id, id)) ? c.body(null, 204) : (notFound(c, id) as never);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhook-endpoints/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      tags: ['Webhooks'],
      summary: "An endpoint's delivery log",
      description:
        'Each event sent to the endpoint, newest first: its attempts with the response code, its status and when the ' +
        'next attempt is due. Failed attempts are retried with exponential backoff and jitter for 24 hours.',
      request: {
        params: endpointId,
        query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
      responses: {
        200: jsonResponse('The deliveries.', z.object({ items: z.array(deliveryField) })),
        ...problemResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const projectId = c.get('project').id;
      if (!(await outbox.getEndpoint(projectId, id))) return notFound(c, id) as never;
      const deliveries = await outbox.listDeliveries(projectId, id, c.req.valid('query').limit);
      return c.json({ items: deliveries.map(showDelivery) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhook-endpoints/{id}/rotate-secret',
      operationId: 'rotateWebhookEndpointSecret',
      tags: ['Webhooks'],
      summary: "Rotate a webhook endpoint's secret",
      description:
        'Returns a new secret, once. Until `previousSecretExpiresAt` every message carries two signatures in ' +
        '`webhook-signature` (new and old secret), so the receiver can switch to the new secret whenever it likes ' +
        'within that time without refusing a message. `keepPreviousForSeconds=0` stops the old secret at once.',
      request: {
        params: endpointId,
        query: z.object({
          keepPreviousForSeconds: z.coerce
            .number()
            .int()
            .min(0)
            .max(MAX_KEEP_PREVIOUS_SECONDS)
            .default(DEFAULT_KEEP_PREVIOUS_SECONDS)
            .openapi({ description: 'How long the old secret keeps signing: 24 hours by default, at most 7 days.' }),
        }),
      },
      responses: {
        200: jsonResponse(
          'The endpoint, its new secret (shown this once), and until when the old one still signs.',
          z
            .object({ endpoint: endpointField, secret: z.string(), previousSecretExpiresAt: z.string() })
            .openapi('RotatedWebhookSecret'),
        ),
        ...problemResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { keepPreviousForSeconds } = c.req.valid('query');
      const rotated = await outbox.rotateSecret(c.get('project').id, id, keepPreviousForSeconds * 1000);
      if (!rotated) return notFound(c, id) as never;
      return c.json(
        {
          endpoint: showEndpoint(rotated.endpoint),
          secret: rotated.secret,
          previousSecretExpiresAt: rotated.previousSecretExpiresAt,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhook-endpoints/{id}/deliveries/{deliveryId}/resend',
      operationId: 'resendWebhookDelivery',
      tags: ['Webhooks'],
      summary: 'Re-send a delivery now',
      description:
        'One more attempt, made now, of a `failed` or `delivered` delivery, with the same `webhook-id` and a fresh ' +
        'signature; the answer is the delivery after it. A 2xx makes it `delivered`; otherwise it keeps its status and ' +
        'nothing more is scheduled. A `pending` delivery is refused with `DELIVERY_PENDING`: it is being retried.',
      request: {
        params: endpointId.extend({ deliveryId: idParam('deliveryId', 'The delivery id (its `webhook-id`).') }),
      },
      responses: {
        200: jsonResponse('The delivery with the new attempt in its log.', deliveryField),
        ...problemResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      const delivery = await outbox.resendDelivery(c.get('project').id, id, deliveryId);
      if (!delivery)
        return problemResponse({
          ...problemOf({
            code: 'NOT_FOUND',
            message: `No delivery ${deliveryId} of webhook endpoint ${id} in this project.`,
          }),
          requestId: c.get('requestId'),
        }) as never;
      if (delivery.status === 'pending')
        return problemResponse({
          ...problemOf({
            code: 'DELIVERY_PENDING',
            message: `Delivery ${deliveryId} is still being retried; its next attempt is due at ${delivery.nextAttemptAt}.`,
          }),
          requestId: c.get('requestId'),
        }) as never;
      return c.json(showDelivery(delivery), 200);
    },
  );

  return app;
}
