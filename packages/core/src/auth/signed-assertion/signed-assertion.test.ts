import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../spec/action.js';
import { CONNECTOR_SPEC_VERSION, defineConnector } from '../../spec/connector.js';
import { createToolset } from '../../toolset/create-toolset.js';
import { signedAssertionScheme } from './settings.js';
import { signAssertion, toPkcs8Pem } from './sign-assertion.js';

// GitHub hands out PKCS#1 ("RSA PRIVATE KEY") PEM files.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PKCS1_PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const PKCS8_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const settings = signedAssertionScheme({
  issuerField: 'app_id',
  privateKeyField: 'private_key',
  fields: [],
  exchange: { url: '/app/installations/{installation_id}/access_tokens', subjectField: 'installation_id' },
}).signedAssertion as NonNullable<ReturnType<typeof signedAssertionScheme>['signedAssertion']>;

describe('signAssertion', () => {
  it('reads PKCS#1 and PKCS#8 keys and signs RS256 with iss, iat 60 s back and exp = iat + 600', async () => {
    expect(toPkcs8Pem(PKCS8_PEM)).toBe(PKCS8_PEM.trim());
    const converted = createPublicKey(toPkcs8Pem(PKCS1_PEM)).export({ type: 'spki', format: 'pem' });
    expect(converted).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    const now = Math.floor(Date.now() / 1000);
    for (const pem of [PKCS1_PEM, PKCS8_PEM]) {
      const { jwt, expiresAt } = await signAssertion(settings, { issuer: '12345', privateKey: pem }, now);
      const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, { issuer: '12345' });
      expect(protectedHeader.alg).toBe('RS256');
      expect(payload.iat).toBe(now - 60);
      expect(payload.exp).toBe(now + 540);
      expect(expiresAt).toBe(new Date((now + 540) * 1000).toISOString());
    }
  });

  it('refuses a key that is not a PEM private key, without echoing it', async () => {
    const error = await signAssertion(settings, { issuer: '1', privateKey: 'not-a-key-s3cret' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'INVALID_AUTH_CONFIG' });
    expect(String((error as Error).message)).not.toContain('s3cret');
  });
});

describe('SIGNED_ASSERTION connections', () => {
  function setup(expiresInMs: number) {
    const exchanges: string[] = [];
    const apiCalls: string[] = [];
    let issued = 0;
    // Installations the account removed: GitHub answers their token request with 404.
    const uninstalled = new Set<string>();
    const fetchFunction = async (input: Request | URL | string, init?: RequestInit): Promise<Response> => {
      const url = new URL(String(input));
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      if (url.pathname.endsWith('/access_tokens')) {
        // Checks the assertion as GitHub does: signature, issuer, times.
        const { payload } = await jwtVerify(authorization.replace(/^Bearer /, ''), publicKey, { issuer: '12345' });
        expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(600);
        exchanges.push(url.pathname);
        if (uninstalled.has(url.pathname.split('/')[3] ?? ''))
          return Response.json({ message: 'Not Found' }, { status: 404 });
        await new Promise((resolve) => setTimeout(resolve, 20));
        issued += 1;
        return Response.json(
          { token: `ghs_installation${issued}`, expires_at: new Date(Date.now() + expiresInMs).toISOString() },
          { status: 201 },
        );
      }
      apiCalls.push(authorization);
      return Response.json({ ok: true });
    };
    const connector = defineConnector({
      id: 'hub',
      name: 'Hub',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: 'https://api.hub.test',
      authSchemes: [
        signedAssertionScheme({
          issuerField: 'app_id',
          privateKeyField: 'private_key',
          fields: [
            {
              name: 'app_id',
              displayName: 'App ID',
              required: true,
              secret: false,
              type: 'string',
              suppliedBy: 'developer',
            },
            {
              name: 'private_key',
              displayName: 'Private key',
              required: true,
              secret: true,
              type: 'string',
              suppliedBy: 'developer',
            },
            {
              name: 'installation_id',
              displayName: 'Installation ID',
              required: false,
              secret: false,
              type: 'string',
              suppliedBy: 'user',
              pattern: '[0-9]+',
            },
          ],
          exchange: { url: '/app/installations/{installation_id}/access_tokens', subjectField: 'installation_id' },
        }),
      ],
      actions: [
        defineAction({
          name: 'HUB_GET_THING',
          description: 'Get a thing.',
          input: z.object({}),
          request: 'GET /thing',
        }),
      ],
    });
    const toolset = createToolset({ connectors: [connector], fetch: fetchFunction });
    return { toolset, exchanges, apiCalls, uninstalled };
  }

  it('exchanges the assertion for an installation token, uses it, and renews it single-flight near expiry', async () => {
    const { toolset, exchanges, apiCalls } = setup(30_000);
    const integration = await toolset.createIntegration({
      app: 'hub',
      authMode: 'SIGNED_ASSERTION',
      authConfig: { app_id: '12345', private_key: PKCS1_PEM },
    });
    const request = await toolset.initiateConnection({
      integrationId: integration.id,
      connectedAccountParams: { installation_id: '42' },
    });
    expect(request.connectionStatus).toBe('ACTIVE');
    expect(exchanges).toEqual(['/app/installations/42/access_tokens']);
    // The token expires within the refresh margin (60 s): two concurrent calls share one renewal.
    const results = await Promise.all([
      toolset.executeAction('HUB_GET_THING', {}, { connectedAccountId: request.connectedAccountId }),
      toolset.executeAction('HUB_GET_THING', {}, { connectedAccountId: request.connectedAccountId }),
    ]);
    expect(results.map((result) => result.successful)).toEqual([true, true]);
    expect(exchanges).toHaveLength(2);
    expect(apiCalls).toEqual(['Bearer ghs_installation2', 'Bearer ghs_installation2']);
  });

  it('keeps a token far from expiry, and uses the assertion itself for an app-level connection', async () => {
    const { toolset, exchanges, apiCalls } = setup(3_600_000);
    const integration = await toolset.createIntegration({
      app: 'hub',
      authMode: 'SIGNED_ASSERTION',
      authConfig: { app_id: '12345', private_key: PKCS8_PEM },
    });
    const installation = await toolset.initiateConnection({
      integrationId: integration.id,
      entityId: 'installation',
      connectedAccountParams: { installation_id: '7' },
    });
    await toolset.executeAction('HUB_GET_THING', {}, { connectedAccountId: installation.connectedAccountId });
    await toolset.executeAction('HUB_GET_THING', {}, { connectedAccountId: installation.connectedAccountId });
    expect(exchanges).toHaveLength(1);
    const app = await toolset.initiateConnection({ integrationId: integration.id, entityId: 'app' });
    await toolset.executeAction('HUB_GET_THING', {}, { connectedAccountId: app.connectedAccountId });
    const bearer = (apiCalls.at(-1) ?? '').replace(/^Bearer /, '');
    await expect(jwtVerify(bearer, publicKey, { issuer: '12345' })).resolves.toBeDefined();
    expect(exchanges).toHaveLength(1);
  });

  it('re-connects in place when the app was installed again: same id, the new installation, ACTIVE', async () => {
    const { toolset, exchanges, apiCalls, uninstalled } = setup(3_600_000);
    const integration = await toolset.createIntegration({
      app: 'hub',
      authMode: 'SIGNED_ASSERTION',
      authConfig: { app_id: '12345', private_key: PKCS8_PEM },
    });
    const { connectedAccountId: id } = await toolset.initiateConnection({
      integrationId: integration.id,
      entityId: 'acme-org',
      connectedAccountParams: { installation_id: '42' },
    });
    // The account removes the app: renewing the installation token is refused.
    uninstalled.add('42');
    await expect(toolset.refreshConnection(id)).rejects.toMatchObject({ code: 'NEEDS_REAUTH' });
    expect(await toolset.getConnection(id)).toMatchObject({
      status: 'EXPIRED',
      statusReason: { code: 'NEEDS_REAUTH' },
    });

    // Re-connecting with the removed installation is refused and changes nothing.
    await expect(
      toolset.initiateConnection({ connectionId: id, connectedAccountParams: { installation_id: '42' } }),
    ).rejects.toMatchObject({ code: 'INVALID_CONNECTION_PARAMS' });
    expect((await toolset.getConnection(id)).status).toBe('EXPIRED');

    // Installed again, under a new installation id.
    const request = await toolset.initiateConnection({
      connectionId: id,
      connectedAccountParams: { installation_id: '43' },
    });
    expect(request).toMatchObject({ connectedAccountId: id, connectionStatus: 'ACTIVE' });
    expect(await toolset.getConnection(id)).toMatchObject({ id, entityId: 'acme-org', status: 'ACTIVE' });
    expect(exchanges.at(-1)).toBe('/app/installations/43/access_tokens');
    expect(await toolset.listConnections()).toHaveLength(1);
    const result = await toolset.executeAction('HUB_GET_THING', {}, { connectedAccountId: id });
    expect(result.successful).toBe(true);
    // Two tokens issued in all: for installation 42 at first, for 43 now (the two 404s issued none).
    expect(apiCalls.at(-1)).toBe('Bearer ghs_installation2');
  });
});
