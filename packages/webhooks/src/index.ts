export {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  isWebhookEventType,
  WEBHOOK_EVENT_TYPES,
} from './webhook-events.js';
export type {
  ActionFailedEventData,
  ConnectionEventData,
  RefreshFailedEventData,
  WebhookConnection,
  WebhookEventType,
  WebhookPayload,
  WebhookPayloadOf,
} from './webhook-events.js';
export { webhookConnectionOf, webhookPayloadsOf } from './toolset-event-mapping.js';
export {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
} from './webhook-signature.js';
export type { WebhookHeaders, WebhookSignatureHeaders } from './webhook-signature.js';
