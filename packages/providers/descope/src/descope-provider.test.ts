import { inspect } from 'node:util';
import type { PlugboardError, CredentialRequest } from '@plugboard/core';
import { isCredentialProvider } from '@plugboard/core/internal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startRecordingServer } from '@plugboard/fakes';
import { startFakeDescope, type FakeDescope } from '../test/fake-descope-server.js';
import {
  descopeProvider,
  type DescopeCredentialRequest,
  type DescopeOutboundAppToken,
  type DescopeProviderOptions,
} from './index.js';
import { parseDescopeExpiry } from './descope-provider.js';

const PROJECT_ID = 'P2testProjectAbc';
const MANAGEMENT_KEY = 'K2mgmt-Secret-Key-9f3a7c1e5b';
const ACCESS_TOKEN = 'gho_outboundAccessToken_71d2c4';
const ENV_NAMES = ['DESCOPE_PROJECT_ID', 'DESCOPE_MANAGEMENT_KEY', 'DESCOPE_BASE_URL'] as const;

let descope: FakeDescope;
let savedEnv: Partial<Record<(typeof ENV_NAMES)[number], string>>;

beforeEach(async () => {
  // Tests must not depend on the developer's shell: start from an environment without Descope settings.
  savedEnv = {};
  for (const name of ENV_NAMES) {
    if (process.env[name] !== undefined) savedEnv[name] = process.env[name];
    delete process.env[name];
  }
  descope = await startFakeDescope({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
});

afterEach(async () => {
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  await descope.close();
});

const request = (entityId = 'user-42', extra: Partial<DescopeCredentialRequest> = {}): DescopeCredentialRequest => ({
  app: 'github',
  entityId,
  ...extra,
});

function provider(options: Partial<DescopeProviderOptions> = {}) {
  return descopeProvider({
    appId: 'github',
    projectId: PROJECT_ID,
    managementKey: MANAGEMENT_KEY,
    baseUrl: descope.url,
    ...options,
  });
}

/** Every form in which an error could reach a log. */
function everyRendering(error: PlugboardError): string {
  return [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    String(error),
  ].join('\n');
}

const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('descopeProvider: user tokens', () => {
  it('fetches the latest token of the entity with the management key, and places it as a Bearer header', async () => {
    const expiry = inOneHour();
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN, scopes: ['repo'], expiresAtSeconds: expiry });

    const credentials = await provider().getCredentials(request());

    expect(credentials).toEqual({
      parameters: [{ in: 'header', name: 'Authorization', value: `Bearer ${ACCESS_TOKEN}` }],
      expiresAt: new Date(expiry * 1000),
    });
    expect(descope.requests).toHaveLength(1);
    const [sent] = descope.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/mgmt/outbound/app/user/token/latest');
    expect(sent?.headers['authorization']).toBe(`Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.json).toEqual({ appId: 'github', userId: 'user-42' });
  });

  it('asks for a token with the given scopes at the scoped endpoint', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN, scopes: ['repo', 'read:org'] });

    const credentials = await provider({ scopes: ['repo', 'read:org'] }).getCredentials(request());

    expect(credentials.parameters).toEqual([{ in: 'header', name: 'Authorization', value: `Bearer ${ACCESS_TOKEN}` }]);
    expect(descope.requests[0]?.path).toBe('/v1/mgmt/outbound/app/user/token');
    expect(descope.requests[0]?.json).toEqual({ appId: 'github', userId: 'user-42', scopes: ['repo', 'read:org'] });
  });

  it('treats an empty scope list as no scopes: the latest token', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    await provider({ scopes: [] }).getCredentials(request());
    expect(descope.requests[0]?.path).toBe('/v1/mgmt/outbound/app/user/token/latest');
    expect(descope.requests[0]?.json).toEqual({ appId: 'github', userId: 'user-42' });
  });

  it('maps entities to Descope users with an (async) userId function, and passes a tenant along', async () => {
    descope.connectUser('github', 'U-user-42', { accessToken: ACCESS_TOKEN }, 'T-acme');
    const seen: CredentialRequest[] = [];

    const credentials = await provider({
      userId: async (credentialRequest) => {
        seen.push(credentialRequest);
        return `U-${credentialRequest.entityId}`;
      },
      tenantId: 'T-acme',
    }).getCredentials(request('user-42'));

    expect(credentials.parameters[0]?.value).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(seen).toEqual([{ app: 'github', entityId: 'user-42' }]);
    expect(descope.requests[0]?.json).toEqual({ appId: 'github', userId: 'U-user-42', tenantId: 'T-acme' });
  });

  it('turns Descope 404 (not connected) into CREDENTIAL_PROVIDER_ERROR with a hint', async () => {
    const error = await errorOf<PlugboardError>(provider({ scopes: ['repo'] }).getCredentials(request('nobody')));

    expect(error.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(error.status).toBe(404);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('[E112201] Outbound app token not found');
    expect(error.message).toContain(`POST ${descope.url}/v1/mgmt/outbound/app/user/token`);
    expect(error.message).toContain(
      'Check that the outbound app "github" exists in Descope and that the user has connected to it with the requested scopes',
    );
    expect(error.details).toMatchObject({
      provider: 'descope',
      reason: 'status',
      errorCode: 'E112201',
      body: { errorCode: 'E112201' },
    });
  });
});

describe('descopeProvider: forceRefresh', () => {
  it('asks Descope to refresh the token with options.forceRefresh, at the latest and the scoped endpoints', async () => {
    descope.connectUser('github', 'user-42', {
      accessToken: ACCESS_TOKEN,
      scopes: ['repo'],
      refreshToken: 'gho_refresh',
    });

    const forced = await provider().getCredentials(request('user-42', { forceRefresh: true }));
    await provider({ scopes: ['repo'] }).getCredentials(request('user-42', { forceRefresh: true }));

    expect(descope.requests.map((sent) => [sent.path, sent.json])).toEqual([
      [
        '/v1/mgmt/outbound/app/user/token/latest',
        { appId: 'github', userId: 'user-42', options: { forceRefresh: true } },
      ],
      [
        '/v1/mgmt/outbound/app/user/token',
        { appId: 'github', userId: 'user-42', scopes: ['repo'], options: { forceRefresh: true } },
      ],
    ]);
    expect(forced.parameters[0]?.value).toBe(`Bearer ${ACCESS_TOKEN}-refreshed-1`);
    expect(descope.refreshes).toBe(2);
  });

  it('sends it for tenant tokens too, and sends no options when forceRefresh is false or absent', async () => {
    descope.connectTenant('slack', 'T-acme', { accessToken: ACCESS_TOKEN });
    const tenant = provider({ appId: 'slack', level: 'tenant', tenantId: 'T-acme' });

    await tenant.getCredentials(request('user-42', { forceRefresh: true }));
    await tenant.getCredentials(request('user-42', { forceRefresh: false }));
    await tenant.getCredentials(request('user-42'));

    expect(descope.requests.map((sent) => sent.json)).toEqual([
      { appId: 'slack', tenantId: 'T-acme', options: { forceRefresh: true } },
      { appId: 'slack', tenantId: 'T-acme' },
      { appId: 'slack', tenantId: 'T-acme' },
    ]);
  });

  it('never joins a request in flight that may return the refused token', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN, refreshToken: 'gho_refresh' });
    descope.delayMs = 50;
    const shared = provider();

    const [plain, forced, forcedToo] = await Promise.all([
      shared.getCredentials(request()),
      shared.getCredentials(request('user-42', { forceRefresh: true })),
      shared.getCredentials(request('user-42', { forceRefresh: true })),
    ]);

    // The plain request and the forced one go to Descope separately; the two forced ones share.
    expect(descope.requests.map((sent) => (sent.json as { options?: unknown }).options)).toEqual(
      expect.arrayContaining([undefined, { forceRefresh: true }]),
    );
    expect(descope.requests).toHaveLength(2);
    expect(plain.parameters[0]?.value).toMatch(new RegExp(`^Bearer ${ACCESS_TOKEN}`));
    expect(forced.parameters[0]?.value).toBe(`Bearer ${ACCESS_TOKEN}-refreshed-1`);
    expect(forcedToo).toEqual(forced);
  });
});

describe('descopeProvider: tenant tokens', () => {
  it('fetches the latest tenant token, with a fixed tenant id', async () => {
    descope.connectTenant('slack', 'T-acme', { accessToken: ACCESS_TOKEN });

    const credentials = await provider({ appId: 'slack', level: 'tenant', tenantId: 'T-acme' }).getCredentials(
      request(),
    );

    expect(credentials.parameters).toEqual([{ in: 'header', name: 'Authorization', value: `Bearer ${ACCESS_TOKEN}` }]);
    expect(descope.requests[0]?.path).toBe('/v1/mgmt/outbound/app/tenant/token/latest');
    expect(descope.requests[0]?.json).toEqual({ appId: 'slack', tenantId: 'T-acme' });
  });

  it('fetches a scoped tenant token, with the tenant id computed per request', async () => {
    descope.connectTenant('slack', 'T-user-7', { accessToken: ACCESS_TOKEN, scopes: ['chat:write'] });

    await provider({
      appId: 'slack',
      level: 'tenant',
      tenantId: ({ entityId }) => `T-${entityId}`,
      scopes: ['chat:write'],
    }).getCredentials(request('user-7'));

    expect(descope.requests[0]?.path).toBe('/v1/mgmt/outbound/app/tenant/token');
    expect(descope.requests[0]?.json).toEqual({ appId: 'slack', tenantId: 'T-user-7', scopes: ['chat:write'] });
  });

  it('says "the tenant" in the hint when the tenant has not connected', async () => {
    const error = await errorOf<PlugboardError>(
      provider({ appId: 'slack', level: 'tenant', tenantId: 'T-none' }).getCredentials(request()),
    );
    expect(error.message).toContain('that the tenant has connected to it');
  });
});

describe('descopeProvider: options', () => {
  it('is a named, frozen credential provider', () => {
    const created = provider();
    expect(created.name).toBe('descope');
    expect(isCredentialProvider(created)).toBe(true);
    expect(Object.isFrozen(created)).toBe(true);
  });

  it.each([
    ['no appId', { appId: '' }, 'the appId option is required'],
    ['an unknown level', { level: 'team' }, "level must be 'user' or 'tenant'"],
    ['a tenant level without tenantId', { level: 'tenant' }, "level 'tenant' needs the tenantId option"],
    [
      'a userId function on a tenant level',
      { level: 'tenant', tenantId: 'T1', userId: () => 'u' },
      "userId applies to level 'user' only",
    ],
    ['an empty tenantId', { tenantId: ' ' }, 'tenantId must be a non-empty string or a function'],
    ['a blank scope', { scopes: ['repo', ''] }, 'scopes must be a list of non-empty strings'],
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs must be a positive number'],
    ['a non-string management key', { managementKey: 42 }, 'managementKey must be a string'],
  ])('refuses %s at construction with CONFIGURATION_ERROR', async (_name, options, message) => {
    const error = await errorOf<PlugboardError>(() =>
      descopeProvider({ appId: 'github', ...(options as Partial<DescopeProviderOptions>) }),
    );
    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).toContain(message);
  });

  it('uses a custom placement, which sees the token metadata but never the refresh token', async () => {
    descope.connectUser('openai', 'user-42', {
      accessToken: 'sk-outbound-key-123',
      refreshToken: 'refresh-secret-456',
      scopes: [],
    });
    // A Descope that sends the refresh token even when it was not asked for.
    descope.forceReply = () => ({
      status: 200,
      json: {
        token: {
          id: 't1',
          appId: 'openai',
          userId: 'user-42',
          accessToken: 'sk-outbound-key-123',
          accessTokenType: 'apikey',
          refreshToken: 'refresh-secret-456',
          accessTokenExpiry: '0',
        },
      },
    });
    const tokens: DescopeOutboundAppToken[] = [];

    const credentials = await provider({
      appId: 'openai',
      placement: (accessToken, token) => {
        tokens.push(token);
        return [{ in: 'query', name: 'api_key', value: accessToken }];
      },
    }).getCredentials(request());

    expect(credentials).toEqual({ parameters: [{ in: 'query', name: 'api_key', value: 'sk-outbound-key-123' }] });
    expect(tokens).toEqual([
      {
        id: 't1',
        appId: 'openai',
        userId: 'user-42',
        accessToken: 'sk-outbound-key-123',
        accessTokenType: 'apikey',
        accessTokenExpiry: '0',
      },
    ]);
  });

  it('calls the fetch it was given', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    const calls: string[] = [];
    await provider({
      fetch: (input, init) => {
        calls.push(String(input));
        return fetch(input, init);
      },
    }).getCredentials(request());
    expect(calls).toEqual([`${descope.url}/v1/mgmt/outbound/app/user/token/latest`]);
  });

  it('wraps a userId function that throws or returns nothing in CREDENTIAL_PROVIDER_ERROR, without calling Descope', async () => {
    const thrown = await errorOf<PlugboardError>(
      provider({
        userId: () => {
          throw new Error('directory down');
        },
      }).getCredentials(request()),
    );
    expect(thrown.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(thrown.message).toContain('the userId function threw for entity "user-42": directory down');

    const empty = await errorOf<PlugboardError>(provider({ userId: () => '' }).getCredentials(request()));
    expect(empty.message).toContain('the userId function returned an empty string for entity "user-42"');
    expect(descope.requests).toHaveLength(0);
  });
});

describe('descopeProvider: settings from the environment', () => {
  it('reads DESCOPE_PROJECT_ID, DESCOPE_MANAGEMENT_KEY and DESCOPE_BASE_URL when credentials are requested, not when created', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    const created = descopeProvider({ appId: 'github' }); // nothing set yet

    process.env['DESCOPE_PROJECT_ID'] = PROJECT_ID;
    process.env['DESCOPE_MANAGEMENT_KEY'] = MANAGEMENT_KEY;
    process.env['DESCOPE_BASE_URL'] = `${descope.url}/`;
    const credentials = await created.getCredentials(request());

    expect(credentials.parameters[0]?.value).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(descope.requests[0]?.path).toBe('/v1/mgmt/outbound/app/user/token/latest'); // the trailing slash is dropped
    expect(descope.requests[0]?.headers['authorization']).toBe(`Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}`);
  });

  it('prefers options to environment variables', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    process.env['DESCOPE_PROJECT_ID'] = 'P-from-env';
    process.env['DESCOPE_MANAGEMENT_KEY'] = 'K-from-env-wrong';
    process.env['DESCOPE_BASE_URL'] = 'https://descope.invalid';

    await provider().getCredentials(request());
    expect(descope.requests[0]?.headers['authorization']).toBe(`Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}`);
  });

  it('names every missing setting, option and variable, and sends nothing', async () => {
    const error = await errorOf<PlugboardError>(
      descopeProvider({ appId: 'github', baseUrl: descope.url }).getCredentials(request()),
    );

    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).toBe(
      'descopeProvider: no Descope project id and management key: pass the projectId and managementKey options or set DESCOPE_PROJECT_ID and DESCOPE_MANAGEMENT_KEY.',
    );
    expect(error.details).toEqual({ missing: ['DESCOPE_PROJECT_ID', 'DESCOPE_MANAGEMENT_KEY'] });
    expect(descope.requests).toHaveLength(0);
  });

  it('names a single missing management key without printing the project id or anything else', async () => {
    process.env['DESCOPE_PROJECT_ID'] = PROJECT_ID;
    const error = await errorOf<PlugboardError>(
      descopeProvider({ appId: 'github', baseUrl: descope.url }).getCredentials(request()),
    );
    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).toBe(
      'descopeProvider: no Descope management key: pass the managementKey option or set DESCOPE_MANAGEMENT_KEY.',
    );
  });

  it('refuses a malformed project id or key without printing either (a key pasted in the wrong variable stays secret)', async () => {
    process.env['DESCOPE_PROJECT_ID'] = `${MANAGEMENT_KEY}\n`;
    process.env['DESCOPE_MANAGEMENT_KEY'] = MANAGEMENT_KEY;
    const badProject = await errorOf<PlugboardError>(
      descopeProvider({ appId: 'github', baseUrl: descope.url }).getCredentials(request()),
    );
    expect(badProject.code).toBe('CONFIGURATION_ERROR');
    expect(badProject.message).toBe(
      'descopeProvider: DESCOPE_PROJECT_ID is not a Descope project id (printable ASCII, no spaces or colons).',
    );

    const badKey = await errorOf<PlugboardError>(
      provider({ managementKey: `${MANAGEMENT_KEY} x` }).getCredentials(request()),
    );
    expect(badKey.message).toBe(
      'descopeProvider: the managementKey option is not a Descope management key (printable ASCII, no spaces or line breaks).',
    );
    for (const error of [badProject, badKey]) expect(everyRendering(error)).not.toContain(MANAGEMENT_KEY);
    expect(descope.requests).toHaveLength(0);
  });

  it.each([
    [
      'plain http to a remote host',
      'http://api.descope.com',
      'must be an https URL (plain http is allowed for localhost only)',
    ],
    ['not a URL', 'api.descope.com', 'is not an absolute URL'],
    [
      'credentials in the URL',
      'https://user:pw@api.descope.com',
      'must not carry credentials, a query or a fragment: https://[REDACTED]:[REDACTED]@api.descope.com/',
    ],
  ])('refuses a base URL with %s, and sends nothing', async (_name, baseUrl, message) => {
    const calls: unknown[] = [];
    const error = await errorOf<PlugboardError>(
      provider({
        baseUrl,
        fetch: async (input) => {
          calls.push(input);
          return new Response('{}');
        },
      }).getCredentials(request()),
    );
    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).toContain(message);
    expect(calls).toEqual([]);
  });

  it('derives the regional host from a 32-character project id, as Descope SDKs do, and uses api.descope.com otherwise', async () => {
    const urls: string[] = [];
    const recordingFetch = async (input: Request | URL | string) => {
      urls.push(String(input));
      return Response.json({ token: { accessToken: ACCESS_TOKEN, accessTokenExpiry: String(inOneHour()) } });
    };
    const euProject = 'Peuc12z2SP0AQgrqkHCdD7u5fRJ4lOta';
    expect(euProject).toHaveLength(32);
    await descopeProvider({
      appId: 'github',
      projectId: euProject,
      managementKey: MANAGEMENT_KEY,
      fetch: recordingFetch,
    }).getCredentials(request());
    await descopeProvider({
      appId: 'github',
      projectId: PROJECT_ID,
      managementKey: MANAGEMENT_KEY,
      fetch: recordingFetch,
    }).getCredentials(request());

    expect(urls).toEqual([
      'https://api.euc1.descope.com/v1/mgmt/outbound/app/user/token/latest',
      'https://api.descope.com/v1/mgmt/outbound/app/user/token/latest',
    ]);
  });
});

describe('descopeProvider: errors and redaction', () => {
  it('turns a 401 for a wrong management key into CREDENTIAL_PROVIDER_ERROR with a hint, and never shows the key', async () => {
    const wrongKey = 'K2wrong-Management-Key-44d1';
    const error = await errorOf<PlugboardError>(provider({ managementKey: wrongKey }).getCredentials(request()));

    expect(error.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('status 401 Unauthorized');
    expect(error.message).toContain('[E061004] Unauthorized: Invalid management key for this project');
    expect(error.message).toContain('Check the management key (the managementKey option or DESCOPE_MANAGEMENT_KEY)');
    expect(error.details).toEqual({
      provider: 'descope',
      reason: 'status',
      errorCode: 'E061004',
      body: {
        errorCode: 'E061004',
        errorDescription: 'Unauthorized',
        errorMessage: 'Invalid management key for this project',
      },
    });
    expect(everyRendering(error)).not.toContain(wrongKey);
  });

  it('redacts the key and the Authorization header when Descope echoes them back', async () => {
    descope.forceReply = (sent) => ({
      status: 403,
      json: {
        errorCode: 'E061005',
        errorDescription: 'Forbidden',
        errorMessage: `Key ${MANAGEMENT_KEY} may not do this (${sent.headers['authorization']})`,
        request: { headers: { authorization: sent.headers['authorization'] }, key: encodeURIComponent(MANAGEMENT_KEY) },
      },
    });
    const error = await errorOf<PlugboardError>(provider().getCredentials(request()));

    expect(error.status).toBe(403);
    expect(error.message).toContain('Key [REDACTED] may not do this ([REDACTED])');
    expect(everyRendering(error)).not.toContain(MANAGEMENT_KEY);
    expect(everyRendering(error)).not.toContain(encodeURIComponent(MANAGEMENT_KEY));
  });

  it('keeps a plain-text 5xx body, redacted, and marks it retryable', async () => {
    descope.forceReply = () => ({ status: 502, text: `upstream failed for Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}` });
    const error = await errorOf<PlugboardError>(provider().getCredentials(request()));

    expect(error.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ body: 'upstream failed for [REDACTED]' });
    expect(everyRendering(error)).not.toContain(MANAGEMENT_KEY);
  });

  it('never follows a redirect with the management key, and sends a 5xx once (the toolset decides on retries)', async () => {
    const elsewhere = await startRecordingServer(() => ({ json: { token: { accessToken: 'stolen' } } }));
    try {
      descope.forceReply = () => ({ status: 307, headers: { location: `${elsewhere.url}/steal` } });
      const redirected = await errorOf<PlugboardError>(provider().getCredentials(request()));
      expect(redirected).toMatchObject({ code: 'CREDENTIAL_PROVIDER_ERROR', status: 307 });
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
    let asked = 0;
    descope.forceReply = () => {
      asked += 1;
      return { status: 503, json: { errorCode: 'E503', errorDescription: 'Unavailable' } };
    };
    expect(await errorOf<PlugboardError>(provider().getCredentials(request()))).toMatchObject({ status: 503 });
    expect(asked).toBe(1);
  });

  it('marks a 429 retryable and keeps Retry-After', async () => {
    descope.forceReply = () => ({
      status: 429,
      headers: { 'retry-after': '7' },
      json: { errorCode: 'E130429', errorDescription: 'Rate limit exceeded', errorMessage: '' },
    });
    const error = await errorOf<PlugboardError>(provider().getCredentials(request()));
    expect(error.retryable).toBe(true);
    expect(error.details).toMatchObject({ retryAfter: '7', errorCode: 'E130429' });
  });

  it('refuses a 200 without token.accessToken, describing its shape but no value', async () => {
    descope.forceReply = () => ({
      status: 200,
      json: { token: { refreshToken: 'refresh-only-secret', hasRefreshToken: true } },
    });
    const error = await errorOf<PlugboardError>(provider().getCredentials(request()));

    expect(error.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(error.message).toBe(
      `Descope answered 200 to POST ${descope.url}/v1/mgmt/outbound/app/user/token/latest without token.accessToken.`,
    );
    expect(error.details).toEqual({
      provider: 'descope',
      reason: 'invalid-response',
      shape: { token: ['refreshToken', 'hasRefreshToken'] },
    });
    expect(everyRendering(error)).not.toContain('refresh-only-secret');
  });

  it('reports a network failure as a retryable CREDENTIAL_PROVIDER_ERROR without the key', async () => {
    const closed = await startFakeDescope({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
    await closed.close();
    const error = await errorOf<PlugboardError>(provider({ baseUrl: closed.url }).getCredentials(request()));

    expect(error.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(
      `Could not reach Descope at POST ${closed.url}/v1/mgmt/outbound/app/user/token/latest`,
    );
    expect(error.details).toEqual({ provider: 'descope', reason: 'network' });
    expect(everyRendering(error)).not.toContain(MANAGEMENT_KEY);
  });

  it('gives up after timeoutMs', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    descope.delayMs = 5_000;
    const started = Date.now();
    const error = await errorOf<PlugboardError>(provider({ timeoutMs: 100 }).getCredentials(request()));

    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.code).toBe('CREDENTIAL_PROVIDER_ERROR');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `Descope did not answer POST ${descope.url}/v1/mgmt/outbound/app/user/token/latest within 100 ms.`,
    );
  });
});

describe('descopeProvider: expiry', () => {
  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['epoch seconds in a string (what Descope sends)', String(now + 60), new Date((now + 60) * 1000)],
    ['epoch seconds as a number', now + 60, new Date((now + 60) * 1000)],
    ['epoch milliseconds as a number', (now + 60) * 1000, new Date((now + 60) * 1000)],
    ['epoch milliseconds in a string', String((now + 60) * 1000), new Date((now + 60) * 1000)],
    ['an ISO 8601 string', '2030-01-02T03:04:05Z', new Date('2030-01-02T03:04:05Z')],
    ['"0" (unknown)', '0', undefined],
    ['0 (unknown)', 0, undefined],
    ['nothing', undefined, undefined],
    ['garbage', 'soon', undefined],
  ])('reads %s', async (_name, rawExpiry, expected) => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN, rawExpiry });
    const credentials = await provider().getCredentials(request());
    expect(credentials.expiresAt).toEqual(expected);
    expect('expiresAt' in credentials).toBe(expected !== undefined);
  });

  it('parseDescopeExpiry puts the seconds/milliseconds boundary at 1e11', () => {
    expect(parseDescopeExpiry(99_999_999_999)?.getTime()).toBe(99_999_999_999_000);
    expect(parseDescopeExpiry(100_000_000_000)?.getTime()).toBe(100_000_000_000);
    expect(parseDescopeExpiry(-5)).toBeUndefined();
    expect(parseDescopeExpiry(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe('descopeProvider: concurrent requests', () => {
  it('shares one Descope request between identical requests in flight, and gives each caller its own copy', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    descope.delayMs = 100;
    const shared = provider();

    const results = await Promise.all(Array.from({ length: 5 }, () => shared.getCredentials(request())));

    expect(descope.requests).toHaveLength(1);
    for (const result of results) expect(result).toEqual(results[0]);
    expect(new Set(results).size).toBe(5);
    expect(new Set(results.map((result) => result.parameters)).size).toBe(5);
  });

  it('does not share between different users, and keeps no cache once a request is done', async () => {
    descope.connectUser('github', 'user-1', { accessToken: 'token-one' });
    descope.connectUser('github', 'user-2', { accessToken: 'token-two' });
    descope.delayMs = 50;
    const shared = provider();

    const [one, two] = await Promise.all([
      shared.getCredentials(request('user-1')),
      shared.getCredentials(request('user-2')),
    ]);
    expect(one.parameters[0]?.value).toBe('Bearer token-one');
    expect(two.parameters[0]?.value).toBe('Bearer token-two');
    expect(descope.requests).toHaveLength(2);

    await shared.getCredentials(request('user-1'));
    expect(descope.requests).toHaveLength(3);
  });

  it('shares a failure too, and tries again on the next call', async () => {
    descope.delayMs = 50;
    descope.forceReply = () => ({
      status: 503,
      json: { errorCode: 'E000000', errorDescription: 'Unavailable', errorMessage: 'try later' },
    });
    const shared = provider();

    const outcomes = await Promise.allSettled([
      shared.getCredentials(request()),
      shared.getCredentials(request()),
      shared.getCredentials(request()),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(descope.requests).toHaveLength(1);

    descope.forceReply = undefined;
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    await expect(shared.getCredentials(request())).resolves.toMatchObject({
      parameters: [{ value: `Bearer ${ACCESS_TOKEN}` }],
    });
    expect(descope.requests).toHaveLength(2);
  });

  it('lets one caller abort without disturbing the others', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    descope.delayMs = 150;
    const shared = provider();
    const controller = new AbortController();

    const leaving = shared.getCredentials(request('user-42', { signal: controller.signal }));
    const staying = shared.getCredentials(request());
    setTimeout(() => controller.abort(), 20);

    expect((await errorOf<PlugboardError>(leaving)).code).toBe('ABORTED');
    await expect(staying).resolves.toMatchObject({ parameters: [{ value: `Bearer ${ACCESS_TOKEN}` }] });
    expect(descope.requests).toHaveLength(1);
  });

  it('cancels the Descope request when every caller has aborted, and starts afresh after', async () => {
    descope.connectUser('github', 'user-42', { accessToken: ACCESS_TOKEN });
    descope.delayMs = 150;
    const signals: AbortSignal[] = [];
    const shared = provider({
      fetch: (input, init) => {
        if (init?.signal) signals.push(init.signal);
        return fetch(input, init);
      },
    });
    const first = new AbortController();
    const second = new AbortController();

    const pending = [
      shared.getCredentials(request('user-42', { signal: first.signal })),
      shared.getCredentials(request('user-42', { signal: second.signal })),
    ];
    await new Promise((resolve) => setTimeout(resolve, 20));
    first.abort();
    expect(signals[0]?.aborted).toBe(false);
    second.abort();
    expect(signals[0]?.aborted).toBe(true);
    for (const outcome of pending) expect((await errorOf<PlugboardError>(outcome)).code).toBe('ABORTED');

    descope.delayMs = 0;
    await expect(shared.getCredentials(request())).resolves.toMatchObject({
      parameters: [{ value: `Bearer ${ACCESS_TOKEN}` }],
    });
    expect(signals).toHaveLength(2);
  });

  it('refuses at once when the signal is already aborted', async () => {
    const error = await errorOf<PlugboardError>(
      provider().getCredentials(request('user-42', { signal: AbortSignal.abort() })),
    );
    expect(error.code).toBe('ABORTED');
    expect(descope.requests).toHaveLength(0);
  });
});

describe('the fake Descope server', () => {
  // The provider never sends these; the fake must still refuse them the way Descope does.
  async function post(path: string, body: unknown, authorization = `Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}`) {
    const response = await fetch(`${descope.url}${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as unknown };
  }

  it("answers 400 with Descope's error shape for a missing appId, userId, tenantId or scopes", async () => {
    expect(await post('/v1/mgmt/outbound/app/user/token/latest', { userId: 'u' })).toEqual({
      status: 400,
      json: {
        errorCode: 'E011002',
        errorDescription: 'Request is invalid',
        errorMessage: 'The appId argument is invalid',
      },
    });
    expect((await post('/v1/mgmt/outbound/app/user/token/latest', { appId: 'a' })).json).toMatchObject({
      errorMessage: 'The userId argument is invalid',
    });
    expect((await post('/v1/mgmt/outbound/app/tenant/token/latest', { appId: 'a' })).json).toMatchObject({
      errorMessage: 'The tenantId argument is invalid',
    });
    expect((await post('/v1/mgmt/outbound/app/user/token', { appId: 'a', userId: 'u' })).json).toMatchObject({
      errorMessage: 'The scopes argument is invalid',
    });
  });

  it('answers 401 to a malformed Authorization header', async () => {
    expect(
      (await post('/v1/mgmt/outbound/app/user/token/latest', { appId: 'a', userId: 'u' }, `Bearer ${MANAGEMENT_KEY}`))
        .status,
    ).toBe(401);
  });
});
