// A separate Node process sharing one PostgreSQL store with the test and with other workers.
// Built code only (dist of this package and of core), as an application would run it.
// Config: PLUGBOARD_WORKER (JSON) and PLUGBOARD_SECRET_KEY. Talks JSON lines on stdout; waits
// for "go" (or a callback URL) on stdin, so the test can start every worker at the same moment.
import { createInterface } from 'node:readline';
import { CONNECTOR_SPEC_VERSION, createToolset, defineAction, defineConnector, oauth2Scheme } from '@plugboard/core';
import { z } from 'zod';
import { postgresStore } from '../../dist/index.js';

const config = JSON.parse(process.env.PLUGBOARD_WORKER ?? '{}');
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));

const store = await postgresStore(
  { connectionString: config.databaseUrl },
  { schema: config.schema, max: config.max ?? 4 },
);

if (config.mode === 'migrate') {
  say({ event: 'ready' });
  await nextLine();
  const result = await store.migrate();
  say({ event: 'migrated', ...result });
} else {
  const acme = defineConnector({
    id: 'acme',
    name: 'Acme',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: config.providerOrigin,
    authSchemes: [
      oauth2Scheme({
        authorizationUrl: `${config.providerOrigin}/authorize`,
        tokenUrl: `${config.providerOrigin}/token`,
      }),
    ],
    actions: [defineAction({ name: 'ACME_WHOAMI', description: 'Who am I.', input: z.object({}), request: 'GET /me' })],
  });
  const toolset = createToolset({
    connectors: [acme],
    store,
    http: { timeoutMs: 60_000, retries: 0 },
    refresh: { retryBaseMs: 5 },
  });

  if (config.mode === 'execute') {
    say({ event: 'ready' });
    await nextLine();
    const results = await Promise.all(
      Array.from({ length: config.calls }, () =>
        toolset.executeAction('ACME_WHOAMI', {}, { connectedAccountId: config.connectionId }),
      ),
    );
    say({
      event: 'results',
      results: results.map((result) => ({ successful: result.successful, code: result.error?.code ?? null })),
    });
  } else if (config.mode === 'initiate') {
    const request = await toolset.initiateConnection({
      integrationId: config.integrationId,
      entityId: config.entityId,
      redirectUri: config.redirectUri,
    });
    say({
      event: 'initiated',
      redirectUrl: request.redirectUrl,
      connectionId: request.connectedAccountId,
      pid: process.pid,
    });
    const connection = await request.waitUntilActive({ timeoutMs: 15_000, pollIntervalMs: 50 });
    say({ event: 'active', connection, pid: process.pid });
  } else if (config.mode === 'callback') {
    say({ event: 'ready' });
    const url = await nextLine();
    const response = await toolset.handleCallback(new Request(url));
    say({ event: 'handled', status: response.status, pid: process.pid });
  }
}
lines.close();
await store.close();
