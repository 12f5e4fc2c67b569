// Smoke test of the published @plugboard/webhooks, run by check-packages.mjs with plain node in an npm
// project outside the workspace (it and core installed from the registry): the Standard Webhooks
// specification's test vector is signed and verified, and a tampered or replayed message is refused.
import assert from 'node:assert/strict';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookPayloadsOf } from '@plugboard/webhooks';

const vector = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: new Date(1_614_265_330_000),
  body: '{"test": 2432232314}',
});
assert.equal(vector['webhook-signature'], 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');

const secret = generateWebhookSecret();
const [active] = webhookPayloadsOf({
  type: 'connection.status_changed',
  at: new Date().toISOString(),
  previousStatus: 'INITIATED',
  connection: {
    id: 'conn_1',
    integrationId: 'int_1',
    app: 'github',
    authMode: 'OAUTH2',
    entityId: 'user-42',
    status: 'ACTIVE',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  },
});
const body = JSON.stringify(active);
const headers = signWebhook(secret, { id: 'msg_smoke', timestamp: new Date(), body });
assert.equal(verifyWebhook(secret, new Headers(headers), body).type, 'connection.active');
assert.throws(() => verifyWebhook(secret, headers, body.replace('user-42', 'user-43')), {
  code: 'WEBHOOK_VERIFICATION_FAILED',
});
const old = signWebhook(secret, { id: 'msg_smoke', timestamp: new Date(Date.now() - 10 * 60_000), body });
assert.throws(() => verifyWebhook(secret, old, body), { code: 'WEBHOOK_VERIFICATION_FAILED' });
console.log('webhooks smoke: 4 checks passed');
