import { describe, expect, it } from 'vitest';
import { signableQuery, verifyShopifyCallback } from './verify-callback.js';

// The example of Shopify's OAuth documentation: secret "hush".
const DOCUMENTED =
  'code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173';

describe('verifyShopifyCallback', () => {
  it('accepts the documented example and refuses it under another secret', async () => {
    expect(await verifyShopifyCallback(new URLSearchParams(DOCUMENTED), { clientSecret: 'hush' })).toBe(true);
    expect(await verifyShopifyCallback(new URLSearchParams(DOCUMENTED), { clientSecret: 'hush!' })).toBe(false);
    expect(await verifyShopifyCallback(new URLSearchParams(DOCUMENTED), {})).toBe(false);
  });

  it('signs every parameter but hmac and signature, sorted and form-encoded, whatever their order', async () => {
    const params = new URLSearchParams(DOCUMENTED);
    expect(signableQuery(params)).toBe(
      'code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173',
    );
    const shuffled = new URLSearchParams([...params].reverse());
    shuffled.set('signature', 'ignored');
    expect(await verifyShopifyCallback(shuffled, { clientSecret: 'hush' })).toBe(true);
    expect(signableQuery(new URLSearchParams('b=a b&a=x%3Dy&hmac=1'))).toBe('a=x%3Dy&b=a%20b');
  });

  it('refuses a changed value, an extra parameter, a malformed or repeated hmac', async () => {
    const cases = [
      DOCUMENTED.replace('timestamp=1337178173', 'timestamp=1337178174'),
      `${DOCUMENTED}&extra=1`,
      DOCUMENTED.replace(/hmac=[0-9a-f]+/, 'hmac=700e2dadb827fcc8'),
      DOCUMENTED.replace(/hmac=[0-9a-f]+/, 'hmac='),
      `${DOCUMENTED}&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf`,
    ];
    for (const query of cases)
      expect(await verifyShopifyCallback(new URLSearchParams(query), { clientSecret: 'hush' }), query).toBe(false);
  });

  it('refuses a shop that is not a myshopify.com host even when the signature matches', async () => {
    const { createHmac } = await import('node:crypto');
    for (const shop of [
      'evil.example',
      'some-shop.myshopify.com.evil.example',
      'some-shop.myshopify.com/x',
      '-x.myshopify.com',
    ]) {
      const params = new URLSearchParams({ code: 'c0de', shop, state: 's', timestamp: '1337178173' });
      params.set('hmac', createHmac('sha256', 'hush').update(signableQuery(params)).digest('hex'));
      expect(await verifyShopifyCallback(params, { clientSecret: 'hush' }), shop).toBe(false);
    }
  });

  it('refuses a signed callback for another shop than the one the merchant started with', async () => {
    const { createHmac } = await import('node:crypto');
    const params = new URLSearchParams({
      code: 'c0de',
      shop: 'other-shop.myshopify.com',
      state: 's',
      timestamp: '1337178173',
    });
    params.set('hmac', createHmac('sha256', 'hush').update(signableQuery(params)).digest('hex'));
    expect(await verifyShopifyCallback(params, { clientSecret: 'hush', userValues: { shop: 'acme' } })).toBe(false);
    expect(await verifyShopifyCallback(params, { clientSecret: 'hush', userValues: { shop: 'Other-Shop' } })).toBe(
      true,
    );
  });
});
