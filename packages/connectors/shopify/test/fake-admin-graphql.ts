// The GraphQL Admin API of the fake shops: documents are parsed, validated and executed by
// graphql-js against Shopify's own schema (the version the connector was generated from), so an
// invalid document gets the errors Shopify would send. Costs follow Shopify's rules of thumb (1 per
// object, connections by the number asked for, 10 per mutation) against a leaky bucket per shop;
// bulk operations go CREATED -> RUNNING -> COMPLETED over successive polls and leave a JSONL file.
// See https://shopify.dev/docs/api/usage/limits and https://shopify.dev/docs/api/usage/bulk-operations/queries

import {
  execute,
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { loadSchema } from '../scripts/generate.mjs';

let schemaOfVersion: GraphQLSchema | undefined;

/** Shopify's schema of the generated version, built once per test process. */
export function adminSchema(): GraphQLSchema {
  schemaOfVersion ??= loadSchema('2026-10');
  return schemaOfVersion;
}

export type Resource = Record<string, unknown> & { id: string; legacyResourceId: string };

export interface BulkOperation {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'EXPIRED';
  query: string;
  groupObjects: boolean;
  polls: number;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
  type: 'QUERY';
}

export interface FakeShop {
  name: string;
  /** Shopify's numeric shop id, sent back in `X-ShopId`. */
  shopId: string;
  tokens: Set<string>;
  customers: Resource[];
  orders: Resource[];
  products: Resource[];
  info: Record<string, unknown>;
  bucket: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number; at: number };
  bulkOperations: BulkOperation[];
  /** The next bulk operation fails with this error code. */
  failNextBulk?: string | undefined;
}

let nextId = 7_000_000_001;

function gid(type: string, id: number): { id: string; legacyResourceId: string } {
  return { id: `gid://shopify/${type}/${id}`, legacyResourceId: String(id) };
}

function customer(first: string, last: string, createdAt: string, tags: string[] = []): Resource {
  const email = `${first.toLowerCase()}@example.com`;
  return {
    ...gid('Customer', nextId++),
    firstName: first,
    lastName: last,
    displayName: `${first} ${last}`,
    defaultEmailAddress: { emailAddress: email, marketingState: 'NOT_SUBSCRIBED' },
    defaultPhoneNumber: null,
    state: 'DISABLED',
    tags,
    note: null,
    verifiedEmail: true,
    taxExempt: false,
    numberOfOrders: '0',
    amountSpent: { amount: '0.0', currencyCode: 'USD' },
    createdAt,
    updatedAt: createdAt,
  };
}

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' } });

function order(id: number, fields: Record<string, unknown>): Resource {
  return {
    ...gid('Order', id),
    currencyCode: 'USD',
    closedAt: null,
    cancelledAt: null,
    customer: null,
    lineItems: [],
    displayFulfillmentStatus: 'UNFULFILLED',
    ...fields,
    updatedAt: fields['createdAt'],
    processedAt: fields['createdAt'],
  };
}

function product(id: number, fields: Record<string, unknown>): Resource {
  return {
    ...gid('Product', id),
    tags: [],
    descriptionHtml: '',
    publishedAt: null,
    totalInventory: 0,
    options: [{ name: 'Title', values: ['Default Title'] }],
    variants: [],
    ...fields,
    updatedAt: fields['createdAt'],
  };
}

export function seedShop(name: string, shopId: string): FakeShop {
  const customers = [
    customer('Ada', 'Lovelace', '2024-01-05T15:00:00Z', ['vip']),
    customer('Bob', 'Norman', '2024-02-10T15:00:00Z'),
    customer('Cleo', 'Park', '2024-03-15T14:00:00Z'),
    customer('Dan', 'Ito', '2024-04-20T14:00:00Z'),
    customer('Eve', 'Adams', '2024-05-25T14:00:00Z'),
  ];
  const lineItem = {
    id: 'gid://shopify/LineItem/466157049',
    title: 'IPod Nano - 8gb',
    quantity: 1,
    sku: 'IPOD2008PINK',
  };
  const orders = [
    order(450789469, {
      name: '#1001',
      email: 'ada@example.com',
      displayFinancialStatus: 'PAID',
      totalPriceSet: money('199.00'),
      createdAt: '2024-06-01T16:00:00Z',
      customer: { id: customers[0]?.id, displayName: 'Ada Lovelace' },
      lineItems: [{ ...lineItem, originalUnitPriceSet: money('199.00') }],
    }),
    order(450789470, {
      name: '#1002',
      email: 'bob@example.com',
      displayFinancialStatus: 'PENDING',
      totalPriceSet: money('25.00'),
      createdAt: '2024-06-02T16:00:00Z',
    }),
    order(450789471, {
      name: '#1003',
      email: 'cleo@example.com',
      displayFinancialStatus: 'REFUNDED',
      displayFulfillmentStatus: 'FULFILLED',
      closedAt: '2024-06-10T16:00:00Z',
      totalPriceSet: money('10.00'),
      createdAt: '2024-06-03T16:00:00Z',
    }),
    order(450789472, {
      name: '#1004',
      email: 'dan@example.com',
      displayFinancialStatus: 'VOIDED',
      closedAt: '2024-06-11T16:00:00Z',
      cancelledAt: '2024-06-11T16:00:00Z',
      totalPriceSet: money('5.00'),
      createdAt: '2024-06-04T16:00:00Z',
    }),
  ];
  const products = [
    product(632910392, {
      title: 'IPod Nano - 8GB',
      handle: 'ipod-nano',
      vendor: 'Apple',
      productType: 'Cult Products',
      status: 'ACTIVE',
      createdAt: '2024-01-01T05:00:00Z',
      variants: [
        { id: 'gid://shopify/ProductVariant/808950810', title: 'Pink', price: '199.00', sku: 'IPOD2008PINK' },
        { id: 'gid://shopify/ProductVariant/49148385', title: 'Red', price: '199.00', sku: 'IPOD2008RED' },
      ],
    }),
    product(921728736, {
      title: 'IPod Touch 8GB',
      handle: 'ipod-touch',
      vendor: 'Apple',
      productType: 'Cult Products',
      status: 'DRAFT',
      createdAt: '2024-01-02T05:00:00Z',
    }),
  ];
  return {
    name,
    shopId,
    tokens: new Set(),
    customers,
    orders,
    products,
    info: {
      id: `gid://shopify/Shop/${shopId}`,
      name: `${name} store`,
      email: `owner@${name}.example`,
      contactEmail: `owner@${name}.example`,
      myshopifyDomain: `${name}.myshopify.com`,
      primaryDomain: { host: `${name}.example`, url: `https://${name}.example` },
      url: `https://${name}.example`,
      currencyCode: 'USD',
      enabledPresentmentCurrencies: ['USD'],
      ianaTimezone: 'America/New_York',
      timezoneAbbreviation: 'EST',
      plan: { publicDisplayName: 'Basic', partnerDevelopment: false, shopifyPlus: false },
      billingAddress: {
        address1: '1 Main St',
        city: 'Ottawa',
        provinceCode: 'ON',
        countryCodeV2: 'CA',
        zip: 'K1A 0B1',
      },
      createdAt: '2023-12-01T00:00:00Z',
    },
    bucket: { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100, at: Date.now() },
    bulkOperations: [],
  };
}

// ----- Shopify's search syntax, the part the tests use: `a:b AND (id:1 OR id:2) AND created_at:>=x`

function splitTop(text: string, separator: ' AND ' | ' OR '): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === '"' && text[index - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (character === '(') depth++;
    else if (character === ')') depth--;
    else if (depth === 0 && text.startsWith(separator, index)) {
      parts.push(text.slice(start, index));
      start = index + separator.length;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

function unquote(value: string): string {
  return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

function termMatches(resource: Resource, term: string): boolean {
  if (term.startsWith('(') && term.endsWith(')'))
    return splitTop(term.slice(1, -1), ' OR ').some((part) => termMatches(resource, part));
  const match = /^([a-z_]+):(>=|<=|>|<)?(.*)$/.exec(term);
  if (!match) return JSON.stringify(resource).toLowerCase().includes(unquote(term).toLowerCase());
  const [, field, operator, raw] = match as unknown as [string, string, string | undefined, string];
  const value = unquote(raw);
  const actual = fieldValue(resource, field);
  if (actual === undefined) return true;
  if (field === 'id') {
    const left = BigInt(actual as string);
    const right = BigInt(value);
    if (operator === '>') return left > right;
    if (operator === '>=') return left >= right;
    if (operator === '<') return left < right;
    if (operator === '<=') return left <= right;
    return left === right;
  }
  if (operator) {
    const left = Date.parse(actual as string);
    const right = Date.parse(value);
    if (operator === '>') return left > right;
    if (operator === '>=') return left >= right;
    if (operator === '<') return left < right;
    return left <= right;
  }
  if (Array.isArray(actual)) return actual.some((entry) => String(entry).toLowerCase() === value.toLowerCase());
  return String(actual).toLowerCase() === value.toLowerCase();
}

function fieldValue(resource: Resource, field: string): unknown {
  switch (field) {
    case 'id':
      return resource.legacyResourceId;
    case 'created_at':
      return resource['createdAt'];
    case 'updated_at':
      return resource['updatedAt'];
    case 'processed_at':
      return resource['processedAt'];
    case 'email':
      return (
        (resource['defaultEmailAddress'] as { emailAddress?: string } | undefined)?.emailAddress ?? resource['email']
      );
    case 'status':
      if ('displayFinancialStatus' in resource) {
        if (resource['cancelledAt']) return ['cancelled', 'closed'];
        return resource['closedAt'] ? 'closed' : 'open';
      }
      return String(resource['status']).toLowerCase();
    case 'financial_status':
      return String(resource['displayFinancialStatus']).toLowerCase();
    case 'vendor':
    case 'title':
    case 'handle':
    case 'name':
      return resource[field];
    case 'tag':
      return resource['tags'];
    default:
      return undefined;
  }
}

/** The resources a search query matches, in id order. */
export function search(resources: readonly Resource[], query: string | null | undefined): Resource[] {
  const terms = query ? splitTop(query, ' AND ') : [];
  return [...resources]
    .sort((left, right) => Number(BigInt(left.legacyResourceId) - BigInt(right.legacyResourceId)))
    .filter((resource) => terms.every((term) => termMatches(resource, term)));
}

function cursorOf(item: unknown, index: number): string {
  const id = (item as { legacyResourceId?: string }).legacyResourceId ?? String(index);
  return Buffer.from(JSON.stringify({ last_id: id })).toString('base64url');
}

/** A connection over a list, paged by `first`/`after` as Shopify does. */
export function connection(items: readonly unknown[], args: { first?: number | null; after?: string | null }) {
  let start = 0;
  if (args.after) {
    const decoded = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8')) as { last_id: string };
    start =
      items.findIndex((item, index) => cursorOf(item, index) === cursorOf({ legacyResourceId: decoded.last_id }, 0)) +
      1;
  }
  const page = items.slice(start, args.first == null ? undefined : start + args.first);
  const edges = page.map((node, index) => ({ node, cursor: cursorOf(node, start + index) }));
  return {
    nodes: page,
    edges,
    pageInfo: {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

// ----- cost (https://shopify.dev/docs/api/usage/limits#cost-calculation)

function argumentNumber(value: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return typeof given === 'number' ? given : undefined;
  }
  return undefined;
}

function selectionCost(selectionSet: SelectionSetNode | undefined, variables: Record<string, unknown>): number {
  let cost = 0;
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.selectionSet) continue;
      const size = argumentNumber(
        selection.arguments?.find((argument) => argument.name.value === 'first' || argument.name.value === 'last')
          ?.value,
        variables,
      );
      const children = selectionCost(selection.selectionSet, variables);
      cost += size === undefined ? 1 + children : 2 + size * Math.max(1, children);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += selectionCost(selection.selectionSet, variables);
    }
  }
  return cost;
}

/** The requested cost of a document: 10 per mutation, the selection's cost for a query. */
export function requestedCost(document: DocumentNode, variables: Record<string, unknown>): number {
  let cost = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    cost += definition.operation === 'mutation' ? 10 : Math.max(1, selectionCost(definition.selectionSet, variables));
  }
  return cost;
}

// ----- execution

// Fields the fake holds no data for answer an empty value of their type, so that any selection of
// a seeded object executes (non-null fields would otherwise fail the whole answer).
const emptyValueResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  const value = (source as Record<string, unknown> | null)?.[info.fieldName];
  if (typeof value === 'function') return (value as (...parameters: unknown[]) => unknown)(args, context, info);
  if (value !== undefined || !isNonNullType(info.returnType)) return value ?? null;
  const type = getNullableType(info.returnType);
  if (isListType(type)) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.value;
  switch (named.name) {
    case 'Boolean':
      return false;
    case 'Int':
    case 'Float':
      return 0;
    case 'String':
    case 'ID':
    case 'URL':
    case 'HTML':
    case 'FormattedString':
      return '';
    case 'DateTime':
      return '2024-01-01T00:00:00Z';
    case 'UnsignedInt64':
    case 'Decimal':
    case 'Money':
      return '0';
    default:
      return {};
  }
};

/** The root resolvers of one shop. */
export function rootValue(shop: FakeShop, storageUrl: (operation: BulkOperation) => string) {
  const listed = (resources: Resource[], typename: string) => (args: Record<string, unknown>) =>
    connection(
      search(resources, args['query'] as string | undefined).map((resource) =>
        withConnections({ ...resource, __typename: typename }),
      ),
      args as never,
    );
  const byId = (resources: Resource[], typename: string) => (args: { id: string }) => {
    const found = resources.find((resource) => resource.id === args.id);
    return found ? withConnections({ ...found, __typename: typename }) : null;
  };
  return {
    shop: () => shop.info,
    customers: listed(shop.customers, 'Customer'),
    customer: byId(shop.customers, 'Customer'),
    customersCount: (args: { query?: string }) => ({
      count: search(shop.customers, args.query).length,
      precision: 'EXACT',
    }),
    orders: listed(shop.orders, 'Order'),
    order: byId(shop.orders, 'Order'),
    products: listed(shop.products, 'Product'),
    product: byId(shop.products, 'Product'),
    bulkOperation: (args: { id: string }) => {
      const operation = shop.bulkOperations.find((entry) => entry.id === args.id);
      if (!operation) return null;
      advance(shop, operation, storageUrl);
      return operation;
    },
    customerCreate: (args: { input: Record<string, unknown> }) => {
      const input = args.input;
      const email = input['email'] as string | undefined;
      if (email && shop.customers.some((entry) => fieldValue(entry, 'email') === email))
        return { customer: null, userErrors: [{ field: ['email'], message: 'Email has already been taken' }] };
      const created = customer(
        String(input['firstName'] ?? ''),
        String(input['lastName'] ?? ''),
        '2026-11-22T14:00:00Z',
      );
      Object.assign(created, {
        defaultEmailAddress: email ? { emailAddress: email, marketingState: 'NOT_SUBSCRIBED' } : null,
        tags: input['tags'] ?? [],
        note: input['note'] ?? null,
      });
      shop.customers.push(created);
      return { customer: created, userErrors: [] };
    },
    productCreate: (args: { product?: Record<string, unknown> }) => {
      const input = args.product ?? {};
      if (typeof input['title'] !== 'string' || input['title'].trim() === '')
        return { product: null, userErrors: [{ field: ['title'], message: "Title can't be blank", code: 'BLANK' }] };
      const created = product(nextId++, {
        title: input['title'],
        handle:
          input['handle'] ??
          String(input['title'])
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-'),
        vendor: input['vendor'] ?? '',
        productType: input['productType'] ?? '',
        status: input['status'] ?? 'ACTIVE',
        tags: input['tags'] ?? [],
        descriptionHtml: input['descriptionHtml'] ?? '',
        createdAt: '2026-11-22T14:00:00Z',
      });
      shop.products.push(created);
      return { product: withConnections(created), userErrors: [] };
    },
    productDelete: (args: { input: { id: string } }) => {
      const index = shop.products.findIndex((entry) => entry.id === args.input.id);
      if (index === -1)
        return {
          deletedProductId: null,
          userErrors: [{ field: ['id'], message: 'Product does not exist', code: null }],
        };
      shop.products.splice(index, 1);
      return { deletedProductId: args.input.id, userErrors: [] };
    },
    bulkOperationRunQuery: (args: { query: string; groupObjects: boolean }) => {
      if (shop.bulkOperations.some((entry) => entry.status === 'CREATED' || entry.status === 'RUNNING')) {
        return {
          bulkOperation: null,
          userErrors: [
            {
              field: ['query'],
              message: 'A bulk query operation for this app and shop is already in progress.',
              code: 'OPERATION_IN_PROGRESS',
            },
          ],
        };
      }
      let document: DocumentNode;
      try {
        document = parse(args.query);
      } catch (error) {
        return { bulkOperation: null, userErrors: [{ field: ['query'], message: String(error), code: 'INVALID' }] };
      }
      const errors = validate(adminSchema(), document);
      if (errors.length > 0)
        return {
          bulkOperation: null,
          userErrors: [{ field: ['query'], message: `Invalid bulk query: ${errors[0]?.message}`, code: 'INVALID' }],
        };
      const operation: BulkOperation = {
        id: `gid://shopify/BulkOperation/${nextId++}`,
        status: 'CREATED',
        query: args.query,
        groupObjects: args.groupObjects,
        polls: 0,
        errorCode: null,
        objectCount: '0',
        rootObjectCount: '0',
        fileSize: null,
        url: null,
        partialDataUrl: null,
        createdAt: '2026-11-22T14:00:00Z',
        completedAt: null,
        type: 'QUERY',
      };
      shop.bulkOperations.push(operation);
      return { bulkOperation: operation, userErrors: [] };
    },
  };
}

// Products have variants, orders line items: as connections, in the nodes/edges shape.
function withConnections(resource: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...resource };
  for (const key of ['variants', 'lineItems']) {
    const list = resource[key];
    if (Array.isArray(list)) copy[key] = (args: Record<string, unknown>) => connection(list, args as never);
  }
  return copy;
}

/** The bulk result file: a line per node, nested connections' nodes as lines with `__parentId`. */
export const bulkFiles = new Map<string, string>();

function flatten(value: unknown, parentId: string | undefined, lines: Record<string, unknown>[]): number {
  const nodes =
    (value as { edges?: { node: unknown }[]; nodes?: unknown[] }).edges?.map((edge) => edge.node) ??
    (value as { nodes?: unknown[] }).nodes ??
    [];
  for (const node of nodes) {
    const line: Record<string, unknown> = {};
    const nested: unknown[] = [];
    for (const [key, field] of Object.entries(node as Record<string, unknown>)) {
      if (field && typeof field === 'object' && ('edges' in field || 'nodes' in field)) nested.push(field);
      else line[key] = field;
    }
    if (parentId !== undefined) line['__parentId'] = parentId;
    lines.push(line);
    for (const child of nested) flatten(child, line['id'] as string, lines);
  }
  return nodes.length;
}

function advance(shop: FakeShop, operation: BulkOperation, storageUrl: (operation: BulkOperation) => string): void {
  operation.polls++;
  if (operation.status === 'CREATED') {
    operation.status = 'RUNNING';
    return;
  }
  if (operation.status !== 'RUNNING') return;
  if (shop.failNextBulk) {
    operation.status = 'FAILED';
    operation.errorCode = shop.failNextBulk;
    shop.failNextBulk = undefined;
    return;
  }
  const result = execute({
    schema: adminSchema(),
    document: parse(operation.query),
    rootValue: rootValue(shop, storageUrl),
    fieldResolver: emptyValueResolver,
  }) as { data?: Record<string, unknown> };
  const lines: Record<string, unknown>[] = [];
  let roots = 0;
  for (const value of Object.values(result.data ?? {})) roots += flatten(value, undefined, lines);
  operation.status = 'COMPLETED';
  operation.completedAt = '2026-11-22T14:01:00Z';
  operation.objectCount = String(lines.length);
  operation.rootObjectCount = String(roots);
  if (lines.length > 0) {
    const text = `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
    operation.url = storageUrl(operation);
    operation.fileSize = String(text.length);
    bulkFiles.set(new URL(operation.url).pathname, text);
  }
}

export interface GraphqlAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Answers one POST /graphql.json as Shopify does: 200 with data, errors and extensions.cost. */
export function answerGraphql(
  shop: FakeShop,
  body: { query?: unknown; variables?: unknown; operationName?: unknown } | undefined,
  storageUrl: (operation: BulkOperation) => string,
): GraphqlAnswer {
  const query = typeof body?.query === 'string' ? body.query : '';
  const variables = (body?.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<
    string,
    unknown
  >;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const located = error as { message: string; locations?: unknown };
    return { status: 200, body: { errors: [{ message: located.message, locations: located.locations ?? [] }] } };
  }
  const errors = validate(adminSchema(), document);
  if (errors.length > 0) {
    return {
      status: 200,
      body: { errors: errors.map((error) => ({ message: error.message, locations: error.locations ?? [] })) },
    };
  }
  // The leaky bucket: refilled at the restore rate since the last request, up to its size.
  const bucket = shop.bucket;
  const now = Date.now();
  bucket.currentlyAvailable = Math.min(
    bucket.maximumAvailable,
    bucket.currentlyAvailable + (bucket.restoreRate * (now - bucket.at)) / 1000,
  );
  bucket.at = now;
  const requested = requestedCost(document, variables);
  const throttleStatus = () => ({
    maximumAvailable: bucket.maximumAvailable,
    currentlyAvailable: Math.floor(bucket.currentlyAvailable),
    restoreRate: bucket.restoreRate,
  });
  if (requested > 1000) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: 1000 },
          },
        ],
      },
    };
  }
  if (requested > bucket.currentlyAvailable) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: {
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() },
        },
      },
    };
  }
  bucket.currentlyAvailable -= requested;
  const result = execute({
    schema: adminSchema(),
    document,
    rootValue: rootValue(shop, storageUrl),
    variableValues: variables,
    operationName: typeof body?.operationName === 'string' ? body.operationName : null,
    fieldResolver: emptyValueResolver,
  }) as { data?: unknown; errors?: readonly { message: string; path?: unknown }[] };
  return {
    status: 200,
    body: {
      ...(result.errors
        ? { errors: result.errors.map((error) => ({ message: error.message, path: error.path })) }
        : {}),
      data: result.data ?? null,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: throttleStatus() },
      },
    },
  };
}
