import { describe, expect, it } from 'vitest';
import { errorThrownBy } from '@plugboard/fakes';
import { z } from 'zod';
import { acmeConnector, shopConnector } from '../../test/fixtures.js';
import { CONNECTOR_SPEC_VERSION, bearerTokenScheme, createToolset, defineAction, defineConnector } from '../index.js';
import { createCatalogue } from './catalogue.js';

const base = 'http://127.0.0.1:9';

describe('catalogue', () => {
  const toolset = createToolset({ connectors: [acmeConnector(base), shopConnector('http://{shop}.shoply.test:9')] });

  it('lists apps with their auth modes, action count and version', () => {
    expect(toolset.listApps()).toEqual([
      {
        id: 'acme',
        name: 'Acme',
        authModes: ['API_KEY', 'BEARER_TOKEN', 'BASIC', 'OAUTH2', 'NO_AUTH'],
        actionCount: 7,
        version: '1.2.3',
      },
      { id: 'shoply', name: 'Shoply', authModes: ['API_KEY'], actionCount: 1, version: '0.1.0' },
    ]);
  });

  it('lists actions with the JSON Schema of their input, once per action despite aliases', () => {
    const actions = toolset.listActions({ app: 'acme' });
    expect(actions.map((action) => action.name)).toEqual([
      'ACME_GET_THING',
      'ACME_CREATE_THING',
      'ACME_SUBMIT_FORM',
      'ACME_GET_FILE',
      'ACME_COUNT_THINGS',
      'ACME_RENAME_OWNER',
      'ACME_LIST_PAGES',
    ]);
    const getThing = actions[0];
    expect(getThing).toMatchObject({ app: 'acme', tags: ['things', 'read'], aliases: ['ACME_FETCH_THING'] });
    expect(getThing?.inputJsonSchema).toMatchObject({
      type: 'object',
      properties: { owner: { type: 'string' }, thing_id: { type: 'integer' }, verbose: { type: 'boolean' } },
      required: ['owner', 'thing_id'],
    });
  });

  it('filters actions by tags and names, and finds an action by alias', () => {
    expect(toolset.listActions({ tags: ['write'] }).map((action) => action.name)).toEqual(['ACME_CREATE_THING']);
    expect(toolset.listActions({ names: ['ACME_FETCH_THING'] }).map((action) => action.name)).toEqual([
      'ACME_GET_THING',
    ]);
    expect(toolset.getAction('ACME_FETCH_THING').name).toBe('ACME_GET_THING');
  });

  it('refuses an unknown app or action with suggestions', () => {
    expect(errorThrownBy(() => toolset.listActions({ app: 'acmee' }))).toMatchObject({
      code: 'APP_NOT_FOUND',
      details: { suggestions: ['acme'] },
    });
    const error = errorThrownBy(() => toolset.getAction('ACME_GET_THNG'));
    expect(error.code).toBe('ACTION_NOT_FOUND');
    expect(error.message).toContain('Did you mean ACME_GET_THING');
  });

  it('returns the preferred or the named auth scheme as plain data', () => {
    const preferred = toolset.getAuthSchemeForApp('acme');
    expect(preferred.mode).toBe('API_KEY');
    expect(preferred.placements).toEqual([{ in: 'header', name: 'X-Api-Key' }]);
    expect(JSON.parse(JSON.stringify(preferred))).toEqual(preferred);
    const oauth = toolset.getAuthSchemeForApp('acme', 'OAUTH2');
    expect(oauth.oauth2).toMatchObject({
      tokenUrl: `${base}/oauth/token`,
      pkce: true,
      clientAuthMethod: 'client_secret_basic',
      defaultScopes: ['read'],
    });
    expect(oauth.fields.filter((field) => field.suppliedBy === 'developer').map((field) => field.name)).toEqual([
      'client_id',
      'client_secret',
      'scopes',
    ]);
    expect(errorThrownBy(() => toolset.getAuthSchemeForApp('shoply', 'OAUTH1'))).toMatchObject({
      code: 'AUTH_SCHEME_NOT_FOUND',
    });
  });

  it('gives the params an end user must supply', async () => {
    const expected = await toolset.getExpectedParamsForUser({ app: 'shoply', authScheme: 'API_KEY' });
    expect(expected.authScheme).toBe('API_KEY');
    expect(expected.expectedParams.map((field) => [field.name, field.required, field.secret])).toEqual([
      ['api_key', true, true],
      ['shop', true, false],
    ]);
    expect(
      (await toolset.getExpectedParamsForUser({ app: 'acme', authScheme: 'BASIC' })).expectedParams.map(
        (field) => field.name,
      ),
    ).toEqual(['username', 'password']);
    await expect(toolset.getExpectedParamsForUser({})).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(toolset.getExpectedParamsForUser({ app: 'nope' })).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });
});

describe('registration', () => {
  const minimal = (overrides: Partial<Parameters<typeof defineConnector>[0]> = {}) =>
    defineConnector({
      id: 'mini',
      name: 'Mini',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: base,
      authSchemes: [bearerTokenScheme()],
      actions: [defineAction({ name: 'MINI_PING', description: 'Ping.', input: z.object({}), request: 'GET /ping' })],
      ...overrides,
    });

  it('refuses a connector built for another spec version, naming both versions', () => {
    const error = errorThrownBy(() => createToolset({ connectors: [minimal({ specVersion: '2.0' })] }));
    expect(error.code).toBe('INCOMPATIBLE_SPEC_VERSION');
    expect(error.message).toContain('2.0');
    expect(error.message).toContain(CONNECTOR_SPEC_VERSION);
    const newerMinor = errorThrownBy(() => createToolset({ connectors: [minimal({ specVersion: '1.9' })] }));
    expect(newerMinor.code).toBe('INCOMPATIBLE_SPEC_VERSION');
  });

  it('accepts an older minor of the same major', () => {
    expect(createToolset({ connectors: [minimal({ specVersion: '1.0' })] }).listApps()).toHaveLength(1);
  });

  it('refuses two apps with one id and two actions with one name', () => {
    expect(errorThrownBy(() => createToolset({ connectors: [minimal(), minimal()] })).code).toBe(
      'DUPLICATE_DEFINITION',
    );
  });
});

describe('generated actions', () => {
  const action = (name: string, extra: Partial<Parameters<typeof defineAction>[0]> = {}) =>
    defineAction({
      name,
      description: name,
      input: z.object({ id: z.string() }),
      request: 'GET /things/{id}',
      ...extra,
    });
  const generatedConnector = (load: () => ReturnType<typeof action>[]) =>
    defineConnector({
      id: 'gen',
      name: 'Gen',
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: base,
      authSchemes: [bearerTokenScheme()],
      actions: [action('GEN_GET_THING', { aliases: ['GEN_GET_A_THING'] })],
      generatedActions: load,
    });

  it('are loaded on the first lookup that needs them, once, and curated names win', () => {
    let loads = 0;
    const connector = generatedConnector(() => {
      loads += 1;
      return [
        action('GEN_GET_A_THING', { description: 'generated twin of a curated action' }),
        action('GEN_DELETE_THING', { effects: { destructive: true, idempotent: true }, scopes: ['things.write'] }),
        action('GEN_OLD_THING', { deprecated: true }),
      ];
    });
    const toolset = createToolset({ connectors: [connector, acmeConnector(base)] });
    expect(loads).toBe(0);
    expect(toolset.getAction('GEN_GET_THING').name).toBe('GEN_GET_THING');
    expect(toolset.getAction('ACME_GET_THING').name).toBe('ACME_GET_THING');
    expect(loads).toBe(0);
    expect(toolset.getAction('GEN_DELETE_THING')).toMatchObject({
      effects: { destructive: true, idempotent: true },
      scopes: ['things.write'],
      deprecated: false,
    });
    expect(loads).toBe(1);
    // The curated action keeps the name the generator also produced.
    expect(toolset.getAction('GEN_GET_A_THING').name).toBe('GEN_GET_THING');
    expect(toolset.listActions({ app: 'gen' }).map((summary) => [summary.name, summary.deprecated])).toEqual([
      ['GEN_GET_THING', false],
      ['GEN_DELETE_THING', false],
      ['GEN_OLD_THING', true],
    ]);
    expect(toolset.listApps().find((app) => app.id === 'gen')?.actionCount).toBe(3);
    expect(loads).toBe(1);
  });

  it('listApps counts them from the declared count without loading them, and from the catalogue once loaded', () => {
    let loads = 0;
    const load = () => {
      loads += 1;
      return [action('GEN_GET_A_THING'), action('GEN_DELETE_THING'), action('GEN_OLD_THING')];
    };
    const connector = defineConnector({ ...generatedConnector(load), generatedActions: load, generatedActionCount: 2 });
    const toolset = createToolset({ connectors: [connector] });
    expect(toolset.listApps().find((app) => app.id === 'gen')?.actionCount).toBe(3);
    expect(loads).toBe(0);
    toolset.getAction('GEN_DELETE_THING');
    expect(loads).toBe(1);
    // Loaded: the catalogue itself is counted (the curated twin left out), the same number here.
    expect(toolset.listApps().find((app) => app.id === 'gen')?.actionCount).toBe(3);
    // A wrong declaration shows until the catalogue is loaded, then the real count wins.
    const wrong = defineConnector({ ...generatedConnector(load), generatedActions: load, generatedActionCount: 7 });
    const other = createToolset({ connectors: [wrong] });
    expect(other.listApps()[0]?.actionCount).toBe(8);
    other.listActions();
    expect(other.listApps()[0]?.actionCount).toBe(3);
  });

  it('a generated count must be a whole number and needs generatedActions', () => {
    const { generatedActions: _loaded, ...curatedOnly } = generatedConnector(() => []);
    const generatedActions = () => [];
    for (const definition of [
      { ...curatedOnly, generatedActionCount: 3 },
      { ...curatedOnly, generatedActions, generatedActionCount: -1 },
      { ...curatedOnly, generatedActions, generatedActionCount: 2.5 },
    ]) {
      expect(errorThrownBy(() => defineConnector(definition))).toMatchObject({ code: 'INVALID_DEFINITION' });
    }
  });

  it('an unknown name loads them before it is refused with suggestions', () => {
    const toolset = createToolset({ connectors: [generatedConnector(() => [action('GEN_DELETE_THING')])] });
    const error = errorThrownBy(() => toolset.getAction('GEN_DELETE_THNG'));
    expect(error.code).toBe('ACTION_NOT_FOUND');
    expect((error.details as { suggestions: string[] }).suggestions[0]).toBe('GEN_DELETE_THING');
  });

  it('two generated actions with one name are refused when they are loaded', () => {
    const toolset = createToolset({ connectors: [generatedConnector(() => [action('GEN_X_Y'), action('GEN_X_Y')])] });
    expect(errorThrownBy(() => toolset.listActions())).toMatchObject({ code: 'DUPLICATE_DEFINITION' });
  });

  it('take a JSON Schema given with the definition instead of deriving one', () => {
    const jsonSchema = { type: 'object', properties: { id: { type: 'string', description: 'from the vendor' } } };
    let built = 0;
    const toolset = createToolset({
      connectors: [
        generatedConnector(() => [
          action('GEN_LISTED', {
            inputJsonSchema: () => {
              built += 1;
              return jsonSchema;
            },
          }),
        ]),
      ],
    });
    expect(built).toBe(0);
    expect(toolset.getAction('GEN_LISTED').inputJsonSchema).toBe(jsonSchema);
    toolset.listActions();
    expect(built).toBe(1);
  });
});

describe('catalogue walks (actionsOf, allActions)', () => {
  const action = (name: string, aliases: string[] = []) =>
    defineAction({ name, description: name, input: z.object({}), request: 'GET /x', aliases });
  const connectorOf = (id: string, curated: ReturnType<typeof action>[], generated: ReturnType<typeof action>[]) => {
    let loads = 0;
    const connector = defineConnector({
      id,
      name: id,
      version: '1.0.0',
      specVersion: CONNECTOR_SPEC_VERSION,
      baseUrl: base,
      authSchemes: [bearerTokenScheme()],
      actions: curated,
      generatedActions: () => {
        loads += 1;
        return generated;
      },
    });
    return { connector, loads: () => loads };
  };

  it('list each action once, aliases folded, generated and custom ones included, in registration order', () => {
    const alpha = connectorOf('alpha', [action('ALPHA_ONE', ['ALPHA_FIRST', 'ALPHA_UNO'])], [action('ALPHA_TWO')]);
    const beta = connectorOf('beta', [action('BETA_ONE')], [action('BETA_TWO', ['BETA_SECOND'])]);
    const catalogue = createCatalogue([alpha.connector, beta.connector]);
    catalogue.registerCustomAction(action('ALPHA_CUSTOM'), alpha.connector);
    catalogue.registerCustomAction(action('FREE_STANDING'), undefined);

    expect(catalogue.actionsOf('alpha').map((entry) => entry.name)).toEqual(['ALPHA_ONE', 'ALPHA_CUSTOM', 'ALPHA_TWO']);
    // One app's walk loads only that app's generated catalogue.
    expect([alpha.loads(), beta.loads()]).toEqual([1, 0]);
    const all = catalogue.allActions();
    expect(all.map((entry) => [entry.action.name, entry.connector?.id])).toEqual([
      ['ALPHA_ONE', 'alpha'],
      ['BETA_ONE', 'beta'],
      ['ALPHA_CUSTOM', 'alpha'],
      ['FREE_STANDING', undefined],
      ['ALPHA_TWO', 'alpha'],
      ['BETA_TWO', 'beta'],
    ]);
    expect([alpha.loads(), beta.loads()]).toEqual([1, 1]);
    // The two walks agree on every app.
    for (const app of ['alpha', 'beta'])
      expect(catalogue.actionsOf(app)).toEqual(
        all.filter((entry) => entry.connector?.id === app).map((entry) => entry.action),
      );
    expect(() => catalogue.actionsOf('gamma')).toThrow(expect.objectContaining({ code: 'APP_NOT_FOUND' }));
  });
});
