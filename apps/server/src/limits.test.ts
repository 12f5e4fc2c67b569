import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from './config.js';
import { startTestServer, type TestServer } from '../test/server-harness.js';

describe('request size and rate limits', () => {
  let harness: TestServer;
  beforeAll(async () => {
    harness = await startTestServer({ env: { PLUGBOARD_RATE_LIMIT: '3', PLUGBOARD_BODY_LIMIT: '2048' } });
  });
  afterAll(() => harness.close());

  it('answers 413 with a problem for a body over the limit, and reads nothing of it', async () => {
    const key = harness.projects[0].key;
    const big = await harness.call('/v1/integrations', {
      key,
      body: { app: 'github', authMode: 'BEARER_TOKEN', name: 'x'.repeat(4096) },
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('application/problem+json');
    expect(big.json).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Content Too Large' });
    const small = await harness.call('/v1/integrations', { key, body: { app: 'github', authMode: 'BEARER_TOKEN' } });
    expect(small.status).toBe(201);
    const listed = await harness.call('/v1/integrations', { key });
    expect(listed.json.items).toHaveLength(1);
  });

  it('answers 429 with Retry-After once a key used its minute, and other keys go on', async () => {
    const key = harness.projects[1].key;
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestServer['call']>> | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await harness.call('/v1/apps', { key });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(limited?.json).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryable: true });
    // 3 a minute: one request comes back every 20 s.
    const retryAfter = Number(limited?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(limited?.headers.get('ratelimit-limit')).toBe('3');
    // Health checks are not rate limited.
    expect((await harness.call('/healthz')).status).toBe(200);
  });
});

describe('CORS', () => {
  let closed: TestServer;
  let open: TestServer;
  beforeAll(async () => {
    [closed, open] = await Promise.all([
      startTestServer(),
      startTestServer({ env: { PLUGBOARD_CORS_ORIGINS: 'https://app.example' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([closed.close(), open.close()]);
  });

  const preflight = (server: TestServer, origin: string) =>
    server.call('/v1/apps', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

  it('is off unless configured: no Access-Control headers at all', async () => {
    const answer = await preflight(closed, 'https://app.example');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const get = await closed.call('/v1/apps', {
      key: closed.projects[0].key,
      headers: { origin: 'https://app.example' },
    });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the configured origins', async () => {
    const allowed = await preflight(open, 'https://app.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight(open, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('configuration from the environment', () => {
  it('has defaults that run with no database', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: undefined,
      publicUrl: 'http://localhost:8080',
      corsOrigins: [],
      rateLimitPerMinute: 1200,
      bodyLimitBytes: 1_048_576,
      keyCacheSeconds: 5,
    });
    expect(config.dataDir).toMatch(/\.plugboard-server$/);
  });

  it('reports every problem at once, naming the variable, and never echoes a database password', () => {
    let message = '';
    try {
      loadServerConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://root:hunter2-password@db/app',
        PLUGBOARD_PUBLIC_URL: 'ftp://files.example',
        PLUGBOARD_CORS_ORIGINS: 'app.example',
        PLUGBOARD_RATE_LIMIT: '-1',
      });
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR' });
      message = (error as Error).message;
    }
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'PLUGBOARD_SECRET_KEY',
      'PLUGBOARD_PUBLIC_URL',
      'PLUGBOARD_CORS_ORIGINS',
      'PLUGBOARD_RATE_LIMIT',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('hunter2');
  });

  it('needs PLUGBOARD_SECRET_KEY with DATABASE_URL, so every instance seals secrets alike', () => {
    expect(() => loadServerConfig({ DATABASE_URL: 'postgres://plugboard@db/plugboard' })).toThrow(
      /PLUGBOARD_SECRET_KEY is required/,
    );
    expect(
      loadServerConfig({ DATABASE_URL: 'postgres://plugboard@db/plugboard', PLUGBOARD_SECRET_KEY: 'k' }).databaseUrl,
    ).toBe('postgres://plugboard@db/plugboard');
  });
});
