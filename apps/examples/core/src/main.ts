// A narrated tour of @plugboard/core. A local server plays a third-party "Notes" API; a connector
// describes it; a toolset connects three end users with three auth modes and acts for them.
// Run it with `pnpm start` from the repository root. Every claim it prints is also checked, so
// `pnpm test` runs it with `--quiet` as an end-to-end test.

import { PlugboardError, basicAuthorization, createToolset, type ActionResult } from '@plugboard/core';
import { z } from 'zod';
import { expect, say, section, show } from './narrate.js';
import { startNotesApi, type NotesAccount, type RecordedRequest } from './notes-api.js';
import { createNotesConnector } from './notes-connector.js';

// The end users' credentials for the fake API. Made up for this example, and never printed.
const alice = { user: 'alice', apiKey: 'nk_live_a1ice_7d3f9c2b81e4' } satisfies NotesAccount;
const bob = { user: 'bob', token: 'ntok_b0b_4c8e1f6a92d7' } satisfies NotesAccount;
const carol = { user: 'carol', username: 'carol', password: 'correct horse battery staple' } satisfies NotesAccount;

const api = await startNotesApi([alice, bob, carol], {
  alice: [
    { id: 'n1', title: 'Groceries', body: 'oat milk, lemons, coffee' },
    { id: 'n2', title: 'Ideas', body: 'a plugboard for APIs' },
  ],
  bob: [{ id: 'n3', title: 'Standup', body: 'ship the connector' }],
  carol: [{ id: 'n4', title: 'Reading list', body: 'RFC 6749, RFC 7617, RFC 9110' }],
});

try {
  await tour();
  say('\nDone: every step behaved as described. The fake API is shut down and nothing was persisted.');
} finally {
  await api.close();
}

async function tour(): Promise<void> {
  /** The request the fake API received last, as it describes it (never a credential value). */
  const lastRequest = (): RecordedRequest => {
    const request = api.requests.at(-1);
    expect(request, 'the API received a request');
    return request;
  };
  const describeRequest = (request: RecordedRequest) =>
    `${request.method} ${request.path} (${request.region}), credential: ${request.credential}${request.user ? `, acting as ${request.user}` : ''}`;

  section('Define a connector and a toolset');
  const notes = createNotesConnector(`${api.origin}/v1`);
  const toolset = createToolset({ connectors: [notes], http: { timeoutMs: 5_000 } });
  say(`The fake Notes API listens on ${api.origin}; the "notes" connector points its baseUrl at ${api.origin}/v1.`);
  say('Creating the toolset opened no socket and read no environment variable; the store is in memory.');

  section('Catalogue: listApps and listActions');
  const apps = toolset.listApps();
  show('listApps()', apps);
  expect(
    apps.length === 1 && apps[0]?.authModes.join() === 'API_KEY,BEARER_TOKEN,BASIC,NO_AUTH',
    'notes offers four auth modes',
  );
  const actions = toolset.listActions({ app: 'notes' });
  for (const action of actions) show(action.name, action.description);
  show(
    'NOTES_LIST_NOTES input (JSON Schema, ready for an LLM tool definition)',
    toolset.getAction('NOTES_LIST_NOTES').inputJsonSchema,
  );

  section('What each auth mode needs from the end user: getExpectedParamsForUser');
  for (const mode of ['API_KEY', 'BEARER_TOKEN', 'BASIC', 'NO_AUTH'] as const) {
    const { authScheme, expectedParams } = await toolset.getExpectedParamsForUser({ app: 'notes', authScheme: mode });
    const fields = expectedParams.map(
      (field) => `${field.name}${field.required ? '' : '?'}${field.secret ? ' (secret)' : ''}`,
    );
    show(authScheme, fields.length > 0 ? fields.join(', ') : 'nothing');
  }
  const placements = toolset.getAuthSchemeForApp('notes', 'API_KEY').placements;
  show('getAuthSchemeForApp("notes", "API_KEY").placements', placements);

  section('Integrations and connections');
  const apiKeyIntegration = await toolset.createIntegration({
    app: 'notes',
    authMode: 'API_KEY',
    name: 'Notes with API keys',
  });
  show('createIntegration', {
    id: apiKeyIntegration.id,
    app: apiKeyIntegration.app,
    authMode: apiKeyIntegration.authMode,
    name: apiKeyIntegration.name,
  });

  const aliceRequest = await toolset.initiateConnection({
    integrationId: apiKeyIntegration.id,
    entityId: 'alice',
    connectedAccountParams: { api_key: alice.apiKey },
  });
  show('alice connects with API_KEY', {
    connectionStatus: aliceRequest.connectionStatus,
    redirectUrl: aliceRequest.redirectUrl,
  });
  expect(
    aliceRequest.connectionStatus === 'ACTIVE' && aliceRequest.redirectUrl === undefined,
    'an API key connection is ACTIVE at once, without a redirect',
  );

  // Without an integrationId, the app's integration for that mode is used, or created when it needs no developer fields.
  const bobRequest = await toolset.initiateConnection({
    app: 'notes',
    authMode: 'BEARER_TOKEN',
    entityId: 'bob',
    connectedAccountParams: { token: bob.token },
  });
  show('bob connects with BEARER_TOKEN', { connectionStatus: bobRequest.connectionStatus });
  const carolRequest = await toolset.initiateConnection({
    app: 'notes',
    authMode: 'BASIC',
    entityId: 'carol',
    connectedAccountParams: { username: carol.username, password: carol.password },
  });
  show('carol connects with BASIC', { connectionStatus: carolRequest.connectionStatus });

  const connection = await carolRequest.waitUntilActive({ timeoutMs: 1_000 });
  show("carol's connection as the toolset shows it (no credentials in it)", connection);
  expect(!('credentials' in connection), 'connections are shown without their credentials');

  try {
    await toolset.initiateConnection({
      app: 'notes',
      authMode: 'API_KEY',
      entityId: 'dave',
      connectedAccountParams: { apikey: 'oops' },
    });
    expect(false, 'a connection with a misspelled field is refused');
  } catch (error) {
    expect(
      PlugboardError.isInstance(error) && error.code === 'INVALID_CONNECTION_PARAMS',
      'a misspelled field is INVALID_CONNECTION_PARAMS',
    );
    show('dave misspells api_key', `${error.code}: ${error.message}`);
  }

  section('executeAction for an entity: the credential lands where each scheme says');
  for (const [entityId, account] of [
    ['alice', alice],
    ['bob', bob],
    ['carol', carol],
  ] as const) {
    const result = await toolset.executeAction('NOTES_LIST_NOTES', { limit: 5 }, { entityId });
    expect(result.successful, `${entityId} can list notes`);
    const data = result.data as { notes: Array<{ title: string }> };
    show(entityId, `${data.notes.map((item) => item.title).join(', ')}  <- ${describeRequest(lastRequest())}`);
    expect(lastRequest().user === account.user, `the API saw ${entityId}'s own credential`);
  }
  const created = await toolset.executeAction(
    'NOTES_CREATE_NOTE',
    { title: 'Call the plumber' },
    { connectedAccountId: aliceRequest.connectedAccountId },
  );
  show('NOTES_CREATE_NOTE with a connectedAccountId', created);
  expect(
    created.successful && (created.data as { body: string }).body === '',
    'the input default (body: "") was applied',
  );

  section('Bad input: INVALID_PARAMS, and no request is sent');
  const requestsBefore = api.requests.length;
  const invalid = await toolset.executeAction('NOTES_CREATE_NOTE', { title: 42 }, { entityId: 'alice' });
  showFailure('NOTES_CREATE_NOTE { title: 42 }', invalid);
  expect(!invalid.successful && invalid.error.code === 'INVALID_PARAMS', 'a number title is INVALID_PARAMS');
  expect(api.requests.length === requestsBefore, 'nothing was sent');
  const typo = await toolset.executeAction('NOTES_LIST_NOTE', {}, { entityId: 'alice' });
  showFailure('a misspelled action name', typo);
  expect(!typo.successful && typo.error.code === 'ACTION_NOT_FOUND', 'an unknown action is ACTION_NOT_FOUND');
  say(`  The API received ${api.requests.length - requestsBefore} requests for these two calls.`);

  section('Upstream errors come back as results, not exceptions');
  const missing = await toolset.executeAction('NOTES_GET_NOTE', { note_id: 'n999' }, { entityId: 'alice' });
  showFailure('NOTES_GET_NOTE { note_id: "n999" }', missing);
  expect(
    !missing.successful && missing.error.code === 'UPSTREAM_ERROR' && missing.error.status === 404,
    'a 404 is an UPSTREAM_ERROR result with status 404',
  );

  section('NO_AUTH: public endpoints work without a connection');
  const status = await toolset.executeAction('NOTES_GET_STATUS', {}, { entityId: 'dave' });
  show(
    'dave (no connection) calls NOTES_GET_STATUS',
    `${JSON.stringify(status.data)}  <- ${describeRequest(lastRequest())}`,
  );
  expect(
    status.successful && lastRequest().credential === 'none',
    'the public endpoint was called without credentials',
  );
  const anonymous = await toolset.executeAction('NOTES_LIST_NOTES', {}, { entityId: 'dave' });
  showFailure('dave calls NOTES_LIST_NOTES', anonymous);
  say('  Because the app allows NO_AUTH, a call without credentials is sent as is; the API itself answers 401.');
  say('  (An app without a NO_AUTH scheme would refuse it before sending, with NO_CREDENTIALS.)');
  expect(!anonymous.successful && anonymous.error.status === 401, 'the API refused the anonymous call');

  section("Credential precedence: per-call auth > connectedAccountId > addAuth > the entity's connection");
  toolset.addAuth('notes', { parameters: [{ name: 'Authorization', in: 'header', value: `Bearer ${bob.token}` }] });
  say(
    "  toolset.addAuth('notes', { parameters: [{ name: 'Authorization', in: 'header', value: 'Bearer <bob's token>' }] })",
  );
  await toolset.executeAction('NOTES_LIST_NOTES', {}, { entityId: 'alice' });
  show('{ entityId: "alice" }', describeRequest(lastRequest()));
  expect(lastRequest().user === 'bob', 'addAuth wins over the entity connection');
  await toolset.executeAction('NOTES_LIST_NOTES', {}, { connectedAccountId: aliceRequest.connectedAccountId });
  show('{ connectedAccountId: <alice> }', describeRequest(lastRequest()));
  expect(lastRequest().user === 'alice', 'connectedAccountId wins over addAuth');
  await toolset.executeAction(
    'NOTES_LIST_NOTES',
    {},
    {
      connectedAccountId: aliceRequest.connectedAccountId,
      auth: {
        parameters: [
          { name: 'Authorization', in: 'header', value: basicAuthorization(carol.username, carol.password) },
        ],
      },
    },
  );
  show("{ connectedAccountId: <alice>, auth: <carol's Basic header> }", describeRequest(lastRequest()));
  expect(lastRequest().user === 'carol', 'per-call auth wins over everything');
  toolset.removeAuth('notes');
  await toolset.executeAction('NOTES_LIST_NOTES', {}, { entityId: 'alice' });
  show('after removeAuth, { entityId: "alice" }', describeRequest(lastRequest()));
  expect(lastRequest().user === 'alice', 'after removeAuth the entity connection is used again');

  section('Per-call custom auth: a query-placed key and another base URL');
  const custom = await toolset.executeAction(
    'NOTES_GET_NOTE',
    { note_id: 'n2' },
    { auth: { parameters: [{ name: 'api_key', in: 'query', value: alice.apiKey }], baseUrl: `${api.origin}/eu/v1` } },
  );
  show(
    "auth: { parameters: [{ name: 'api_key', in: 'query', value: <key> }], baseUrl: '<origin>/eu/v1' }",
    `${JSON.stringify(custom.data)}  <- ${describeRequest(lastRequest())}`,
  );
  expect(
    custom.successful && lastRequest().credential === 'api_key query' && lastRequest().region === 'eu',
    'the key went in the query string of the EU base URL',
  );

  const wrongKey = `${alice.apiKey}-revoked`;
  const rejected = await toolset.executeAction(
    'NOTES_LIST_NOTES',
    {},
    { auth: { parameters: [{ name: 'X-Api-Key', in: 'header', value: wrongKey }] } },
  );
  showFailure('a revoked key; the API echoes it in its 401 body', rejected);
  expect(
    !rejected.successful && !JSON.stringify(rejected).includes(wrongKey),
    'the echoed key is redacted from the result',
  );

  section('proxy: a raw authenticated request with the same credential resolution');
  const proxied = await toolset.proxy({
    app: 'notes',
    method: 'GET',
    path: '/notes/{note_id}',
    pathParams: { note_id: 'n3' },
    entityId: 'bob',
  });
  expect(proxied.successful, 'the proxied request succeeded');
  show('proxy GET /notes/{note_id} for bob', {
    status: proxied.data.status,
    contentType: proxied.data.headers['content-type'],
    data: proxied.data.data,
  });

  section("createAction: a custom action that uses the app's credentials");
  toolset.createAction({
    name: 'NOTES_COUNT_WORDS',
    description: "Count the words in all of the user's notes.",
    app: 'notes',
    input: z.object({ minimum_length: z.number().int().min(1).default(1) }),
    run: async ({ input, request }) => {
      const response = await request<{ notes: Array<{ body: string }> }>({
        method: 'GET',
        path: '/notes',
        query: { limit: 100 },
      });
      const words = response.data.notes
        .flatMap((item) => item.body.split(/[\s,]+/))
        .filter((word) => word.length >= input.minimum_length);
      return { notes: response.data.notes.length, words: words.length };
    },
  });
  const counted = await toolset.executeAction('NOTES_COUNT_WORDS', { minimum_length: 4 }, { entityId: 'carol' });
  show('NOTES_COUNT_WORDS for carol', `${JSON.stringify(counted.data)}  <- ${describeRequest(lastRequest())}`);
  expect(
    counted.successful && lastRequest().credential === 'Basic auth' && lastRequest().user === 'carol',
    "the custom action's request carried carol's Basic credentials",
  );
  expect(
    toolset.listActions({ app: 'notes' }).some((action) => action.name === 'NOTES_COUNT_WORDS'),
    'the custom action is in the catalogue',
  );
}

function showFailure(label: string, result: ActionResult): void {
  if (result.successful) {
    show(label, 'unexpectedly successful');
    return;
  }
  const { code, status, message, details } = result.error;
  const issues = (details as { issues?: unknown[] } | undefined)?.issues;
  show(
    label,
    `${code}${status === undefined ? '' : ` (status ${status})`}: ${message}${issues ? `\n  issues: ${JSON.stringify(issues)}` : ''}`,
  );
}
