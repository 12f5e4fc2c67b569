// integrations, connect (flags, a pseudo-terminal, the OAuth loopback), run and connections,
// each command a separate process on one store directory, against a local fake API and OAuth server.
import { beforeAll, describe, expect, it } from 'vitest';
import { ACME_CLIENT, startFakeServer, type FakeServer } from './fake-servers.js';
import {
  acmeConfig,
  assertBuilt,
  bin,
  cleanupsAfterEach,
  parseJson as json,
  robotsConfig,
  runCli,
  startCli,
  temporaryDirectory,
} from './run-cli.js';

beforeAll(assertBuilt);

const cleanups = cleanupsAfterEach();

interface Setup {
  fake: FakeServer;
  home: string;
  env: Record<string, string>;
  plugboard(args: string[], env?: Record<string, string>): ReturnType<typeof runCli>;
}

async function setup(): Promise<Setup> {
  const fake = await startFakeServer();
  cleanups.push(() => fake.close());
  const home = await temporaryDirectory(cleanups);
  const env = { ...fake.env, PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig };
  return { fake, home, env, plugboard: (args, extra = {}) => runCli(args, { ...env, ...extra }) };
}

describe('connect with flags, then run', () => {
  it('connects with an API key from the environment and runs an action with key=value as that entity', async () => {
    const { fake, plugboard } = await setup();
    const connected = await plugboard(
      ['connect', 'acme', '--entity', 'user-1', '--secret-from-env', 'api_key=ACME_KEY'],
      { ACME_KEY: 'key-user-1' },
    );
    expect(connected.stderr).toBe('');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toMatch(/^connected acme for entity user-1: connection [0-9a-f-]{36} \(ACTIVE\)\n$/);

    const result = await plugboard(['run', 'ACME_GET_THING', 'thing_id=7', '--entity', 'user-1']);
    expect(result).toEqual({
      code: 0,
      stdout: `${JSON.stringify({ id: 7, apiKey: 'key-user-1', authorization: null }, null, 2)}\n`,
      stderr: '',
    });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/things/7', apiKey: 'key-user-1' });
  });

  it('run coerces key=value by the schema, takes key:=json and --json, and --output json prints the whole result', async () => {
    const { fake, plugboard } = await setup();
    await plugboard(['connect', 'acme', '--set', 'api_key=key-default']);
    const result = await plugboard([
      'run',
      'ACME_CREATE_THING',
      'name=Widget',
      'count=3',
      'draft=true',
      'tags=a,b',
      'tags=c',
      'sizes=[1,2.5]',
      'meta={"color":"red"}',
      '--output',
      'json',
    ]);
    expect(result.code).toBe(0);
    const expected = {
      name: 'Widget',
      count: 3,
      draft: true,
      tags: ['a', 'b', 'c'],
      sizes: [1, 2.5],
      meta: { color: 'red' },
    };
    expect(json(result.stdout)).toEqual({ successful: true, data: { created: expected }, error: null });
    expect(json(fake.requests.at(-1)?.body ?? '')).toEqual(expected);

    const fromJson = await plugboard([
      'run',
      'ACME_CREATE_THING',
      '--json',
      '{"name":"Gadget","tags":["x"]}',
      'count:=5',
      'draft:=false',
    ]);
    expect(fromJson.code).toBe(0);
    expect(json(fromJson.stdout)).toEqual({ created: { name: 'Gadget', tags: ['x'], count: 5, draft: false } });
  });

  it('errors: a missing parameter names it (2), a wrong type (2), no connection gives the connect command (3), an unknown action suggests (2)', async () => {
    const { fake, plugboard } = await setup();
    expect(await plugboard(['run', 'ACME_GET_THING'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: invalid parameters for ACME_GET_THING: missing parameter thing_id\nhint: plugboard action ACME_GET_THING lists its parameters\n',
    });
    expect(await plugboard(['run', 'ACME_GET_THING', 'thing_id=seven'])).toMatchObject({
      code: 2,
      stderr:
        'error: thing_id must be a number, got "seven"\nhint: plugboard action ACME_GET_THING lists its parameters and types\n',
    });
    expect(await plugboard(['run', 'ACME_GET_THING', 'thing=1'])).toMatchObject({
      code: 2,
      stderr:
        'error: ACME_GET_THING has no parameter "thing"\nhint: plugboard action ACME_GET_THING lists its parameters\n',
    });
    expect(await plugboard(['run', 'ACME_GET_THING', 'thing_id=1', '--entity', 'user-9'])).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'error: entity user-9 has no active acme connection\nhint: connect first: plugboard connect acme --entity user-9\n',
    });
    expect(await plugboard(['run', 'ACME_GET_THNG', 'thing_id=1'])).toMatchObject({
      code: 2,
      stderr:
        'error: no action named ACME_GET_THNG\nhint: did you mean ACME_GET_THING? (plugboard actions lists them all)\n',
    });
    expect(fake.requests).toEqual([]);
  });

  it('an upstream error exits 1 with the status; PLUGBOARD_DEBUG=1 adds the redacted answer', async () => {
    const { plugboard } = await setup();
    await plugboard(['connect', 'acme', '--set', 'api_key=key-404']);
    const failed = await plugboard(['run', 'ACME_GET_THING', 'thing_id=404']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(
      /^error: .*404 Not Found: GET http:\/\/127\.0\.0\.1:\d+\/things\/404.*\nhint: the API refused the call; PLUGBOARD_DEBUG=1 prints the details\n$/,
    );
    const debug = await plugboard(['run', 'ACME_GET_THING', 'thing_id=404', '--output', 'json'], {
      PLUGBOARD_DEBUG: '1',
    });
    expect(json<{ successful: boolean; error: { code: string; status: number } }>(debug.stdout)).toMatchObject({
      successful: false,
      error: { code: 'UPSTREAM_ERROR', status: 404 },
    });
    expect(debug.stderr).toContain('No thing 404');
    expect(debug.stdout + debug.stderr).not.toContain('key-404');
  });

  it('run with per-call auth from the environment: no stored connection, the key sent and never printed', async () => {
    const { fake, plugboard } = await setup();
    const secret = 'per-call-key-9f3a';
    const result = await plugboard(
      ['run', 'ACME_GET_THING', 'thing_id=9', '--auth-from-env', 'header:X-Api-Key=ACME_CALL_KEY', '--output', 'json'],
      { ACME_CALL_KEY: secret },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ successful: true, data: { id: 9 } });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/things/9', apiKey: secret });
    expect(result.stderr).toBe('');
    expect(await plugboard(['connections', 'list'])).toMatchObject({ code: 0 });
    expect((await plugboard(['connections', 'list'])).stdout).not.toContain(secret);

    const unset = await plugboard(['run', 'ACME_GET_THING', 'thing_id=9', '--auth-from-env', 'header:X-Api-Key=NOPE']);
    expect(unset).toMatchObject({ code: 2, stdout: '' });
    expect(unset.stderr).toMatch(/NOPE .* is not set/);
    const malformed = await plugboard(
      ['run', 'ACME_GET_THING', 'thing_id=9', '--auth-from-env', 'cookie:x=ACME_CALL_KEY'],
      {
        ACME_CALL_KEY: secret,
      },
    );
    expect(malformed).toMatchObject({ code: 2, stdout: '' });
    expect(malformed.stderr).not.toContain(secret);
    expect(fake.requests).toHaveLength(1);
  });

  it('without a terminal, a missing user field is a usage error naming the flag to pass', async () => {
    const { plugboard } = await setup();
    expect(await plugboard(['connect', 'acme'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: connecting acme with API_KEY needs api_key, and there is no terminal to ask\nhint: pass --secret-from-env api_key=ENV_VAR (plugboard connect acme --auth-mode API_KEY)\n',
    });
  });
});

describe('connect at a terminal', () => {
  it('prompts for the API key through a pseudo-terminal and masks what is typed', async () => {
    const { home, fake, plugboard } = await setup();
    // script(1) gives the CLI a pseudo-terminal; what it prints (prompts included) comes back on stdout.
    // Its size is 0x0 when script's own stdin is a pipe; give it one so prompts lay out on lines.
    const command = `stty cols 100 rows 40; ${[process.execPath, bin, 'connect', 'acme', '--entity', 'typist'].map((part) => `'${part}'`).join(' ')}`;
    const session = startCli([], { ...fake.env, PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig, TERM: 'xterm' }, [
      'script',
      '-qfec',
      command,
      '/dev/null',
    ]);
    await session.waitFor('stdout', /API key/);
    session.child.stdin.write('typed-secret-42\r');
    const { code, stdout } = await session.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/connected acme for entity typist: connection [0-9a-f-]{36} \(ACTIVE\)/);
    expect(stdout).not.toContain('typed-secret-42');
    expect(stdout).toContain('•');

    const result = await plugboard(['run', 'ACME_GET_THING', 'thing_id=1', '--entity', 'typist']);
    expect(json<{ apiKey: string }>(result.stdout).apiKey).toBe('typed-secret-42');
  });
});

describe('integrations create at a terminal', () => {
  it('prompts for the missing developer fields, the client secret masked', async () => {
    const { home, fake, plugboard } = await setup();
    const command = `stty cols 100 rows 40; ${[process.execPath, bin, 'integrations', 'create', 'acme', '--auth-mode', 'OAUTH2', '--json'].map((part) => `'${part}'`).join(' ')}`;
    const session = startCli([], { ...fake.env, PLUGBOARD_HOME: home, PLUGBOARD_CONFIG: acmeConfig, TERM: 'xterm' }, [
      'script',
      '-qfec',
      command,
      '/dev/null',
    ]);
    await session.waitFor('stdout', /Client ID/);
    session.child.stdin.write('typed-client-id\r');
    await session.waitFor('stdout', /Client secret/i);
    session.child.stdin.write('typed-client-secret\r');
    const { code, stdout } = await session.done;
    expect(code).toBe(0);
    expect(stdout).toContain('typed-client-id');
    expect(stdout).not.toContain('typed-client-secret');
    const [integration] = json<{ authConfig: Record<string, unknown> }[]>(
      (await plugboard(['integrations', 'list', '--json'])).stdout,
    );
    expect(integration?.authConfig).toEqual({
      client_id: 'typed-client-id',
      client_secret: '[REDACTED]',
      scopes: ['things:read'],
    });
  });
});

describe('integrations', () => {
  it('create with --set and --secret-from-env, list without the secret, delete', async () => {
    const { plugboard } = await setup();
    const created = await plugboard(
      [
        'integrations',
        'create',
        'acme',
        '--auth-mode',
        'OAUTH2',
        '--set',
        'client_id=cid-1',
        '--set',
        'scopes=things:read,things:write',
        '--secret-from-env',
        'client_secret=ACME_SECRET',
        '--json',
      ],
      { ACME_SECRET: 'client-secret-1' },
    );
    expect(created.code).toBe(0);
    const integration = json<{ id: string; authConfig: Record<string, unknown> }>(created.stdout);
    expect(integration.authConfig).toEqual({
      client_id: 'cid-1',
      client_secret: '[REDACTED]',
      scopes: ['things:read', 'things:write'],
    });

    const list = await plugboard(['integrations', 'list']);
    expect(list.stdout).toMatch(new RegExp(`^${integration.id} +acme +OAUTH2 +acme OAUTH2 `, 'm'));
    expect((await plugboard(['integrations', 'list', '--json'])).stdout).not.toContain('client-secret-1');

    expect(await plugboard(['integrations', 'delete', integration.id])).toEqual({
      code: 0,
      stdout: `deleted integration ${integration.id}\n`,
      stderr: '',
    });
    expect(json((await plugboard(['integrations', 'list', '--json'])).stdout)).toEqual([]);
    expect(await plugboard(['integrations', 'delete', integration.id])).toMatchObject({
      code: 2,
      stderr: `error: No integration with id ${integration.id}.\nhint: plugboard integrations list shows the integrations\n`,
    });
  });

  it('create without a terminal and without the secret names the flags', async () => {
    const { plugboard } = await setup();
    expect(
      await plugboard(['integrations', 'create', 'acme', '--auth-mode', 'OAUTH2', '--set', 'client_id=cid-1']),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: the OAUTH2 integration of acme needs client_secret, and there is no terminal to ask\nhint: pass --secret-from-env client_secret=ENV_VAR (plugboard integrations create acme --auth-mode OAUTH2)\n',
    });
  });
});

describe('connect with OAuth 2.0 through the loopback listener', () => {
  it('prints the authorization URL; the browser follows it to 127.0.0.1; the connection is ACTIVE and runs', async () => {
    const { fake, plugboard, env } = await setup();
    expect(await plugboard(['connect', 'acme', '--auth-mode', 'OAUTH2'])).toMatchObject({
      code: 2,
      stderr:
        'error: the app acme has no OAUTH2 integration yet\nhint: create one first: plugboard integrations create acme --auth-mode OAUTH2 --set client_id=... --secret-from-env client_secret=ENV_VAR\n',
    });
    await plugboard(
      [
        'integrations',
        'create',
        'acme',
        '--auth-mode',
        'OAUTH2',
        '--set',
        'client_id=cid-1',
        '--secret-from-env',
        'client_secret=ACME_SECRET',
      ],
      { ACME_SECRET: 'client-secret-1' },
    );

    const connecting = startCli(
      ['connect', 'acme', '--auth-mode', 'OAUTH2', '--entity', 'oauth-user', '--timeout', '60'],
      env,
    );
    const [authorizationUrl = ''] = await connecting.waitFor(
      'stdout',
      new RegExp(`${fake.oauth.url.replace(/[.]/g, '\\.')}/authorize\\?\\S+`),
    );
    const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri') ?? '';
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    // Play the browser: the authorization server redirects to the CLI's loopback callback.
    const approval = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(approval.status).toBe(302);
    const callback = await fetch(approval.headers.get('location') ?? '');
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('You can close this tab');

    const { code, stdout, stderr } = await connecting.done;
    expect(stderr).toContain('waiting for the browser');
    expect(code).toBe(0);
    const id = /connected acme for entity oauth-user: connection ([0-9a-f-]{36}) \(ACTIVE\)/.exec(stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(fake.grants).toEqual(['authorization_code']);

    const run = await plugboard(['run', 'ACME_GET_THING', 'thing_id=2', '--connection', id]);
    const [issued] = fake.oauth.issuedTokens;
    expect(json<{ authorization: string }>(run.stdout).authorization).toBe(`Bearer ${issued?.accessToken}`);

    // connections show: field names, secrets masked; refresh: new token; delete.
    const shown = await plugboard(['connections', 'show', id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^status: +ACTIVE$/m);
    expect(shown.stdout).toMatch(/^ {2}access_token +••••••••$/m);
    expect(shown.stdout).toMatch(/^ {2}refresh_token +••••••••$/m);
    expect(shown.stdout).toMatch(/^ {2}token_type +bearer$/m);
    expect(shown.stdout + (await plugboard(['connections', 'show', id, '--json'])).stdout).not.toMatch(
      new RegExp(`${issued?.accessToken}|${issued?.refreshToken}|client-secret-1`),
    );

    const refreshed = await plugboard(['connections', 'refresh', id]);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toMatch(new RegExp(`^refreshed connection ${id} \\(ACTIVE, expires `));
    expect(fake.grants).toEqual(['authorization_code', 'refresh_token']);
    expect(
      json<{ authorization: string }>(
        (await plugboard(['run', 'ACME_GET_THING', 'thing_id=2', '--connection', id])).stdout,
      ).authorization,
    ).toBe(`Bearer ${fake.oauth.issuedTokens[1]?.accessToken}`);

    expect((await plugboard(['connections', 'list', '--entity', 'oauth-user'])).stdout).toMatch(
      new RegExp(`^${id} +acme +OAUTH2 +oauth-user +ACTIVE `, 'm'),
    );
    expect(await plugboard(['connections', 'delete', id])).toEqual({
      code: 0,
      stdout: `deleted connection ${id}\n`,
      stderr: '',
    });
    expect(json((await plugboard(['connections', 'list', '--json'])).stdout)).toEqual([]);
    expect(await plugboard(['run', 'ACME_GET_THING', 'thing_id=2', '--entity', 'oauth-user'])).toMatchObject({
      code: 3,
    });
  });

  it('a user who denies access: the browser sees why, the CLI exits 1 with a hint', async () => {
    const { fake, plugboard, env } = await setup();
    const created = await plugboard([
      'integrations',
      'create',
      'acme',
      '--auth-mode',
      'OAUTH2',
      '--set',
      'client_id=cid-1',
      '--set',
      'client_secret=s3cret',
      '--json',
    ]);
    const integrationId = json<{ id: string }>(created.stdout).id;
    const connecting = startCli(['connect', 'acme', '--integration', integrationId, '--no-open'], env);
    const [authorizationUrl = ''] = await connecting.waitFor(
      'stdout',
      new RegExp(`${fake.oauth.url.replace(/[.]/g, '\\.')}/authorize\\?\\S+`),
    );
    fake.oauth.denyNext('access_denied', null);
    const approval = await fetch(authorizationUrl, { redirect: 'manual' });
    const callback = await fetch(approval.headers.get('location') ?? '');
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('Connection failed');
    const { code, stderr } = await connecting.done;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: .*access_denied.*\nhint: try again: plugboard connect acme\n$/m);
  });
});

describe('connect with OAuth 2.0 client credentials: no browser', () => {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('a scheme whose only grant is client credentials connects at once; the token works and refreshes', async () => {
    const { fake, plugboard } = await setup();
    const robots = (args: string[], env: Record<string, string> = {}) =>
      plugboard(args, { PLUGBOARD_CONFIG: robotsConfig, ...env });
    expect(await robots(['connect', 'robots'])).toMatchObject({
      code: 2,
      stderr:
        'error: the app robots has no OAUTH2 integration yet\nhint: create one first: plugboard integrations create robots --auth-mode OAUTH2 --set client_id=... --secret-from-env client_secret=ENV_VAR\n',
    });
    await robots(
      [
        'integrations',
        'create',
        'robots',
        '--set',
        'client_id=robot-id',
        '--secret-from-env',
        'client_secret=ROBOT_SECRET',
      ],
      { ROBOT_SECRET: 'robot-secret-1' },
    );

    const connected = await robots(['connect', 'robots', '--entity', 'service']);
    expect(connected.stderr).toBe('');
    expect(connected.code).toBe(0);
    const id =
      /^connected robots for entity service: connection ([0-9a-f-]{36}) \(ACTIVE\)\n$/.exec(connected.stdout)?.[1] ??
      '';
    expect(id).not.toBe('');
    expect(fake.grants).toEqual(['client_credentials']);
    expect(fake.oauth.tokenRequests[0]?.headers['authorization']).toBe(basic('robot-id', 'robot-secret-1'));
    expect(fake.oauth.authorizeRequests).toEqual([]);

    const run = await robots(['run', 'ROBOTS_GET_THING', 'thing_id=5', '--entity', 'service']);
    const [first] = fake.oauth.issuedTokens;
    expect(json<{ authorization: string }>(run.stdout).authorization).toBe(`Bearer ${first?.accessToken}`);
    expect((await robots(['connections', 'refresh', id])).code).toBe(0);
    expect(fake.grants).toEqual(['client_credentials', 'client_credentials']);
    expect(
      json<{ authorization: string }>(
        (await robots(['run', 'ROBOTS_GET_THING', 'thing_id=5', '--entity', 'service'])).stdout,
      ).authorization,
    ).toBe(`Bearer ${fake.oauth.issuedTokens[1]?.accessToken}`);
    const shown = await robots(['connections', 'show', id, '--json']);
    expect(shown.stdout).not.toMatch(
      new RegExp(`${fake.oauth.issuedTokens.map((token) => token.accessToken).join('|')}|robot-secret-1`),
    );
  });

  it('--grant-type client_credentials picks it on a scheme that also has the browser flow; a grant the scheme lacks is a usage error', async () => {
    const { fake, home, plugboard } = await setup();
    fake.oauth.addClient({ ...ACME_CLIENT, clientSecret: 's3cret' });
    await plugboard([
      'integrations',
      'create',
      'acme',
      '--auth-mode',
      'OAUTH2',
      '--set',
      'client_id=cid-1',
      '--set',
      'client_secret=s3cret',
    ]);
    const connected = await plugboard([
      'connect',
      'acme',
      '--auth-mode',
      'OAUTH2',
      '--grant-type',
      'client_credentials',
      '--entity',
      'service',
      '--json',
    ]);
    expect(connected.code).toBe(0);
    expect(json(connected.stdout)).toMatchObject({
      app: 'acme',
      authMode: 'OAUTH2',
      entityId: 'service',
      status: 'ACTIVE',
    });
    const [issued] = fake.oauth.issuedTokens;
    expect(connected.stdout).not.toMatch(new RegExp(`${issued?.accessToken}|s3cret`));
    expect(fake.grants).toEqual(['client_credentials']);
    expect(
      json<{ authorization: string }>(
        (await plugboard(['run', 'ACME_GET_THING', 'thing_id=1', '--entity', 'service'])).stdout,
      ).authorization,
    ).toBe(`Bearer ${issued?.accessToken}`);

    expect(await plugboard(['connect', 'acme', '--grant-type', 'client_credentials', '--set', 'api_key=k'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: --grant-type is for OAUTH2, and this connects acme with API_KEY\nhint: add --auth-mode OAUTH2, or leave --grant-type out\n',
    });
    expect(
      await runCli(['connect', 'github', '--auth-mode', 'OAUTH2', '--grant-type', 'client_credentials'], {
        PLUGBOARD_HOME: home,
      }),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: the OAUTH2 scheme of github does not offer the client_credentials grant\nhint: its grants: authorization_code\n',
    });
  });
});

describe('connections', () => {
  it('list filters by app and entity; show masks the API key but shows non-secret fields', async () => {
    const { plugboard } = await setup();
    await plugboard(['connect', 'acme', '--entity', 'a', '--set', 'api_key=key-for-a', '--set', 'region=us']);
    await plugboard(['connect', 'acme', '--entity', 'b', '--set', 'api_key=key-for-b']);
    const list = json<{ id: string; entityId: string; status: string }[]>(
      (await plugboard(['connections', 'list', '--app', 'acme', '--json'])).stdout,
    );
    expect(list.map((connection) => connection.entityId).sort()).toEqual(['a', 'b']);
    const onlyA = json<{ id: string }[]>((await plugboard(['connections', 'list', '--entity', 'a', '--json'])).stdout);
    expect(onlyA).toHaveLength(1);
    const shown = await plugboard(['connections', 'show', onlyA[0]?.id ?? '']);
    expect(shown.stdout).toMatch(/^ {2}api_key +••••••••$/m);
    expect(shown.stdout).toMatch(/^ {2}region +us$/m);
    expect(shown.stdout).not.toContain('key-for-a');
    expect(await plugboard(['connections', 'show', 'nope'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: No connection with id nope.\nhint: plugboard connections list shows the connections\n',
    });
  });

  it('two CLI processes at once on one store directory both write', async () => {
    const { plugboard } = await setup();
    const entities = ['p1', 'p2', 'p3', 'p4'];
    const results = await Promise.all(
      entities.map((entity) => plugboard(['connect', 'acme', '--entity', entity, '--set', `api_key=key-${entity}`])),
    );
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0]);
    const list = json<{ entityId: string }[]>((await plugboard(['connections', 'list', '--json'])).stdout);
    expect(list.map((connection) => connection.entityId).sort()).toEqual(entities);
    const runs = await Promise.all(
      entities.map((entity) => plugboard(['run', 'ACME_GET_THING', 'thing_id=1', '--entity', entity])),
    );
    expect(runs.map((run) => json<{ apiKey: string }>(run.stdout).apiKey)).toEqual(
      entities.map((entity) => `key-${entity}`),
    );
  });
});
