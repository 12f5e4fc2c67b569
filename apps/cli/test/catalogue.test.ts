// The catalogue commands, with the built-in connectors and with a --config module.
import { beforeAll, describe, expect, it } from 'vitest';
import { acmeConfig, assertBuilt, runCli } from './run-cli.js';

beforeAll(assertBuilt);

const acme = (args: string[]) => runCli(['--config', acmeConfig, ...args], { FAKE_URL: 'http://127.0.0.1:9' });

describe('catalogue commands', () => {
  it('apps lists the built-in connectors with their auth modes', async () => {
    const { code, stdout, stderr } = await runCli(['apps']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^APP +NAME +AUTH MODES +ACTIONS +VERSION\n/);
    expect(stdout).toMatch(/^github +GitHub +OAUTH2, BEARER_TOKEN, SIGNED_ASSERTION +\d+ /m);
    expect(stdout).toMatch(/^gmail +Gmail +OAUTH2, BEARER_TOKEN /m);
    expect(stdout).toMatch(/^shopify +Shopify +API_KEY, OAUTH2 /m);
    expect(stdout).toMatch(/^trello +Trello +OAUTH1, API_KEY +\d+ /m);
  });

  it('apps --json, and --config replaces the built-in connectors (PLUGBOARD_CONFIG too)', async () => {
    const { stdout } = await acme(['apps', '--json']);
    expect(JSON.parse(stdout)).toEqual([
      { id: 'acme', name: 'Acme', authModes: ['API_KEY', 'OAUTH2'], actionCount: 2, version: '1.0.0' },
    ]);
    const fromEnv = await runCli(['apps', '--json'], { PLUGBOARD_CONFIG: acmeConfig, FAKE_URL: 'http://127.0.0.1:9' });
    expect(JSON.parse(fromEnv.stdout)).toHaveLength(1);
  });

  it('actions [app] --tag filters, --json carries the input schema', async () => {
    const all = await acme(['actions']);
    expect(all.stdout).toBe(
      'ACTION             DESCRIPTION\nACME_GET_THING     Get one thing by its id.\nACME_CREATE_THING  Create a thing.\n',
    );
    const tagged = await acme(['actions', 'acme', '--tag', 'write', '--json']);
    const list = JSON.parse(tagged.stdout) as { name: string; inputJsonSchema: { required: string[] } }[];
    expect(list.map((action) => action.name)).toEqual(['ACME_CREATE_THING']);
    expect(list[0]?.inputJsonSchema.required).toEqual(['name']);
    const github = await runCli(['actions', 'github']);
    expect(github.stdout).toMatch(/^GITHUB_GET_A_PULL_REQUEST +Get one pull request/m);
  });

  it('action <NAME> shows the description, parameters with types, required and defaults, and auth modes', async () => {
    const { code, stdout } = await acme(['action', 'acme_create_thing']);
    expect(code).toBe(0);
    expect(stdout).toContain('ACME_CREATE_THING\n  Create a thing.\n');
    expect(stdout).toContain('auth modes: API_KEY, OAUTH2');
    expect(stdout).toMatch(/^ {2}name +string +yes +Its name\.$/m);
    expect(stdout).toMatch(/^ {2}count +integer +no +1$/m);
    expect(stdout).toMatch(/^ {2}tags +string\[\] +no$/m);
    expect(stdout).toMatch(/^ {2}meta +object +no$/m);
    expect(stdout).toContain('run it: plugboard run ACME_CREATE_THING name=...');
    const json = JSON.parse((await acme(['action', 'ACME_GET_THING', '--json'])).stdout) as {
      parameters: unknown[];
      authModes: string[];
    };
    expect(json.parameters).toEqual([
      { name: 'thing_id', type: 'integer', required: true, description: 'The id of the thing.' },
    ]);
  });

  it('schemes <app> shows each auth mode with who supplies each field, secret, required and default', async () => {
    const { code, stdout } = await runCli(['schemes', 'shopify']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^API_KEY \(preferred\): /m);
    expect(stdout).toMatch(/^ {2}api_key +user \(connect\) +yes +yes +string /m);
    expect(stdout).toMatch(/^ {2}shop +user \(connect\) +yes +no +string /m);
    expect(stdout).toMatch(/^OAUTH2: /m);
    expect(stdout).toMatch(/^ {2}client_secret +developer \(integration\) +yes +yes +string/m);
    // Shopify's documented default scopes, sent when an integration names none.
    expect(stdout).toMatch(
      /^ {2}scopes +developer \(integration\) +no +no +string\[\] +\["read_customers","read_orders","read_products","write_customers","write_products"\]/m,
    );
    const json = JSON.parse((await acme(['schemes', 'acme', '--json'])).stdout) as {
      mode: string;
      fields: { name: string; default?: unknown }[];
    }[];
    expect(json.map((scheme) => scheme.mode)).toEqual(['API_KEY', 'OAUTH2']);
    expect(json[0]?.fields.find((field) => field.name === 'region')?.default).toBe('eu');
  });
});

describe('catalogue errors', () => {
  it.each([
    ['GITHUB_GET_PR', 'GITHUB_GET_A_PULL_REQUEST'],
    ['GITHUB_GET_A_PULL_REQEST', 'GITHUB_GET_A_PULL_REQUEST'],
    ['create_issue', 'GITHUB_CREATE_ISSUE'],
  ])('an unknown action %s names the nearest: %s, exit 2', async (name, nearest) => {
    const { code, stdout, stderr } = await runCli(['action', name]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `^error: no action named ${name}\\nhint: did you mean ${nearest}\\b.*\\(plugboard actions lists them all\\)\\n$`,
      ),
    );
  });

  it('an unknown app names the nearest, exit 2', async () => {
    expect(await runCli(['schemes', 'gihtub'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: No app "gihtub" is registered. Registered apps: github, gmail, shopify, trello.\nhint: did you mean github? plugboard apps lists the apps\n',
    });
  });

  it('a --config path that does not exist is a usage error', async () => {
    const { code, stderr } = await runCli(['--config', 'nope.mjs', 'apps']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: config module not found: nope\.mjs\nhint: /);
  });
});
