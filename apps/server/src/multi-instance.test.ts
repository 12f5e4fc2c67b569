import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPostgresServer, type PostgresServer } from '@plugboard/fakes/postgres';
import { generateSecretKey } from '@plugboard/store-kit';
import {
  githubOAuth2Options,
  githubOAuthClient,
  startFakeOAuth2Server,
  startRecordingServer,
  type FakeOAuth2Server,
  type RecordingServer,
} from '@plugboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from './control/api-keys.js';
import { postgresStorage } from './projects/server-storage.js';
import { fakeGitHubRoutes, PUBLIC_URL } from '../test/server-harness.js';

// Two real server processes (the built server, as `plugboard-server` runs it) on one PostgreSQL.
const INSTANCE = fileURLToPath(new URL('../test/server-instance.mjs', import.meta.url));
const CLIENT_ID = 'Iv23liMultiInstance01';
const CLIENT_SECRET = 'multi-instance-client-secret-0123456789';
const KEY_CACHE_SECONDS = 2;

interface Instance {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

let database: PostgresServer;
let oauth: FakeOAuth2Server;
let github: RecordingServer;
let env: Record<string, string>;
let project: { id: string; key: string };
const instances: Instance[] = [];

async function startInstance(): Promise<Instance> {
  const child = spawn(process.execPath, [INSTANCE], {
    env: {
      PATH: process.env['PATH'] ?? '',
      ...env,
      PORT: '0',
      PLUGBOARD_PUBLIC_URL: PUBLIC_URL,
      // The load below is many requests from one key; the limit is tested elsewhere.
      PLUGBOARD_RATE_LIMIT: '0',
      PLUGBOARD_KEY_CACHE_SECONDS: String(KEY_CACHE_SECONDS),
      PLUGBOARD_TEST_REROUTE: JSON.stringify({
        'https://api.github.com': github.url,
        'https://github.com/login/oauth': `${oauth.url}/login/oauth`,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code, signal) => reject(new Error(`instance exited (${code ?? signal}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const instance: Instance = {
    url,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  instances.push(instance);
  return instance;
}

/** Resolves once `condition` holds; checked every 20 ms, for at most 20 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the load');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function call(
  instance: Instance,
  path: string,
  body?: unknown,
  key = project.key,
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`${instance.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    redirect: 'manual',
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {}
  return { status: response.status, json, text };
}

beforeAll(async () => {
  database = await startPostgresServer();
  env = { DATABASE_URL: database.url, PLUGBOARD_SECRET_KEY: generateSecretKey() };
  oauth = await startFakeOAuth2Server({
    ...githubOAuth2Options([]),
    // Long enough that the storm is all in flight before the first refresh answers.
    tokenDelayMs: 150,
  });
  github = await startRecordingServer(fakeGitHubRoutes((token) => oauth.isAccessTokenActive(token)));
  const storage = await postgresStorage(database.url, env);
  try {
    const created = await createProject(storage.control, { name: 'multi-instance' });
    project = { id: created.project.id, key: created.key };
  } finally {
    await storage.close();
  }
  // A GitHub App with expiring user tokens and refresh tokens that work once; its callback is this project's.
  oauth.addClient(
    githubOAuthClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      callbackUrls: [`${PUBLIC_URL}/v1/oauth/callback/${project.id}`],
      kind: 'github_app',
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(instances.map((instance) => instance.stop()));
  await oauth?.close();
  await github?.close();
  await database?.stop();
});

describe('two server processes on one PostgreSQL', () => {
  let a: Instance;
  let b: Instance;
  let connectionId: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
  }, 60_000);

  it('completes on instance B the OAuth callback of a connection initiated on instance A', async () => {
    const integration = await call(a, '/v1/integrations', {
      app: 'github',
      authMode: 'OAUTH2',
      authConfig: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    });
    expect(integration.status).toBe(201);
    const initiated = await call(a, '/v1/connections', { integrationId: integration.json['id'], entityId: 'storm' });
    expect(initiated.status).toBe(201);
    expect(initiated.json['status']).toBe('INITIATED');
    connectionId = initiated.json['id'] as string;

    // The provider's consent step, then the user's browser lands on the callback, served by B.
    const consent = await fetch(
      (initiated.json['redirectUrl'] as string).replace('https://github.com/login/oauth', `${oauth.url}/login/oauth`),
      { redirect: 'manual' },
    );
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location') as string);
    expect(callback.origin).toBe(PUBLIC_URL);
    const landed = await fetch(`${b.url}${callback.pathname}${callback.search}`);
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('connected');
    expect(oauth.counters.authorizationCodeGrants).toBe(1);

    for (const instance of [a, b]) {
      const seen = await call(instance, `/v1/connections/${connectionId}`);
      expect(seen.json).toMatchObject({ status: 'ACTIVE', entityId: 'storm' });
    }
  });

  it('answers a refresh storm across both instances with exactly one token request', async () => {
    expect(connectionId).toBeDefined();
    // The token expired a minute ago, as far as the store knows; no instance has used it yet.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const updated = await client.query(
        `UPDATE "plugboard_${project.id}".connections SET expires_at = now() - interval '1 minute' WHERE id = $1`,
        [connectionId],
      );
      expect(updated.rowCount).toBe(1);
    } finally {
      await client.end();
    }
    const refreshesBefore = oauth.counters.refreshTokenGrants;
    const tokenRequestsBefore = oauth.counters.tokenRequests;

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        call(index % 2 === 0 ? a : b, '/v1/actions/GITHUB_GET_A_PULL_REQUEST/execute', {
          entityId: 'storm',
          input: { owner: 'octocat', repo: 'Hello-World', pull_number: index + 1 },
        }),
      ),
    );
    for (const [index, result] of results.entries()) {
      expect(result.status, result.text).toBe(200);
      expect(result.json).toMatchObject({ successful: true, data: { number: index + 1 } });
    }
    expect(oauth.counters.tokenRequests - tokenRequestsBefore).toBe(1);
    expect(oauth.counters.refreshTokenGrants - refreshesBefore).toBe(1);
    // Both instances used the one refreshed token.
    const refreshed = oauth.issuedTokens.at(-1)?.accessToken;
    const used = new Set(github.requests.slice(-40).map((request) => request.headers['authorization']));
    expect([...used]).toEqual([`Bearer ${refreshed}`]);
  });

  it('refuses a key revoked on A at once on A, and on B within the key cache time', async () => {
    const created = await call(a, '/v1/api-keys', { name: 'short-lived', scope: 'execute' });
    expect(created.status).toBe(201);
    const { key, apiKey } = created.json as { key: string; apiKey: { id: string } };
    // Both instances have checked (and cached) the key.
    expect((await call(a, '/v1/apps', undefined, key)).status).toBe(200);
    expect((await call(b, '/v1/apps', undefined, key)).status).toBe(200);

    expect((await call(a, `/v1/api-keys/${apiKey.id}/revoke`, {})).status).toBe(200);
    expect((await call(a, '/v1/apps', undefined, key)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, KEY_CACHE_SECONDS * 1000 + 100));
    expect((await call(b, '/v1/apps', undefined, key)).status).toBe(401);
  });

  it('loses no acknowledged write when one instance is killed with SIGKILL under load', async () => {
    const acknowledged: string[] = [];
    let refused = 0;
    let stopping = false;
    // Eight writers per instance, each creating integrations one after another until told to stop.
    const writer = async (instance: Instance, name: string) => {
      for (let index = 0; !stopping; index++) {
        try {
          const created = await call(instance, '/v1/integrations', {
            app: 'github',
            authMode: 'BEARER_TOKEN',
            name: `${name}-${index}`,
          });
          if (created.status === 201) acknowledged.push(created.json['id'] as string);
          else refused++;
        } catch {
          // The killed instance's connections break: those writes were never acknowledged.
          refused++;
          if (instance === a) return;
        }
      }
    };
    const writers = [
      ...Array.from({ length: 8 }, (_, index) => writer(a, `a${index}`)),
      ...Array.from({ length: 8 }, (_, index) => writer(b, `b${index}`)),
    ];
    // Kill A once the load is well under way, then let B go on for a while without it.
    await until(() => acknowledged.length >= 40);
    const beforeKill = acknowledged.length;
    a.child.kill('SIGKILL');
    await until(() => acknowledged.length >= beforeKill + 40);
    stopping = true;
    await Promise.all(writers);

    expect(a.child.signalCode).toBe('SIGKILL');
    expect(b.stderr()).toBe('');
    const missing: string[] = [];
    for (const id of acknowledged) {
      const read = await call(b, `/v1/integrations/${id}`);
      if (read.status !== 200) missing.push(`${id}: ${read.status}`);
    }
    expect(missing).toEqual([]);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    // The writes cut off by the kill were refused, never half-acknowledged.
    expect(refused).toBeGreaterThan(0);
  }, 50_000);
});
