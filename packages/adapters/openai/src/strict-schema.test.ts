import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJSONSchema, type $ZodType } from 'zod/v4/core';
import { restoreOmitted, toStrictSchema } from './strict-schema.js';

// The JSON Schema core gives an action's input: zod's, for input, without `$schema`.
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _schema, ...rest } = toJSONSchema(schema as unknown as $ZodType, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** Objects nested `levels` deep, the root included. */
function nested(levels: number): z.ZodType {
  let schema: z.ZodType = z.string();
  for (let level = 0; level < levels; level++) schema = z.object({ next: schema });
  return schema;
}

describe('toStrictSchema', () => {
  it('requires every property, closes every object, and makes optional fields nullable, at every depth', () => {
    const input = z.object({
      owner: z.string().min(1).describe('The owner.'),
      state: z.enum(['open', 'closed']).optional().describe('Filter by state.'),
      assignee: z.string().nullable().optional().describe('null for unassigned.'),
      since: z.iso.datetime().optional(),
      page: z.number().int().min(1).max(100).default(1),
      labels: z
        .array(z.object({ name: z.string(), color: z.string().max(6).optional() }))
        .max(10)
        .optional(),
      author: z.object({ login: z.string(), email: z.email().optional() }),
    });
    const strict = toStrictSchema(jsonSchema(input));
    expect(strict?.schema).toEqual({
      type: 'object',
      properties: {
        owner: { type: 'string', description: 'The owner.' },
        state: {
          anyOf: [{ type: 'string', enum: ['open', 'closed'] }, { type: 'null' }],
          description: 'Filter by state.',
        },
        assignee: { type: ['string', 'null'], description: 'null for unassigned.' },
        since: { type: ['string', 'null'], format: 'date-time' },
        page: { type: ['integer', 'null'], minimum: 1, maximum: 100 },
        labels: {
          type: ['array', 'null'],
          maxItems: 10,
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, color: { type: ['string', 'null'] } },
            required: ['name', 'color'],
            additionalProperties: false,
          },
        },
        author: {
          type: 'object',
          properties: { login: { type: 'string' }, email: { type: ['string', 'null'], format: 'email' } },
          required: ['login', 'email'],
          additionalProperties: false,
        },
      },
      required: ['owner', 'state', 'assignee', 'since', 'page', 'labels', 'author'],
      additionalProperties: false,
    });

    // What a strict model sends, back to what the zod schema expects.
    const sent = {
      owner: 'octo',
      state: null,
      assignee: null,
      since: null,
      page: null,
      labels: [
        { name: 'bug', color: null },
        { name: 'ui', color: 'ff0000' },
      ],
      author: { login: 'mona', email: null },
    };
    const restored = restoreOmitted(sent, strict?.plan ?? {});
    // `assignee` could be null before: that null stays, meaning "unassigned".
    expect(restored).toEqual({
      owner: 'octo',
      assignee: null,
      labels: [{ name: 'bug' }, { name: 'ui', color: 'ff0000' }],
      author: { login: 'mona' },
    });
    expect(input.parse(restored)).toEqual({
      owner: 'octo',
      assignee: null,
      page: 1,
      labels: [{ name: 'bug' }, { name: 'ui', color: 'ff0000' }],
      author: { login: 'mona' },
    });
    expect(sent.state).toBeNull(); // the model's arguments are not changed in place
  });

  it('keeps unions whose branches need no null mapping, and drops patterns strict mode cannot run', () => {
    const strict = toStrictSchema(
      jsonSchema(
        z.object({
          target: z.union([z.object({ kind: z.literal('user'), id: z.number() }), z.string()]),
          slug: z.string().regex(/^[a-z]+(?:-[a-z]+)*$/),
          word: z.string().regex(/^(?!admin)\w+$/),
        }),
      ),
    );
    expect(strict?.plan).toBeUndefined();
    expect(strict?.schema['properties']).toEqual({
      target: {
        anyOf: [
          {
            type: 'object',
            properties: { kind: { type: 'string', const: 'user' }, id: { type: 'number' } },
            required: ['kind', 'id'],
            additionalProperties: false,
          },
          { type: 'string' },
        ],
      },
      slug: { type: 'string', pattern: '^[a-z]+(?:-[a-z]+)*$' },
      word: { type: 'string' },
    });
  });

  it('gives up (the tool goes out without strict) on what strict mode cannot express', () => {
    const cases: Record<string, z.ZodType> = {
      record: z.object({ labels: z.record(z.string(), z.string()) }),
      loose: z.looseObject({ name: z.string() }),
      any: z.object({ payload: z.unknown() }),
      tuple: z.object({ point: z.tuple([z.number(), z.number()]) }),
      optionalInUnion: z.object({ target: z.union([z.object({ id: z.number().optional() }), z.string()]) }),
      rootUnion: z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]),
      tooDeep: nested(10),
    };
    for (const [name, schema] of Object.entries(cases)) {
      expect(toStrictSchema(jsonSchema(schema)), name).toBeUndefined();
    }
    for (const keyword of ['allOf', 'oneOf']) {
      const raw = {
        type: 'object',
        properties: { both: { [keyword]: [{ type: 'string' }, { type: 'number' }] } },
        required: ['both'],
      };
      expect(toStrictSchema(raw), keyword).toBeUndefined();
    }
    expect(
      toStrictSchema({
        type: 'object',
        properties: { node: { $ref: '#/$defs/node' } },
        $defs: { node: { type: 'string' } },
      }),
    ).toBeUndefined();
    // Nine levels of objects are fine.
    expect(toStrictSchema(jsonSchema(nested(9)))).toBeDefined();
  });

  it('leaves values that are not objects, and nulls it has no plan for, as they are', () => {
    const strict = toStrictSchema(jsonSchema(z.object({ note: z.string().optional(), tags: z.array(z.string()) })));
    const plan = strict?.plan ?? {};
    expect(restoreOmitted('text', plan)).toBe('text');
    expect(restoreOmitted(null, plan)).toBeNull();
    expect(restoreOmitted({ note: null, tags: [null], extra: null }, plan)).toEqual({ tags: [null], extra: null });
  });
});
