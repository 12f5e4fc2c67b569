import { PlugboardError } from '@plugboard/core';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WebhookPayload } from './webhook-events.js';

/**
 * How far a webhook's timestamp may be from the receiver's clock, either way: 5 minutes, as
 * Standard Webhooks recommends and its library enforces. An older message is refused as a replay.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{22,}={0,2}$/;

/** The headers a receiver reads: a `Headers` object (fetch, Hono, Next.js) or a plain record (Node, Express). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * A new endpoint secret: `whsec_` and 24 random bytes in base64, the Standard Webhooks form.
 * The server shows it once, when the endpoint is created.
 */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** The three Standard Webhooks headers of one message. */
// A type, not an interface, so it passes where a plain header record is expected.
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * Signs a message: `webhook-signature` is `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`
 * under the secret's bytes. The sender keeps the id across retries, so receivers can drop duplicates.
 * Given several secrets (an endpoint whose secret is being rotated), it signs with each and lists
 * the signatures separated by spaces, as the specification allows: a receiver holding either
 * secret accepts the message.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export function signWebhook(
  secret: string | readonly string[],
  message: { id: string; timestamp: Date; body: string },
): WebhookSignatureHeaders {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new PlugboardError('INVALID_PARAMS', 'signWebhook needs at least one secret.');
  const signatures = secrets.map((each) => webhookOf(each).sign(message.id, message.timestamp, message.body));
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * Checks a webhook a receiver got and returns its payload: the signature must be one the secret
 * made over this exact body (read the raw body; do not re-serialize parsed JSON), and the
 * timestamp within {@link WEBHOOK_TOLERANCE_SECONDS} of now. Anything else throws
 * `WEBHOOK_VERIFICATION_FAILED`, whose message never repeats the secret or a signature.
 * @example
 * const payload = verifyWebhook(process.env.WEBHOOK_SECRET, request.headers, await request.text());
 * if (payload.type === 'connection.active') await markConnected(payload.data.connection.entityId);
 */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array): WebhookPayload {
  const webhook = webhookOf(secret);
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  try {
    return webhook.verify(text, plainHeaders(headers)) as WebhookPayload;
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      throw new PlugboardError('WEBHOOK_VERIFICATION_FAILED', `The webhook was refused: ${reasonOf(error.message)}.`);
    }
    // A signed body that is not JSON: the sender is not a Plugboard server.
    throw new PlugboardError('WEBHOOK_VERIFICATION_FAILED', 'The webhook was refused: its signed body is not JSON.');
  }
}

function webhookOf(secret: string): Webhook {
  if (typeof secret !== 'string' || !SECRET_PATTERN.test(secret)) {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      'A webhook secret is "whsec_" followed by base64 (the secret shown once when the endpoint was created).',
    );
  }
  return new Webhook(secret);
}

function plainHeaders(headers: WebhookHeaders): Record<string, string> {
  const plain: Record<string, string> = {};
  const names = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];
  if (typeof (headers as Headers).get === 'function') {
    for (const name of names) {
      const value = (headers as Headers).get(name);
      if (value !== null) plain[name] = value;
    }
    return plain;
  }
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!names.includes(lower) || value === undefined) continue;
    plain[lower] = Array.isArray(value) ? value.join(' ') : value;
  }
  return plain;
}

// The library's messages, said for people: which check failed and what it means.
function reasonOf(message: string): string {
  if (/missing/i.test(message)) return 'the webhook-id, webhook-timestamp or webhook-signature header is missing';
  if (/too old/i.test(message)) return 'its timestamp is more than 5 minutes old (a replay, or a clock far off)';
  if (/too new/i.test(message)) return 'its timestamp is more than 5 minutes in the future (a clock far off)';
  if (/invalid signature headers/i.test(message)) return 'its webhook-timestamp is not a number of seconds';
  return 'no signature matches the body and the secret';
}
