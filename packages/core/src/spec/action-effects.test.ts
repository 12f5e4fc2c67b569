import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../index.js';
import { HTTP_METHODS } from '../internal.js';

const input = z.object({ id: z.string() });

describe('effects of an action', () => {
  it.each([
    ['GET', { readOnly: true }],
    ['HEAD', { readOnly: true }],
    ['OPTIONS', { readOnly: true }],
    ['PUT', { idempotent: true }],
    ['DELETE', { destructive: true, idempotent: true }],
    ['POST', {}],
    ['PATCH', {}],
  ] as const)('a declarative %s request without declared effects gets %j', (method, expected) => {
    const action = defineAction({
      name: 'APP_THING',
      description: 'A thing.',
      input,
      request: `${method} /things/{id}`,
    });
    expect(action.effects).toEqual(expected);
  });

  it('covers every method the spec accepts', () => {
    for (const method of HTTP_METHODS) {
      const action = defineAction({ name: 'APP_THING', description: 'A thing.', input, request: `${method} /t/{id}` });
      expect(action.effects).toBeTypeOf('object');
    }
  });

  it('keeps declared effects instead of the method default, even an empty declaration', () => {
    const declared = defineAction({
      name: 'APP_SEARCH_THINGS',
      description: 'Search things (a POST that only reads).',
      input,
      request: 'POST /things/search',
      effects: { readOnly: true },
    });
    expect(declared.effects).toEqual({ readOnly: true });
    const none = defineAction({
      name: 'APP_GET_TOKEN',
      description: 'A GET that changes state.',
      input,
      request: 'GET /token/{id}',
      effects: {},
    });
    expect(none.effects).toEqual({});
  });

  it('gives a custom run no effects unless declared', () => {
    const run = async () => null;
    expect(defineAction({ name: 'APP_RUN', description: 'Runs.', input, run }).effects).toEqual({});
    expect(
      defineAction({ name: 'APP_RUN', description: 'Runs.', input, run, effects: { readOnly: true } }).effects,
    ).toEqual({ readOnly: true });
  });
});
