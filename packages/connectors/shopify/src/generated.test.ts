import { readFileSync } from 'node:fs';
import { createToolset, type Action } from '@plugboard/core';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_VERSIONS, generatedFiles, loadSchema, screamingSnake } from '../scripts/generate.mjs';
import { generatedActionName, screamingSnake as runtimeScreamingSnake } from './actions/generated.js';
import { CURATED_SPECS } from './actions/index.js';
import { BULK_OPERATION_POLL, BULK_OPERATION_RUN } from './actions/bulk-export.js';
import { adminCatalogue } from './graphql/catalogue.js';
import { operationCall } from './graphql/document.js';
import { shopify, SHOPIFY_DEFAULT_API_VERSION } from './index.js';

let schema: GraphQLSchema;
beforeAll(() => {
  schema = loadSchema(SHOPIFY_DEFAULT_API_VERSION);
});

describe('src/generated/', () => {
  it('is what scripts/generate.mjs writes from the pinned @shopify/dev-mcp (run `pnpm generate` after a change)', () => {
    for (const [name, content] of Object.entries(generatedFiles())) {
      expect(readFileSync(new URL(`./generated/${name}`, import.meta.url), 'utf8'), name).toBe(content);
    }
    expect(API_VERSIONS[0]).toBe(SHOPIFY_DEFAULT_API_VERSION);
  });

  it('holds every query and mutation of the schema, named SHOPIFY_ + the field in SCREAMING_SNAKE', () => {
    const catalogue = adminCatalogue(SHOPIFY_DEFAULT_API_VERSION);
    const queries = Object.keys(schema.getQueryType()?.getFields() ?? {});
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(queries.length).toBeGreaterThan(250);
    expect(mutations.length).toBeGreaterThan(450);
    expect(catalogue.operations.map(([field]) => field).sort()).toEqual([...queries, ...mutations].sort());
    expect(generatedActionName('productCreate')).toBe('SHOPIFY_PRODUCT_CREATE');
    expect(generatedActionName('shopifyPaymentsAccount')).toBe('SHOPIFY_SHOPIFY_PAYMENTS_ACCOUNT');
    for (const field of ['productCreate', 'customerAddressCreate', 'webPixelCreate', 'abandonedCheckoutsCount'])
      expect(runtimeScreamingSnake(field)).toBe(screamingSnake(field));
  });
});

describe('generated actions', () => {
  const generated = (): readonly Action[] => shopify.generatedActions?.() ?? [];
  const curatedNames = () => new Set(shopify.actions.flatMap((action) => [action.name, ...action.aliases]));

  it('cover every query and mutation: generated, or a curated action that carries the generated name as an alias', () => {
    const catalogue = adminCatalogue(SHOPIFY_DEFAULT_API_VERSION);
    const names = new Set([...generated().map((action) => action.name), ...curatedNames()]);
    const missing = catalogue.operations
      .map(([field]) => generatedActionName(field))
      .filter((name) => !names.has(name));
    expect(missing).toEqual([]);
  });

  it('every document validates against the schema with graphql-js, with every argument and with the required ones only', () => {
    const catalogue = adminCatalogue(SHOPIFY_DEFAULT_API_VERSION);
    let checked = 0;
    const failures: string[] = [];
    for (const [field, kind, , args, selection] of catalogue.operations) {
      const everything = Object.fromEntries(args.map(([name]) => [name, 'sample']));
      const required = Object.fromEntries(
        args.filter(([, type, , hasDefault]) => type.endsWith('!') && hasDefault !== 1).map(([name]) => [name, 'x']),
      );
      for (const input of [everything, required]) {
        const call = operationCall(kind === 0 ? 'query' : 'mutation', field, args, input, selection);
        for (const error of validate(schema, parse(call.query))) failures.push(`${field}: ${error.message}`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(catalogue.operations.length * 2);
  });

  it('list a described, closed JSON Schema and build a zod schema that refuses unknown keys, for every action', () => {
    const failures: string[] = [];
    for (const action of generated()) {
      const jsonSchema = action.inputJsonSchema as {
        properties: Record<string, { description?: string }>;
        additionalProperties: boolean;
        required?: string[];
      };
      if (jsonSchema.additionalProperties !== false) failures.push(`${action.name}: open`);
      for (const [name, property] of Object.entries(jsonSchema.properties))
        if (!/\w/.test(property.description ?? '')) failures.push(`${action.name}.${name}: no description`);
      const input = action.input as unknown as z.ZodType;
      if (input.safeParse({ notAnArgument: 1 }).success) failures.push(`${action.name}: took an unknown key`);
      if ((jsonSchema.required ?? []).length === 0 && !input.safeParse({}).success)
        failures.push(`${action.name}: refused an empty input without required arguments`);
    }
    expect(failures).toEqual([]);
  });

  it('queries are read-only and mutations not; scopes and deprecations come from the schema', () => {
    const byName = new Map(generated().map((action) => [action.name, action]));
    const orderUpdate = byName.get('SHOPIFY_ORDER_UPDATE');
    expect(orderUpdate?.effects.readOnly).toBe(false);
    expect(orderUpdate?.scopes).toEqual(['write_orders', 'write_marketplace_orders', 'write_quick_sale']);
    const collections = byName.get('SHOPIFY_COLLECTIONS');
    expect(collections?.effects).toEqual({ readOnly: true, idempotent: true });
    expect(collections?.scopes).toEqual(['read_products']);
    const deprecatedFields = [
      ...Object.values(schema.getQueryType()?.getFields() ?? {}),
      ...Object.values(schema.getMutationType()?.getFields() ?? {}),
    ].filter((field) => field.deprecationReason);
    expect(deprecatedFields.length).toBeGreaterThan(0);
    for (const field of deprecatedFields) {
      const action = byName.get(generatedActionName(field.name));
      if (action) expect(action.deprecated, field.name).toBe(true);
    }
    expect(generated().filter((action) => action.deprecated).length).toBeLessThanOrEqual(deprecatedFields.length);
  });

  it('list a JSON Schema with nested input objects, enums and documented scalars, and check the same with zod', async () => {
    const toolset = createToolset({ connectors: [shopify] });
    const action = toolset.getAction('SHOPIFY_PRODUCT_UPDATE');
    const jsonSchema = action.inputJsonSchema as {
      properties: Record<string, Record<string, unknown>>;
      $defs: Record<string, { properties?: Record<string, Record<string, unknown>>; enum?: string[] }>;
      additionalProperties: boolean;
    };
    expect(Object.keys(jsonSchema.properties).sort()).toEqual(['identifier', 'media', 'product', 'selection']);
    expect(jsonSchema.additionalProperties).toBe(false);
    expect(jsonSchema.$defs['ProductUpdateInput']?.properties?.['status']).toMatchObject({
      allOf: [{ $ref: '#/$defs/ProductStatus' }],
    });
    expect(jsonSchema.$defs['ProductStatus']?.enum).toEqual(['ACTIVE', 'ARCHIVED', 'DRAFT', 'UNLISTED']);
    const customers = toolset.getAction('SHOPIFY_ORDERS_COUNT').inputJsonSchema as {
      properties: Record<string, { description: string }>;
    };
    expect(customers.properties['limit']?.description).toMatch(/\w/);
    const dateTime = (
      toolset.getAction('SHOPIFY_PRODUCT_FEEDS').inputJsonSchema as { properties: Record<string, unknown> }
    ).properties;
    expect(dateTime).toHaveProperty('first');
    // Bad input is refused before anything is sent: no fetch is given, so a request would fail differently.
    const refused = await toolset.executeAction(
      'SHOPIFY_PRODUCT_UPDATE',
      { product: { id: 'gid://shopify/Product/1', status: 'SOLD_OUT' } },
      { auth: { parameters: [] } },
    );
    expect(refused).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
    const unknownField = await toolset.executeAction(
      'SHOPIFY_PRODUCT_UPDATE',
      { product: { id: 'gid://shopify/Product/1', colour: 'red' } },
      { auth: { parameters: [] } },
    );
    expect(unknownField).toMatchObject({ successful: false, error: { code: 'INVALID_PARAMS' } });
  });
});

describe('curated actions', () => {
  // Sample inputs that reach every branch of each document: fields given and not.
  const samples: Record<string, unknown[]> = {
    SHOPIFY_GET_ALL_CUSTOMERS: [{}, { fields: 'id,first_name', ids: [1, 2], since_id: 3, limit: 5, page_info: 'abc' }],
    SHOPIFY_GET_CUSTOMER: [{ customer_id: 1 }, { customer_id: 'gid://shopify/Customer/1', fields: ['id'] }],
    SHOPIFY_CREATE_CUSTOMER: [
      { customer: { email: 'a@example.com', email_marketing_consent: { state: 'subscribed' } } },
    ],
    SHOPIFY_SEARCH_CUSTOMERS: [{ query: 'country:Canada', sort_key: 'NAME' }],
    SHOPIFY_COUNT_CUSTOMERS: [{}, { created_at_min: '2024-01-01' }],
    SHOPIFY_LIST_ORDERS: [{}, { status: 'any', fields: 'id,name' }],
    SHOPIFY_GET_ORDER: [{ order_id: 1 }],
    SHOPIFY_LIST_PRODUCTS: [{}, { vendor: 'Apple', fields: 'id' }],
    SHOPIFY_GET_PRODUCT: [{ product_id: 1 }],
    SHOPIFY_CREATE_PRODUCT: [{ product: { title: 'Hat', images: [{ src: 'https://cdn.example/a.png' }] } }],
    SHOPIFY_GET_SHOP_DETAILS: [{}, { fields: 'name' }],
  };

  it('every document validates against the schema with graphql-js, and so do the bulk export documents', () => {
    const failures: string[] = [];
    for (const spec of CURATED_SPECS) {
      const inputs = samples[spec.name];
      expect(inputs, spec.name).toBeDefined();
      for (const sample of inputs ?? []) {
        const call = spec.call(spec.input().parse(sample));
        for (const error of validate(schema, parse(call.query))) failures.push(`${spec.name}: ${error.message}`);
      }
    }
    for (const document of [BULK_OPERATION_RUN, BULK_OPERATION_POLL])
      for (const error of validate(schema, parse(document))) failures.push(`bulk: ${error.message}`);
    expect(failures).toEqual([]);
    expect(Object.keys(samples).sort()).toEqual(CURATED_SPECS.map((spec) => spec.name).sort());
  });
});
