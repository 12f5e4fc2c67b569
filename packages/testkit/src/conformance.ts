import { randomBytes } from 'node:crypto';
import { inspect, isDeepStrictEqual } from 'node:util';
import {
  CONNECTOR_SPEC_VERSION,
  createToolset,
  memoryStore,
  PlugboardError,
  type ActionResult,
  type AuthMode,
  type AuthParameter,
  type AuthScheme,
  type Connector,
  type Toolset,
} from '@plugboard/core';
import { assertCompatibleSpecVersion, renderPlacements } from '@plugboard/core/internal';
import {
  parseFormEncoded,
  parseOAuthHeader,
  referenceBaseString,
  referenceSignature,
  type FakeSignatureMethod,
} from '@plugboard/fakes';

/** The request an action must make, relative to the connector's base URL. */
export interface ExpectedRequest {
  method: string;
  /** The path after the base URL's own path, as sent (percent-encoded): `/members/me/boards`. */
  path: string;
  /** Every query parameter but the credentials, exactly; a repeated one as an array. @default {} */
  query?: Record<string, string | readonly string[]>;
  /**
   * The body but the credentials, parsed: JSON as a value, a form as a record (repeated names as
   * arrays). Leave it out for a request without a body. A function checks a body that is not
   * the same on every run (a MIME message with a random boundary): return true when it is right.
   */
  body?: unknown;
}

/** What the fake API answers to one request. */
export interface FixtureReply {
  /** @default 200 */
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** One action's sample input, the request it must produce and the answer it gets. */
export interface ActionFixture {
  input: unknown;
  /** The request, or the requests in order for a multi-step action. */
  request: ExpectedRequest | readonly ExpectedRequest[];
  /** The answer to each request (the last one repeats). @default { json: {} } */
  response?: FixtureReply | readonly FixtureReply[];
  /** More inputs the action must refuse with `INVALID_PARAMS` and no request. */
  invalidInputs?: readonly unknown[];
}

export interface ConnectorFixtures {
  /** One fixture for every action of the connector, by action name. */
  actions: Record<string, ActionFixture>;
  /** Values for fields that need a particular shape (`{ shop: 'acme' }`); others are generated. */
  fieldValues?: Record<string, string>;
  /** The auth mode used for the per-action checks. @default the connector's preferred mode */
  authMode?: AuthMode;
}

export interface ConformanceCheck {
  /** What it checks, as a test name. */
  name: string;
  /** Resolves when the connector passes; rejects with a `ConformanceError` saying what is wrong. */
  run(): Promise<void>;
}

export interface ConformanceFailure {
  check: string;
  message: string;
}

/** A failed conformance check. Its message says what the connector did and what was expected. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** Credentials a flow stores besides the fields: what placements may refer to. */
const FLOW_TOKENS: Partial<Record<AuthMode, readonly string[]>> = {
  OAUTH2: ['access_token', 'refresh_token', 'token_type', 'id_token', 'scope'],
  OAUTH1: ['oauth_token', 'oauth_token_secret'],
  BASIC_WITH_JWT: ['access_token'],
  SIGNED_ASSERTION: ['access_token'],
};

const TEMPLATE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const HOST_TEMPLATE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const SECRET_NAME = /secret|password|token$/i;
/** Header, query and body names that carry credentials whatever their field says. */
const CREDENTIAL_NAME = /authorization|key|token|secret|password|signature|session|cookie/i;
const ENTITY = 'conformance';

function fail(message: string): never {
  throw new ConformanceError(message);
}

const show = (value: unknown) => inspect(value, { depth: 6, breakLength: Infinity });

/** A value for a field: the fixture's, the field's default, or a random one safe in any placement. */
function sampleValues(connector: Connector, scheme: AuthScheme, fixtures: ConnectorFixtures): Record<string, string> {
  const values: Record<string, string> = {};
  const names = [...scheme.fields.map((field) => field.name), ...(FLOW_TOKENS[scheme.mode] ?? [])];
  for (const name of names) {
    const given = fixtures.fieldValues?.[name];
    const field = scheme.fields.find((candidate) => candidate.name === name);
    if (given !== undefined) values[name] = given;
    else if (field?.type === 'string[]') values[name] = 'read write';
    else values[name] = `${name.replace(/_/g, '-').toLowerCase()}-${randomBytes(8).toString('hex')}`;
  }
  if (scheme.mode === 'OAUTH2') values['token_type'] = 'bearer';
  // Host templates of the base URL (`{shop}`) need a value even when no placement names them.
  for (const match of connector.baseUrl.matchAll(HOST_TEMPLATE)) {
    const name = match[1] as string;
    values[name] ??= fixtures.fieldValues?.[name] ?? `${name.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  }
  return values;
}

/** The secret values a scheme's connection holds: secret fields, flow tokens, rendered non-plain placements and anything placed under a credential's name. */
function secretValues(scheme: AuthScheme, values: Record<string, string>, parameters: AuthParameter[]): string[] {
  const plain = new Set(scheme.fields.filter((field) => !field.secret).map((field) => values[field.name]));
  const secrets = new Set<string>();
  for (const field of scheme.fields) if (field.secret && values[field.name]) secrets.add(values[field.name] as string);
  for (const token of FLOW_TOKENS[scheme.mode] ?? [])
    if (token !== 'token_type' && token !== 'scope' && values[token]) secrets.add(values[token] as string);
  for (const parameter of parameters) {
    if (parameter.in === 'subdomain') continue;
    // A value placed as a credential is one, even when its field forgot `secret: true`.
    if (!plain.has(parameter.value) || CREDENTIAL_NAME.test(parameter.name)) secrets.add(parameter.value);
  }
  return [...secrets];
}

function schemeOf(connector: Connector, mode: AuthMode): AuthScheme {
  const scheme = connector.authSchemes.find((candidate) => candidate.mode === mode);
  if (!scheme) fail(`${connector.id} has no ${mode} auth scheme.`);
  return scheme;
}

/** A toolset whose fetch answers from fixtures in-process and records what the connector sent. */
async function harness(
  connector: Connector,
  mode: AuthMode,
  fixtures: ConnectorFixtures,
  answer: (sent: SentRequest, index: number) => FixtureReply,
) {
  const sent: SentRequest[] = [];
  const store = memoryStore();
  const toolset: Toolset = createToolset({
    connectors: [connector],
    store,
    http: { retries: 0, timeoutMs: 5_000 },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const recorded: SentRequest = {
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: request.body === null ? '' : await request.text(),
      };
      const index = sent.push(recorded) - 1;
      const reply = answer(recorded, index);
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      const contentType =
        reply.json !== undefined
          ? { 'content-type': 'application/json; charset=utf-8' }
          : reply.text !== undefined
            ? { 'content-type': 'text/plain; charset=utf-8' }
            : {};
      const status = reply.status ?? 200;
      return new Response(status === 204 || status === 304 ? null : body, {
        status,
        headers: { ...contentType, ...reply.headers },
      });
    },
  });
  const scheme = schemeOf(connector, mode);
  const values = sampleValues(connector, scheme, fixtures);
  let connectedAccountId: string | undefined;
  if (mode !== 'NO_AUTH') {
    const developer = Object.fromEntries(
      scheme.fields
        .filter((field) => field.suppliedBy === 'developer')
        .map((field) => [field.name, field.type === 'string[]' ? ['read'] : values[field.name]]),
    );
    const integration = await toolset.createIntegration({ app: connector.id, authMode: mode, authConfig: developer });
    // The connection is stored as a finished flow would leave it, so every mode is checked the same way.
    const credentials: Record<string, string> = {};
    for (const field of scheme.fields)
      if (field.suppliedBy === 'user') credentials[field.name] = values[field.name] as string;
    for (const token of FLOW_TOKENS[mode] ?? [])
      if (values[token] !== undefined) credentials[token] = values[token] as string;
    for (const match of connector.baseUrl.matchAll(HOST_TEMPLATE))
      credentials[match[1] as string] ??= values[match[1] as string] as string;
    const now = new Date().toISOString();
    connectedAccountId = `conformance-${mode.toLowerCase()}`;
    await store.createConnection({
      id: connectedAccountId,
      integrationId: integration.id,
      app: connector.id,
      authMode: mode,
      entityId: ENTITY,
      status: 'ACTIVE',
      credentials,
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }
  const parameters = mode === 'NO_AUTH' ? [] : renderPlacements(scheme, values);
  const run = (name: string, input: unknown): Promise<ActionResult> =>
    toolset.executeAction(name, input, connectedAccountId === undefined ? {} : { connectedAccountId });
  return { toolset, sent, scheme, values, parameters, run };
}

const asArray = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];

function replyFor(fixture: ActionFixture, index: number): FixtureReply {
  const replies = asArray(fixture.response);
  return replies[Math.min(index, replies.length - 1)] ?? { json: {} };
}

function basePath(connector: Connector): string {
  const probe = new URL(connector.baseUrl.replace(HOST_TEMPLATE, 'x'));
  return probe.pathname.replace(/\/+$/, '');
}

function groupPairs(pairs: Iterable<[string, string]>, skip: ReadonlySet<string>): Record<string, string | string[]> {
  const grouped: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    if (skip.has(name)) continue;
    const existing = grouped[name];
    grouped[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return grouped;
}

function parsedBody(sent: SentRequest, skip: ReadonlySet<string>): unknown {
  if (sent.body === '') return undefined;
  const type = sent.headers.get('content-type') ?? '';
  if (/application\/x-www-form-urlencoded/i.test(type)) return groupPairs(parseFormEncoded(sent.body), skip);
  if (/json/i.test(type)) {
    const parsed = JSON.parse(sent.body) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return Object.fromEntries(Object.entries(parsed).filter(([name]) => !skip.has(name)));
    return parsed;
  }
  return sent.body;
}

function normaliseExpectedQuery(query: ExpectedRequest['query']): Record<string, string | string[]> {
  const normalised: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(query ?? {}))
    normalised[name] = typeof value === 'string' ? value : [...value];
  return normalised;
}

/** Checks that every credential of `parameters` is where its placement says on `sent`. */
function checkPlacement(mode: AuthMode, parameter: AuthParameter, sent: SentRequest): void {
  const where = `${mode} places ${parameter.in} "${parameter.name}"`;
  switch (parameter.in) {
    case 'header':
      if (sent.headers.get(parameter.name) !== parameter.value)
        fail(`${where}, but the request's ${parameter.name} header is ${show(sent.headers.get(parameter.name))}.`);
      return;
    case 'query':
      if (!sent.url.searchParams.getAll(parameter.name).includes(parameter.value))
        fail(`${where}, but the query of ${sent.url.pathname} has no ${parameter.name} with that value.`);
      return;
    case 'path':
      if (!sent.url.pathname.split('/').includes(encodeURIComponent(parameter.value)))
        fail(`${where}, but no path segment of ${sent.url.pathname} holds it.`);
      return;
    case 'subdomain':
      if (!sent.url.hostname.startsWith(`${parameter.value.toLowerCase()}.`))
        fail(`${where}, but the request went to host ${sent.url.hostname}.`);
      return;
    case 'body': {
      const body = parsedBody(sent, new Set());
      const found = body && typeof body === 'object' ? (body as Record<string, unknown>)[parameter.name] : undefined;
      if (found !== parameter.value)
        fail(`${where}, but the body of ${sent.method} ${sent.url.pathname} has ${parameter.name} = ${show(found)}.`);
      return;
    }
  }
}

/** Verifies an OAuth 1.0a signature from RFC 5849 alone (no code shared with core's signer). */
function checkOAuth1Signature(scheme: AuthScheme, values: Record<string, string>, sent: SentRequest): void {
  const pairs = parseOAuthHeader(sent.headers.get('authorization') ?? undefined);
  if (!pairs)
    fail(
      `OAUTH1 requests carry an "Authorization: OAuth ..." header; ${sent.method} ${sent.url.pathname} has ${show(sent.headers.get('authorization'))}.`,
    );
  const oauth = Object.fromEntries(pairs);
  if (oauth['oauth_consumer_key'] !== values['consumer_key'])
    fail("OAUTH1: oauth_consumer_key is not the integration's consumer_key.");
  if (oauth['oauth_token'] !== values['oauth_token']) fail("OAUTH1: oauth_token is not the connection's token.");
  const method = (oauth['oauth_signature_method'] ?? '') as FakeSignatureMethod;
  if (method !== scheme.oauth1?.signatureMethod)
    fail(`OAUTH1: signed with ${method}, but the scheme says ${String(scheme.oauth1?.signatureMethod)}.`);
  const baseString = referenceBaseString({
    method: sent.method,
    url: sent.url.href,
    protocol: pairs.filter(([name]) => name !== 'oauth_signature' && name !== 'realm'),
    body: sent.body,
    contentType: sent.headers.get('content-type'),
  });
  const expected = referenceSignature(
    method,
    baseString,
    values['consumer_secret'] ?? '',
    values['oauth_token_secret'] ?? '',
  );
  if (oauth['oauth_signature'] !== expected)
    fail(
      `OAUTH1: the signature of ${sent.method} ${sent.url.pathname} does not verify (RFC 5849 base string: ${baseString}).`,
    );
}

/**
 * The conformance checks as plain functions: each resolves when the connector passes and rejects
 * with a `ConformanceError` otherwise. `runConnectorConformance` registers them as vitest tests;
 * call them directly to assert that a broken connector fails.
 */
export function conformanceChecks(connector: Connector, fixtures: ConnectorFixtures): ConformanceCheck[] {
  const checks: ConformanceCheck[] = [];
  const add = (name: string, run: () => void | Promise<void>) => checks.push({ name, run: async () => run() });
  const mode = fixtures.authMode ?? connector.preferredAuthMode;

  add('shape: id, name, version and spec version', () => {
    if (!/^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/.test(connector.id))
      fail(`The app id ${show(connector.id)} is not lower-case letters, digits, "-" and "_".`);
    if (typeof connector.name !== 'string' || connector.name.trim() === '') fail('The connector has no display name.');
    if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(connector.version))
      fail(`The connector version ${show(connector.version)} is not semver.`);
    try {
      assertCompatibleSpecVersion(connector, CONNECTOR_SPEC_VERSION);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
    try {
      createToolset({ connectors: [connector] }).listActions({ app: connector.id });
    } catch (error) {
      fail(`A toolset refuses the connector: ${error instanceof Error ? error.message : String(error)}`);
    }
    const declared = connector.generatedActionCount;
    const built = connector.generatedActions?.().length;
    if (declared !== undefined && declared !== built)
      fail(
        `generatedActionCount is ${declared}, but generatedActions keeps ${built} (curated actions take over the rest): listApps counts ${declared} until the catalogue is loaded.`,
      );
  });

  add('shape: auth schemes, their fields and placements', () => {
    if (connector.authSchemes.length === 0) fail('The connector declares no auth scheme.');
    for (const scheme of connector.authSchemes) {
      const fieldNames = new Set(scheme.fields.map((field) => field.name));
      for (const field of scheme.fields) {
        if (!field.displayName?.trim()) fail(`${scheme.mode} field ${field.name} has no display name.`);
        if (SECRET_NAME.test(field.name) && !field.secret)
          fail(`${scheme.mode} field ${field.name} looks like a secret but is not marked secret: true.`);
      }
      const known = new Set([...fieldNames, ...(FLOW_TOKENS[scheme.mode] ?? [])]);
      for (const placement of scheme.placements) {
        if (typeof placement.value !== 'string') continue;
        for (const match of placement.value.matchAll(TEMPLATE)) {
          if (!known.has(match[1] as string))
            fail(
              `${scheme.mode} places {{${match[1]}}} in ${placement.in} "${placement.name}", but declares no such field.`,
            );
        }
      }
      const urls = [
        scheme.oauth2?.authorizationUrl,
        scheme.oauth2?.tokenUrl,
        scheme.oauth1?.requestTokenUrl,
        scheme.oauth1?.authorizationUrl,
        scheme.oauth1?.accessTokenUrl,
        scheme.basicWithJwt?.tokenUrl,
      ];
      for (const url of urls) {
        if (url === undefined) continue;
        if (!/^https?:\/\//.test(url) || !URL.canParse(url.replace(HOST_TEMPLATE, 'x')))
          fail(`${scheme.mode} has an endpoint that is not an absolute http(s) URL: ${url}`);
      }
    }
  });

  add('shape: action names, descriptions, input schemas and fixtures', () => {
    const prefix = `${connector.id.toUpperCase().replace(/-/g, '_')}_`;
    if (connector.actions.length === 0) fail('The connector has no action.');
    const summaries = new Map(
      createToolset({ connectors: [connector] })
        .listActions({ app: connector.id })
        .map((summary) => [summary.name, summary]),
    );
    for (const action of connector.actions) {
      if (!action.name.startsWith(prefix)) fail(`${action.name} does not start with ${prefix}.`);
      if (action.description.trim().length < 10)
        fail(`${action.name} needs a description an agent can choose by (at least a sentence).`);
      const type = (action.input as { _zod?: { def?: { type?: string } } })._zod?.def?.type;
      if (type !== 'object') fail(`${action.name} takes ${String(type)} input; actions take a zod object.`);
      const schema = summaries.get(action.name)?.inputJsonSchema as { type?: string } | undefined;
      if (schema?.type !== 'object') fail(`${action.name} has no JSON Schema of an object for its input.`);
      if (!fixtures.actions[action.name]) fail(`${action.name} has no fixture; give every action one.`);
    }
    for (const name of Object.keys(fixtures.actions)) {
      if (!connector.actions.some((action) => action.name === name))
        fail(`The fixture ${name} names no action of ${connector.id}.`);
    }
  });

  for (const action of connector.actions) {
    const fixture = fixtures.actions[action.name];
    add(`${action.name} rejects invalid input without a request`, async () => {
      const { sent, run } = await harness(connector, mode, fixtures, () => ({ json: {} }));
      const surelyInvalid: unknown[] = [42, 'text', [], true, ...(fixture?.invalidInputs ?? [])];
      for (const input of surelyInvalid) {
        const result = await run(action.name, input);
        if (result.successful || result.error.code !== 'INVALID_PARAMS')
          fail(`${action.name} accepted the invalid input ${show(input)} (${show(result.error ?? 'successful')}).`);
        if (sent.length > 0)
          fail(`${action.name} sent ${sent[0]?.method} ${sent[0]?.url.pathname} for the invalid input ${show(input)}.`);
      }
      // Dropping a key of the sample input: when the schema then refuses it, nothing may be sent.
      if (fixture?.input && typeof fixture.input === 'object') {
        for (const key of Object.keys(fixture.input)) {
          const { [key]: _dropped, ...rest } = fixture.input as Record<string, unknown>;
          if (!(await refusedBySchema(action.input, rest))) continue;
          const before = sent.length;
          const result = await run(action.name, rest);
          if (result.successful || result.error.code !== 'INVALID_PARAMS')
            fail(`${action.name} accepted input without ${key}, which its schema refuses.`);
          if (sent.length > before) fail(`${action.name} sent a request for input without ${key}, which it refused.`);
        }
      }
    });

    if (!fixture) continue;
    add(`${action.name} sends the request of its fixture`, async () => {
      const { sent, run, parameters } = await harness(connector, mode, fixtures, (_sent, index) =>
        replyFor(fixture, index),
      );
      const result = await run(action.name, fixture.input);
      const expected = asArray(fixture.request);
      if (!result.successful) fail(`${action.name} failed on its fixture: ${show(result.error)}`);
      if (sent.length !== expected.length)
        fail(`${action.name} sent ${sent.length} request(s), its fixture expects ${expected.length}.`);
      const prefix = basePath(connector);
      const placedQuery = new Set(
        parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
      );
      const placedBody = new Set(
        parameters.filter((parameter) => parameter.in === 'body').map((parameter) => parameter.name),
      );
      expected.forEach((want, index) => {
        const got = sent[index] as SentRequest;
        const label = `${action.name} request ${index + 1}`;
        if (got.method !== want.method.toUpperCase())
          fail(`${label}: method ${got.method}, fixture says ${want.method}.`);
        const path = got.url.pathname.startsWith(prefix)
          ? got.url.pathname.slice(prefix.length) || '/'
          : got.url.pathname;
        if (path !== want.path) fail(`${label}: path ${path}, fixture says ${want.path}.`);
        const query = groupPairs(got.url.searchParams, placedQuery);
        if (!isDeepStrictEqual(query, normaliseExpectedQuery(want.query)))
          fail(`${label}: query ${show(query)}, fixture says ${show(want.query ?? {})}.`);
        const body = parsedBody(got, placedBody);
        const normalisedBody =
          body &&
          typeof body === 'object' &&
          !Array.isArray(body) &&
          Object.keys(body).length === 0 &&
          want.body === undefined
            ? undefined
            : body;
        if (typeof want.body === 'function') {
          if ((want.body as (body: unknown) => unknown)(body) !== true)
            fail(`${label}: body ${show(body)} does not pass the fixture's check.`);
        } else if (!isDeepStrictEqual(normalisedBody, want.body))
          fail(`${label}: body ${show(body)}, fixture says ${show(want.body)}.`);
      });
    });
  }

  const firstWithFixture = connector.actions.find((action) => fixtures.actions[action.name]);
  for (const scheme of connector.authSchemes) {
    if (scheme.mode === 'NO_AUTH' || !firstWithFixture) continue;
    const fixture = fixtures.actions[firstWithFixture.name] as ActionFixture;
    add(`${scheme.mode}: credentials land where the scheme says`, async () => {
      const { sent, run, parameters, values } = await harness(connector, scheme.mode, fixtures, (_sent, index) =>
        replyFor(fixture, index),
      );
      const result = await run(firstWithFixture.name, fixture.input);
      if (!result.successful)
        fail(`${firstWithFixture.name} failed with ${scheme.mode} credentials: ${show(result.error)}`);
      if (sent.length === 0) fail(`${firstWithFixture.name} sent no request.`);
      for (const request of sent) {
        for (const parameter of parameters) checkPlacement(scheme.mode, parameter, request);
        if (scheme.mode === 'OAUTH1') checkOAuth1Signature(scheme, values, request);
        if (scheme.mode !== 'OAUTH1' && parameters.length === 0) fail(`${scheme.mode} places no credential at all.`);
      }
    });

    add(`${scheme.mode}: no secret reaches an error`, async () => {
      // The fake API echoes everything it got, as careless APIs do, with a 401 and then a 400 in text.
      const echo = (request: SentRequest) =>
        `${request.method} ${request.url.href} ${JSON.stringify([...request.headers])} ${request.body}`;
      for (const reply of [
        (request: SentRequest) => ({ status: 401, json: { message: echo(request) } }),
        (request: SentRequest) => ({ status: 400, text: echo(request) }),
      ]) {
        const { run, parameters, values, toolset } = await harness(connector, scheme.mode, fixtures, (request) =>
          reply(request),
        );
        const secrets = secretValues(scheme, values, parameters);
        const result = await run(firstWithFixture.name, fixture.input);
        const thrown = await toolset
          .executeAction(firstWithFixture.name, fixture.input, { entityId: ENTITY })
          .catch((error: unknown) => error);
        for (const outcome of [result, thrown]) {
          if ((outcome as ActionResult).successful === true)
            fail(`${firstWithFixture.name} reported success for an HTTP error.`);
          const error = PlugboardError.isInstance(outcome) ? outcome : (outcome as ActionResult).error;
          const rendered = `${JSON.stringify(outcome)}\n${inspect(outcome, { depth: 20, showHidden: true })}\n${inspect(error, { depth: 20 })}`;
          for (const secret of secrets) {
            if (rendered.includes(secret))
              fail(
                `${scheme.mode}: a secret (${secret.slice(0, 4)}...) appears in the error of ${firstWithFixture.name}: ${rendered.slice(0, 300)}`,
              );
          }
        }
      }
    });
  }
  return checks;
}

/** Whether a zod (or any Standard Schema) schema refuses a value. */
async function refusedBySchema(schema: unknown, value: unknown): Promise<boolean> {
  const standard = (schema as { '~standard'?: { validate(value: unknown): unknown } })['~standard'];
  if (!standard) return false;
  const outcome = (await standard.validate(value)) as { issues?: unknown[] };
  return Array.isArray(outcome.issues) && outcome.issues.length > 0;
}

/** Runs every conformance check and returns the failures (empty when the connector conforms). */
export async function checkConnector(connector: Connector, fixtures: ConnectorFixtures): Promise<ConformanceFailure[]> {
  const failures: ConformanceFailure[] = [];
  for (const check of conformanceChecks(connector, fixtures)) {
    try {
      await check.run();
    } catch (error) {
      failures.push({ check: check.name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return failures;
}
