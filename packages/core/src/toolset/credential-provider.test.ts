import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '@plugboard/fakes';
import { acmeConnector } from '../../test/fixtures.js';
import { createToolset, defineCredentialProvider, type CredentialRequest } from '../index.js';

let server: RecordingServer;
let accepted: Set<string>;

beforeEach(async () => {
  accepted = new Set();
  server = await startRecordingServer((request) => {
    const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1] ?? '';
    return accepted.has(token) ? { json: { count: 1 } } : { status: 401, json: { message: 'Bad credentials' } };
  });
});
afterEach(async () => {
  await server.close();
});

function vault(lifetimeMs: number | undefined) {
  const asked: CredentialRequest[] = [];
  let issued = 0;
  const provider = defineCredentialProvider({
    name: 'vault',
    async getCredentials(request) {
      asked.push(request);
      await new Promise((resolve) => setTimeout(resolve, 20));
      issued += 1;
      const token = `${request.entityId}-token-${issued}`;
      accepted.add(token);
      return {
        parameters: [{ in: 'header', name: 'Authorization', value: `Bearer ${token}` }],
        ...(lifetimeMs === undefined ? {} : { expiresAt: Date.now() + lifetimeMs }),
      };
    },
  });
  return { provider, asked };
}

describe('credential providers', () => {
  it('asks once per entity, caches until the expiry it gave, and shares one request among concurrent calls', async () => {
    const { provider, asked } = vault(3_600_000);
    const toolset = createToolset({ connectors: [acmeConnector(server.url)] });
    toolset.addAuth('acme', provider);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-1' })),
    );
    expect(results.every((result) => result.successful)).toBe(true);
    await toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-2' });
    await toolset.executeAction('ACME_COUNT_THINGS', {}, { entityId: 'user-1' });
    expect(asked.map((request) => [request.app, request.entityId, request.forceRefresh])).toEqual([
      ['acme', 'user-1', false],
      ['acme', 'user-2', false],
    ]);
    expect(server.requests.map((request) => request.headers['authorization'])).toContain('Bearer user-2-token-2');
  });

  it('asks again on every call when no expiry is given, and after a 401 with forceRefresh', async () => {
    const { provider, asked } = vault(undefined);
    const toolset = createToolset({ connectors: [acmeConnector(server.url)] });
    toolset.addAuth('acme', provider);
    await toolset.executeAction('ACME_COUNT_THINGS', {});
    await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect(asked).toHaveLength(2);
    accepted.clear();
    const cached = vault(3_600_000);
    const second = createToolset({ connectors: [acmeConnector(server.url)] });
    second.addAuth('acme', cached.provider);
    await second.executeAction('ACME_COUNT_THINGS', {});
    accepted.clear(); // the API revokes the cached token
    const result = await second.executeAction('ACME_COUNT_THINGS', {});
    expect(result.successful).toBe(true);
    expect(cached.asked.map((request) => request.forceRefresh)).toEqual([false, true]);
  });

  it('turns a provider failure into CREDENTIAL_PROVIDER_ERROR without sending anything', async () => {
    const toolset = createToolset({ connectors: [acmeConnector(server.url)] });
    toolset.addAuth(
      'acme',
      defineCredentialProvider({
        name: 'broken',
        async getCredentials() {
          throw new Error('vault unreachable: token s3cr3t-value');
        },
      }),
    );
    const result = await toolset.executeAction('ACME_COUNT_THINGS', {});
    expect(result).toMatchObject({ successful: false, error: { code: 'CREDENTIAL_PROVIDER_ERROR', retryable: true } });
    expect(JSON.stringify(result)).not.toContain('s3cr3t-value');
    toolset.addAuth(
      'acme',
      defineCredentialProvider({
        name: 'malformed',
        getCredentials: async () => ({ parameters: [{ in: 'header', name: 'X', value: 'a\r\nb' }] }),
      }),
    );
    expect((await toolset.executeAction('ACME_COUNT_THINGS', {})).error?.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(server.requests).toHaveLength(0);
  });
});
