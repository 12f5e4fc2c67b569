import { describe, expect, it } from 'vitest';
import type { IntegrationRecord } from './store.js';
import { memoryStore } from './memory-store.js';

function integration(authConfig: Record<string, unknown>): IntegrationRecord {
  return {
    id: 'int-1',
    app: 'acme',
    authMode: 'OAUTH2',
    name: 'acme',
    authConfig,
    usesDefaultOAuthApp: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('memoryStore reads', () => {
  it('return deep copies of nested values, which a reader can change without touching what is stored', async () => {
    const store = memoryStore();
    await store.saveIntegration(
      integration({ scopes: ['repo', 'user'], endpoints: { token: { url: 'https://acme.test/token' } } }),
    );
    const read = (await store.getIntegration('int-1')) as IntegrationRecord;
    (read.authConfig['scopes'] as string[]).push('admin');
    (read.authConfig['endpoints'] as { token: { url: string } }).token.url = 'https://evil.test';
    expect((await store.getIntegration('int-1'))?.authConfig).toEqual({
      scopes: ['repo', 'user'],
      endpoints: { token: { url: 'https://acme.test/token' } },
    });
    const [listed] = await store.listIntegrations();
    expect(listed?.authConfig['scopes']).not.toBe(read.authConfig['scopes']);
  });

  it('keep what structuredClone keeps: dates, a "__proto__" key, and deep or cyclic values', async () => {
    const store = memoryStore();
    const config: Record<string, unknown> = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    config['since'] = new Date('2026-01-02T00:00:00.000Z');
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 100; level++) deep = { next: deep };
    config['deep'] = deep;
    const cyclic: Record<string, unknown> = { name: 'cycle' };
    cyclic['self'] = cyclic;
    config['cyclic'] = cyclic;
    await store.saveIntegration(integration(config));
    const read = (await store.getIntegration('int-1')) as IntegrationRecord;
    expect(Object.hasOwn(read.authConfig, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(read.authConfig)).toBe(Object.prototype);
    expect(read.authConfig['since']).toEqual(new Date('2026-01-02T00:00:00.000Z'));
    expect(read.authConfig['since']).not.toBe(config['since']);
    let walked = read.authConfig['deep'] as Record<string, unknown>;
    for (let level = 0; level < 100; level++) walked = walked['next'] as Record<string, unknown>;
    expect(walked).toEqual({ leaf: true });
    const readCycle = read.authConfig['cyclic'] as Record<string, unknown>;
    expect(readCycle['self']).toBe(readCycle);
  });
});
