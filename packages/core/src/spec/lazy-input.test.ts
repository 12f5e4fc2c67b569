import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  createToolset,
  defineAction,
  defineConnector,
  noAuthScheme,
  type HttpResponse,
} from '../index.js';

function counted<T>(build: () => T): { build: () => T; calls: () => number } {
  let calls = 0;
  return {
    build: () => {
      calls += 1;
      return build();
    },
    calls: () => calls,
  };
}

function connectorWith(actions: ReturnType<typeof defineAction>[]) {
  return defineConnector({
    id: 'lazy',
    name: 'Lazy',
    version: '0.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: 'https://lazy.test',
    authSchemes: [noAuthScheme()],
    actions,
  });
}

describe('defineAction with a lazily built input schema', () => {
  it('builds the schema once, on first use, and validates with it', async () => {
    const schema = counted(() => z.object({ id: z.string().min(2).describe('The id.') }));
    const action = defineAction({
      name: 'LAZY_GET_ITEM',
      description: 'Get an item.',
      input: schema.build,
      request: 'GET /items/{id}',
    });
    const toolset = createToolset({
      connectors: [connectorWith([action])],
      fetch: async () => Response.json({ ok: true }),
    });
    expect(schema.calls()).toBe(0);
    expect((await toolset.executeAction('LAZY_GET_ITEM', { id: 'x' })).error).toMatchObject({ code: 'INVALID_PARAMS' });
    expect(await toolset.executeAction('LAZY_GET_ITEM', { id: 'item-1' })).toMatchObject({
      successful: true,
      data: { ok: true },
    });
    expect(toolset.getAction('LAZY_GET_ITEM').inputJsonSchema).toMatchObject({
      properties: { id: { description: 'The id.' } },
    });
    expect(action.input).toBe(action.input);
    expect(schema.calls()).toBe(1);
  });

  it('checks the built schema as an eager one is checked: a zod schema with every path parameter', () => {
    const missing = defineAction({
      name: 'LAZY_GET_THING',
      description: 'x',
      input: () => z.object({ other: z.string() }),
      request: 'GET /things/{id}',
    });
    expect(() => missing.input).toThrow(
      expect.objectContaining({ code: 'INVALID_DEFINITION', message: expect.stringContaining('{id}') }),
    );
    const notZod = defineAction({
      name: 'LAZY_GET_NOTHING',
      description: 'x',
      input: (() => ({ id: 'not a schema' })) as never,
      request: 'GET /nothing',
    });
    expect(() => notZod.input).toThrow(expect.objectContaining({ code: 'INVALID_DEFINITION' }));
    // The request itself is still checked when the action is defined.
    expect(() =>
      defineAction({ name: 'LAZY_BAD_PATH', description: 'x', input: () => z.object({}), request: 'GET no-slash' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_DEFINITION' }));
  });

  it('infers the input type from the builder', () => {
    const action = defineAction({
      name: 'LAZY_LIST_ITEMS',
      description: 'List items.',
      input: () => z.object({ page: z.number().int().optional() }),
      request: 'GET /items',
      mapResponse: (response: HttpResponse, input) => {
        expectTypeOf(input).toEqualTypeOf<{ page?: number | undefined }>();
        return response.data;
      },
    });
    expectTypeOf(action.input).toExtend<z.ZodObject>();
  });
});
