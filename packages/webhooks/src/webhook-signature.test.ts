import { createHmac } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature.js';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1_614_265_330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const body = JSON.stringify({
  type: 'connection.active',
  timestamp: '2026-12-05T18:00:00.000Z',
  data: { connection: { id: 'c1', entityId: 'user-42', status: 'ACTIVE' } },
});

function refusal(run: () => unknown): PlugboardError {
  try {
    run();
  } catch (error) {
    if (PlugboardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected verifyWebhook to refuse the message');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('signWebhook', () => {
  it("reproduces the specification's test vector", () => {
    const headers = signWebhook(VECTOR.secret, {
      id: VECTOR.id,
      timestamp: new Date(VECTOR.timestamp * 1000),
      body: VECTOR.body,
    });
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    });
  });

  it("is the HMAC-SHA256 of id.timestamp.body under the secret's bytes", () => {
    const secret = generateWebhookSecret();
    const timestamp = new Date();
    const headers = signWebhook(secret, { id: 'msg_abc', timestamp, body });
    const seconds = Math.floor(timestamp.getTime() / 1000);
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(`msg_abc.${seconds}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('signs with every secret given (a rotation): a receiver holding either one accepts, a third is refused', () => {
    const [previous, current, stranger] = [generateWebhookSecret(), generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook([current, previous], { id: 'msg_rotating', timestamp: new Date(), body });
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toEqual([
      signWebhook(current, {
        id: 'msg_rotating',
        timestamp: new Date(Number(headers['webhook-timestamp']) * 1000),
        body,
      })['webhook-signature'],
      signWebhook(previous, {
        id: 'msg_rotating',
        timestamp: new Date(Number(headers['webhook-timestamp']) * 1000),
        body,
      })['webhook-signature'],
    ]);
    expect(verifyWebhook(previous, headers, body).type).toBe('connection.active');
    expect(verifyWebhook(current, headers, body).type).toBe('connection.active');
    expect(refusal(() => verifyWebhook(stranger, headers, body)).code).toBe('WEBHOOK_VERIFICATION_FAILED');
    expect(refusal(() => signWebhook([], { id: 'msg_none', timestamp: new Date(), body })).code).toBe('INVALID_PARAMS');
  });
});

describe('verifyWebhook', () => {
  it('accepts the test vector within 5 minutes of its timestamp, with Headers or a plain record', () => {
    vi.useFakeTimers({ now: (VECTOR.timestamp + 299) * 1000 });
    const record = {
      'Webhook-Id': VECTOR.id,
      'webhook-timestamp': VECTOR.timestamp.toString(),
      'webhook-signature': VECTOR.signature,
    };
    expect(verifyWebhook(VECTOR.secret, record, VECTOR.body)).toEqual({ test: 2432232314 });
    expect(verifyWebhook(VECTOR.secret, new Headers(record), new TextEncoder().encode(VECTOR.body))).toEqual({
      test: 2432232314,
    });
  });

  it('returns the payload of a message signed now', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, { id: 'msg_1', timestamp: new Date(), body });
    expect(verifyWebhook(secret, headers, body)).toEqual(JSON.parse(body));
  });

  it('refuses a tampered body, a tampered signature, another secret and a changed id', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, { id: 'msg_1', timestamp: new Date(), body });
    const signature = headers['webhook-signature'];
    const flipped = `${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`;
    const cases = [
      () => verifyWebhook(secret, headers, body.replace('user-42', 'user-43')),
      () => verifyWebhook(secret, { ...headers, 'webhook-signature': flipped }, body),
      () => verifyWebhook(generateWebhookSecret(), headers, body),
      () => verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_2' }, body),
      () => verifyWebhook(secret, { ...headers, 'webhook-signature': signature.replace('v1,', 'v2,') }, body),
    ];
    for (const run of cases) {
      const error = refusal(run);
      expect(error.code).toBe('WEBHOOK_VERIFICATION_FAILED');
      expect(error.message).toContain('no signature matches');
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain(signature.slice(3));
    }
  });

  it('refuses a correctly signed message older or newer than 5 minutes (replays)', () => {
    const secret = generateWebhookSecret();
    const old = signWebhook(secret, { id: 'msg_1', timestamp: new Date(Date.now() - 301_000), body });
    expect(refusal(() => verifyWebhook(secret, old, body)).message).toContain('more than 5 minutes old');
    const future = signWebhook(secret, { id: 'msg_1', timestamp: new Date(Date.now() + 301_000), body });
    expect(refusal(() => verifyWebhook(secret, future, body)).message).toContain('in the future');
    const stillFresh = signWebhook(secret, { id: 'msg_1', timestamp: new Date(Date.now() - 240_000), body });
    expect(verifyWebhook(secret, stillFresh, body)).toEqual(JSON.parse(body));
  });

  it('refuses missing headers and a timestamp that is not a number', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, { id: 'msg_1', timestamp: new Date(), body });
    const { 'webhook-signature': _dropped, ...unsigned } = headers;
    expect(refusal(() => verifyWebhook(secret, unsigned, body)).message).toContain('header is missing');
    expect(
      refusal(() => verifyWebhook(secret, { ...headers, 'webhook-timestamp': 'yesterday' }, body)).message,
    ).toContain('not a number');
  });

  it('refuses a secret that is not a whsec_ secret without echoing it', () => {
    const error = refusal(() => verifyWebhook('not-a-secret-value', {}, body));
    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).not.toContain('not-a-secret-value');
  });
});

describe('generateWebhookSecret', () => {
  it('makes distinct whsec_ secrets of 24 random bytes', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    }
  });
});
