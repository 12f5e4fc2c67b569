import { describe, expect, it } from 'vitest';
import { oauth1AuthorizationHeader } from './sign-request.js';

describe('OAuth 1.0a default nonces', () => {
  it('are 32 lowercase hex characters, never repeated, across many refills of the random pool', async () => {
    const credentials = {
      consumerKey: 'key',
      consumerSecret: 'secret',
      token: 'token',
      tokenSecret: 'token-secret',
      signatureMethod: 'HMAC-SHA1' as const,
    };
    const nonces = new Set<string>();
    for (let index = 0; index < 2_000; index++) {
      const header = await oauth1AuthorizationHeader(
        { method: 'GET', url: 'https://api.example.com/1/members/me' },
        credentials,
      );
      const nonce = /oauth_nonce="([^"]*)"/.exec(header)?.[1];
      expect(nonce).toMatch(/^[0-9a-f]{32}$/);
      nonces.add(nonce as string);
    }
    expect(nonces.size).toBe(2_000);
  });
});
