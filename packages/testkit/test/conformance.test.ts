import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiKeyScheme, defineAction, defineConnector } from '@plugboard/core';
import { checkConnector, conformanceChecks, runConnectorConformance, type ConnectorFixtures } from '../src/index.js';
import { sample, sampleDefinition, sampleFixtures } from './sample-connectors.js';

// The suite as a connector author uses it: every check passes on a well-made connector.
runConnectorConformance(sample, sampleFixtures);

const failuresOf = async (
  definition: ReturnType<typeof sampleDefinition>,
  fixtures: ConnectorFixtures = sampleFixtures,
) => checkConnector(defineConnector(definition), fixtures);

describe('the conformance suite on broken connectors', () => {
  it('registers one test per check, naming every action and auth mode', () => {
    const names = conformanceChecks(sample, sampleFixtures).map((check) => check.name);
    expect(names).toContain('SAMPLE_GET_ITEM rejects invalid input without a request');
    expect(names).toContain('SAMPLE_RENAME_ITEM sends the request of its fixture');
    for (const mode of ['API_KEY', 'BEARER_TOKEN', 'BASIC', 'OAUTH2', 'OAUTH1']) {
      expect(names).toContain(`${mode}: credentials land where the scheme says`);
      expect(names).toContain(`${mode}: no secret reaches an error`);
    }
  });

  it('passes the sample connector with no failure', async () => {
    expect(await checkConnector(sample, sampleFixtures)).toEqual([]);
  });

  it('fails a connector built for another spec version, or with a version that is not semver', async () => {
    const failures = await failuresOf({ ...sampleDefinition(), specVersion: '2.0', version: 'latest' });
    expect(failures[0]).toEqual({
      check: 'shape: id, name, version and spec version',
      message: "The connector version 'latest' is not semver.",
    });
    // A toolset refuses it too, so every check that runs an action fails with the reason.
    expect(
      failures.find((failure) => failure.check === 'API_KEY: credentials land where the scheme says')?.message,
    ).toContain('implements connector spec 2.0');
    const spec = await failuresOf({ ...sampleDefinition(), specVersion: '2.0' });
    expect(spec[0]?.message).toContain('implements connector spec 2.0');
  });

  it('fails a declared generated-action count that the catalogue does not have', async () => {
    const generatedActions = () => [
      defineAction({
        name: 'SAMPLE_LIST_THINGS',
        description: 'Lists the things of the sample app.',
        input: z.object({}),
        request: 'GET /things',
      }),
    ];
    expect(await failuresOf({ ...sampleDefinition(), generatedActions, generatedActionCount: 1 })).toEqual([]);
    const failures = await failuresOf({ ...sampleDefinition(), generatedActions, generatedActionCount: 2 });
    expect(failures).toEqual([
      {
        check: 'shape: id, name, version and spec version',
        message:
          'generatedActionCount is 2, but generatedActions keeps 1 (curated actions take over the rest): listApps counts 2 until the catalogue is loaded.',
      },
    ]);
  });

  it('fails a secret-looking field not marked secret, and a placement of an undeclared field', async () => {
    const definition = sampleDefinition();
    definition.authSchemes = [
      apiKeyScheme({
        keyField: { name: 'api_token', secret: false },
        fields: [{ name: 'workspace', displayName: 'Workspace' }],
        placements: [
          { in: 'header', name: 'X-Api-Key', value: '{{api_token}}' },
          { in: 'subdomain', name: 'workspace', value: '{{workspace}}' },
        ],
      }),
    ];
    const failures = await failuresOf(definition);
    expect(failures.map((failure) => failure.check)).toContain('shape: auth schemes, their fields and placements');
    expect(failures.find((failure) => failure.check.startsWith('shape: auth'))?.message).toContain(
      'api_token looks like a secret',
    );

    definition.authSchemes = [
      apiKeyScheme({
        fields: [{ name: 'workspace', displayName: 'Workspace' }],
        placements: [
          { in: 'header', name: 'X-Api-Key', value: '{{apikey}}' },
          { in: 'subdomain', name: 'workspace', value: '{{workspace}}' },
        ],
      }),
    ];
    const undeclared = await failuresOf(definition);
    expect(undeclared.find((failure) => failure.check.startsWith('shape: auth'))?.message).toContain('{{apikey}}');
    // And the action checks fail too: the credential cannot be rendered.
    expect(undeclared.some((failure) => failure.check === 'SAMPLE_GET_ITEM sends the request of its fixture')).toBe(
      true,
    );
  });

  it('fails an action without a fixture, a fixture for no action, and a one-word description', async () => {
    const { SAMPLE_RENAME_ITEM: _rename, ...actions } = sampleFixtures.actions;
    const definition = sampleDefinition();
    definition.actions = [
      ...definition.actions,
      defineAction({ name: 'SAMPLE_PING', description: 'Ping.', input: z.object({}), request: 'GET /ping' }),
    ];
    const failures = await failuresOf(definition, {
      ...sampleFixtures,
      actions: { ...actions, SAMPLE_GONE: { input: {}, request: { method: 'GET', path: '/' } } },
    });
    const shape = failures.find(
      (failure) => failure.check === 'shape: action names, descriptions, input schemas and fixtures',
    );
    expect(shape?.message).toMatch(/SAMPLE_RENAME_ITEM has no fixture|SAMPLE_PING needs a description/);
    const onlyFixtures = await failuresOf(sampleDefinition(), {
      ...sampleFixtures,
      actions: { ...sampleFixtures.actions, SAMPLE_GONE: { input: {}, request: { method: 'GET', path: '/' } } },
    });
    expect(onlyFixtures).toEqual([
      {
        check: 'shape: action names, descriptions, input schemas and fixtures',
        message: 'The fixture SAMPLE_GONE names no action of sample.',
      },
    ]);
  });

  it('fails an action that sends a request for input its fixture calls invalid', async () => {
    const definition = sampleDefinition();
    definition.actions = [
      ...definition.actions.filter((action) => action.name !== 'SAMPLE_GET_ITEM'),
      // No .min(1) on fields: an empty one reaches the network as ?fields=.
      defineAction({
        name: 'SAMPLE_GET_ITEM',
        description: 'Get one item by id.',
        input: z.object({ id: z.string(), fields: z.string().optional() }),
        request: 'GET /items/{id}',
      }),
    ];
    const fixtures: ConnectorFixtures = {
      ...sampleFixtures,
      actions: {
        ...sampleFixtures.actions,
        SAMPLE_GET_ITEM: { ...sampleFixtures.actions['SAMPLE_GET_ITEM']!, invalidInputs: [{ id: 'it1', fields: '' }] },
      },
    };
    expect(await checkConnector(sample, fixtures)).toEqual([]);
    const failures = await failuresOf(definition, fixtures);
    expect(failures).toEqual([
      {
        check: 'SAMPLE_GET_ITEM rejects invalid input without a request',
        message: "SAMPLE_GET_ITEM accepted the invalid input { id: 'it1', fields: '' } ('successful').",
      },
    ]);
  });

  it('fails an input schema that is not an object', async () => {
    const definition = sampleDefinition();
    definition.actions = [
      ...definition.actions.filter((action) => action.name !== 'SAMPLE_GET_ITEM'),
      defineAction({
        name: 'SAMPLE_GET_ITEM',
        description: 'Get one item by id.',
        input: z.object({ id: z.string(), fields: z.string().optional() }).or(z.number()),
        request: 'GET /items/{id}',
      }),
    ];
    const failures = await failuresOf(definition);
    expect(failures.find((failure) => failure.check.startsWith('shape: action'))?.message).toBe(
      'SAMPLE_GET_ITEM takes union input; actions take a zod object.',
    );
  });

  it('fails an action whose request differs from its fixture in method, path, query or body', async () => {
    const definition = sampleDefinition();
    definition.actions = definition.actions.map((action) =>
      action.name === 'SAMPLE_GET_ITEM'
        ? defineAction({
            name: 'SAMPLE_GET_ITEM',
            description: 'Get one item by id.',
            input: z.object({ id: z.string(), fields: z.string().optional() }),
            request: 'POST /item/{id}',
          })
        : action,
    );
    const failures = await failuresOf(definition);
    expect(
      failures.find((failure) => failure.check === 'SAMPLE_GET_ITEM sends the request of its fixture')?.message,
    ).toBe('SAMPLE_GET_ITEM request 1: method POST, fixture says GET.');

    const wrongQuery: ConnectorFixtures = {
      ...sampleFixtures,
      actions: {
        ...sampleFixtures.actions,
        SAMPLE_GET_ITEM: {
          ...sampleFixtures.actions['SAMPLE_GET_ITEM']!,
          request: { method: 'GET', path: '/items/it%201', query: { fields: 'some' } },
        },
      },
    };
    expect((await checkConnector(sample, wrongQuery)).map((failure) => failure.message)).toEqual([
      expect.stringContaining("query { fields: 'all' }, fixture says { fields: 'some' }"),
    ]);

    const wrongBody: ConnectorFixtures = {
      ...sampleFixtures,
      actions: {
        ...sampleFixtures.actions,
        SAMPLE_CREATE_ITEM: {
          ...sampleFixtures.actions['SAMPLE_CREATE_ITEM']!,
          request: { method: 'POST', path: '/folders/f1/items', body: { title: 'A & B' } },
        },
      },
    };
    expect((await checkConnector(sample, wrongBody)).map((failure) => failure.message)).toEqual([
      expect.stringContaining('SAMPLE_CREATE_ITEM request 1: body'),
    ]);

    const tooFew: ConnectorFixtures = {
      ...sampleFixtures,
      actions: {
        ...sampleFixtures.actions,
        SAMPLE_RENAME_ITEM: {
          ...sampleFixtures.actions['SAMPLE_RENAME_ITEM']!,
          request: { method: 'GET', path: '/items/it1' },
        },
      },
    };
    expect((await checkConnector(sample, tooFew)).map((failure) => failure.message)).toEqual([
      'SAMPLE_RENAME_ITEM sent 2 request(s), its fixture expects 1.',
    ]);
  });

  it('fails a credential that does not land where its scheme says (a subdomain placement on a fixed host)', async () => {
    const failures = await failuresOf({ ...sampleDefinition(), baseUrl: 'https://api.sample.test/api/v2' });
    expect(failures.map((failure) => failure.check)).toEqual(
      ['API_KEY', 'BEARER_TOKEN', 'BASIC', 'OAUTH2', 'OAUTH1'].map(
        (mode) => `${mode}: credentials land where the scheme says`,
      ),
    );
    expect(failures[0]?.message).toBe(
      'API_KEY places subdomain "workspace", but the request went to host api.sample.test.',
    );
  });

  it('fails a key field not marked secret: the API echoes it and nothing redacts it', async () => {
    const definition = sampleDefinition();
    definition.authSchemes = [
      apiKeyScheme({
        keyField: { name: 'api_key', secret: false },
        fields: [{ name: 'workspace', displayName: 'Workspace' }],
        placements: [
          { in: 'header', name: 'X-Api-Key', value: '{{api_key}}' },
          { in: 'subdomain', name: 'workspace', value: '{{workspace}}' },
        ],
      }),
    ];
    const failures = await failuresOf(definition);
    expect(failures.map((failure) => failure.check)).toEqual(['API_KEY: no secret reaches an error']);
    expect(failures[0]?.message).toMatch(/^API_KEY: a secret \(api-\.\.\.\) appears in the error of SAMPLE_GET_ITEM/);
  });
});
