import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  startFakeOAuth2Server,
  startRecordingServer,
  type FakeOAuth2Server,
  type RecordingServer,
} from '@plugboard/fakes';
import {
  CONNECTOR_SPEC_VERSION,
  apiKeyScheme,
  createToolset,
  defineAction,
  defineConnector,
  type ToolsetOptions,
} from '../index.js';
import { NO_TRACE, createOpenTelemetryLoader, createTracing, globalTracerProviderRegistered } from './tracing.js';
import { octoConnector } from '../../test/fixtures.js';

let server: FakeOAuth2Server | undefined;
let recording: RecordingServer | undefined;

afterEach(async () => {
  await server?.close();
  await recording?.close();
  server = undefined;
  recording = undefined;
});

function tracerProvider() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { provider, spans: () => exporter.getFinishedSpans() };
}

/** An app whose API key travels in the query, so the span's URL must be redacted. */
async function queryKeyToolset(options: ToolsetOptions, reply: Parameters<typeof startRecordingServer>[0]) {
  recording = await startRecordingServer(reply);
  const connector = defineConnector({
    id: 'maps',
    name: 'Maps',
    version: '1.0.0',
    specVersion: CONNECTOR_SPEC_VERSION,
    baseUrl: recording.url,
    authSchemes: [apiKeyScheme({ placements: [{ in: 'query', name: 'key', value: '{{api_key}}' }] })],
    actions: [
      defineAction({
        name: 'MAPS_GEOCODE',
        description: 'Geocodes an address.',
        input: z.object({ address: z.string() }),
        request: 'GET /geocode',
      }),
    ],
  });
  const toolset = createToolset({ connectors: [connector], http: { backoffLimitMs: 5 }, ...options });
  await toolset.initiateConnection({
    app: 'maps',
    entityId: 'user-7',
    connectedAccountParams: { api_key: 'maps-key-0123456789' },
  });
  return toolset;
}

describe('execution spans', () => {
  it('one span per execution, with a child per HTTP attempt and per token refresh', async () => {
    const { provider, spans } = tracerProvider();
    const fake = await startFakeOAuth2Server({ accessTokenTtlSeconds: 30 });
    server = fake;
    const connector = octoConnector(fake);
    const toolset = createToolset({ connectors: [connector], tracing: { tracerProvider: provider } });
    const integration = await toolset.createIntegration({
      app: 'octo',
      authMode: 'OAUTH2',
      authConfig: { client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET },
    });
    const request = await toolset.initiateConnection({
      integrationId: integration.id,
      entityId: 'user-1',
      redirectUri: 'https://app.example/callback',
    });
    await toolset.completeConnection({ url: await fake.authorizeAndFollow(request.redirectUrl as string) });
    expect(spans()).toEqual([]);

    // The token expires within the refresh margin, so the execution refreshes it first.
    expect((await toolset.executeAction('OCTO_WHOAMI', {}, { entityId: 'user-1' })).successful).toBe(true);
    const finished = spans();
    expect(finished.map((span) => span.name).sort()).toEqual([
      'HTTP GET',
      'plugboard.execute OCTO_WHOAMI',
      'plugboard.token_refresh',
    ]);
    const execution = finished.find((span) => span.name === 'plugboard.execute OCTO_WHOAMI');
    const refresh = finished.find((span) => span.name === 'plugboard.token_refresh');
    const attempt = finished.find((span) => span.name === 'HTTP GET');
    expect(execution?.parentSpanContext).toBeUndefined();
    expect(execution?.attributes).toEqual({
      'plugboard.action': 'OCTO_WHOAMI',
      'plugboard.app': 'octo',
      'plugboard.entity_id': 'user-1',
      'plugboard.connection_id': request.connectedAccountId,
      'plugboard.outcome': 'success',
      'http.response.status_code': 200,
    });
    for (const child of [refresh, attempt]) {
      expect(child?.parentSpanContext?.spanId).toBe(execution?.spanContext().spanId);
      expect(child?.spanContext().traceId).toBe(execution?.spanContext().traceId);
    }
    expect(refresh?.attributes).toEqual({ 'plugboard.refresh.reason': 'expiry' });
    expect(attempt?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    expect(execution?.status.code).toBe(0);
  });

  it('a retried request has one child per attempt, and a failure marks the execution span', async () => {
    const { provider, spans } = tracerProvider();
    const toolset = await queryKeyToolset({ tracing: { tracerProvider: provider } }, (_request, index) =>
      index === 0 ? { status: 503, json: { message: 'busy' } } : { status: 404, json: { message: 'no such place' } },
    );
    const result = await toolset.executeAction('MAPS_GEOCODE', { address: '1 Main St' }, { entityId: 'user-7' });
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 404 } });
    const finished = spans();
    const execution = finished.find((span) => span.name === 'plugboard.execute MAPS_GEOCODE');
    const attempts = finished.filter((span) => span.name === 'HTTP GET');
    expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([503, 404]);
    for (const attempt of attempts) {
      expect(attempt.parentSpanContext?.spanId).toBe(execution?.spanContext().spanId);
      expect(attempt.status.code).toBe(2);
    }
    expect(execution?.attributes).toMatchObject({
      'plugboard.app': 'maps',
      'plugboard.entity_id': 'user-7',
      'plugboard.outcome': 'failure',
      'plugboard.error_code': 'UPSTREAM_ERROR',
      'http.response.status_code': 404,
    });
    expect(execution?.status).toEqual({ code: 2, message: 'UPSTREAM_ERROR' });
  });

  it('keeps secrets and input values out of every span', async () => {
    const { provider, spans } = tracerProvider();
    const toolset = await queryKeyToolset({ tracing: { tracerProvider: provider } }, () => ({ json: { ok: true } }));
    await toolset.executeAction('MAPS_GEOCODE', { address: 'secret-address-value' }, { entityId: 'user-7' });
    const finished = spans();
    expect(finished).toHaveLength(2);
    expect(finished.find((span) => span.name === 'HTTP GET')?.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(recording?.url ?? '').port),
      'url.scheme': 'http',
      'http.response.status_code': 200,
    });
    const recorded = JSON.stringify(finished.map((span) => ({ name: span.name, attributes: span.attributes })));
    expect(recorded).not.toContain('maps-key-0123456789');
    expect(recorded).not.toContain('secret-address-value');
    expect(recording?.requests[0]?.query.get('key')).toBe('maps-key-0123456789');
  });

  it('names the span by the name asked for when the action is unknown, and records invalid input', async () => {
    const { provider, spans } = tracerProvider();
    const toolset = await queryKeyToolset({ tracing: { tracerProvider: provider } }, () => ({ json: {} }));
    await toolset.executeAction('MAPS_NOPE', {});
    await toolset.executeAction('MAPS_GEOCODE', { address: 42 });
    expect(spans().map((span) => [span.name, span.attributes['plugboard.error_code']])).toEqual([
      ['plugboard.execute MAPS_NOPE', 'ACTION_NOT_FOUND'],
      ['plugboard.execute MAPS_GEOCODE', 'INVALID_PARAMS'],
    ]);
    expect(recording?.requests).toHaveLength(0);
  });

  it('records nothing with enabled: false', async () => {
    const { provider, spans } = tracerProvider();
    const toolset = await queryKeyToolset({ tracing: { enabled: false, tracerProvider: provider } }, () => ({
      json: {},
    }));
    expect((await toolset.executeAction('MAPS_GEOCODE', { address: 'x' }, { entityId: 'user-7' })).successful).toBe(
      true,
    );
    expect(spans()).toEqual([]);
  });
});

describe('without OpenTelemetry', () => {
  it('passes everything through when @opentelemetry/api cannot be loaded', async () => {
    const asked: string[] = [];
    const load = createOpenTelemetryLoader(async (specifier) => {
      asked.push(specifier);
      throw new Error(`Cannot find package '${specifier}'`);
    });
    // As if an SDK had registered a provider: only then is the API worth loading.
    const tracing = createTracing({}, load, () => true);
    expect(await tracing.startExecution('ANY_ACTION')).toBe(NO_TRACE);
    expect(await tracing.startExecution('ANY_ACTION')).toBe(NO_TRACE);
    // One attempt per process, not per execution.
    expect(asked).toEqual(['@opentelemetry/api']);
    // Nothing wraps the attempts: they go through the toolset's fetch as it is.
    expect(NO_TRACE.wrapFetch).toBeUndefined();
    expect(await NO_TRACE.refresh('expiry', async () => 'refreshed')).toBe('refreshed');
  });

  it('makes no child spans when no SDK is registered (the API alone records nothing)', async () => {
    const tracing = createTracing({});
    expect(await tracing.startExecution('ANY_ACTION')).toBe(NO_TRACE);
  });

  it('does not load the API while no tracer provider is given or registered globally', async () => {
    const asked: string[] = [];
    const load = createOpenTelemetryLoader(async (specifier) => {
      asked.push(specifier);
      return import('@opentelemetry/api');
    });
    let registered = false;
    const tracing = createTracing({}, load, () => registered);
    expect(await tracing.startExecution('ANY_ACTION')).toBe(NO_TRACE);
    expect(asked).toEqual([]);
    // An SDK started later is picked up by the next execution.
    registered = true;
    await tracing.startExecution('ANY_ACTION');
    expect(asked).toEqual(['@opentelemetry/api']);
  });
});

describe('a tracer provider registered globally', () => {
  afterEach(() => trace.disable());

  it('is seen without importing the API: the global of @opentelemetry/api 1.x', () => {
    expect(globalTracerProviderRegistered()).toBe(false);
    const { provider } = tracerProvider();
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    expect(globalTracerProviderRegistered()).toBe(true);
    trace.disable();
    expect(globalTracerProviderRegistered()).toBe(false);
  });

  it('records the executions once an SDK registers it, after the toolset was created', async () => {
    const { provider, spans } = tracerProvider();
    const toolset = await queryKeyToolset({}, () => ({ json: { ok: true } }));
    expect((await toolset.executeAction('MAPS_GEOCODE', { address: 'x' }, { entityId: 'user-7' })).successful).toBe(
      true,
    );
    expect(spans()).toHaveLength(0);
    trace.setGlobalTracerProvider(provider);
    expect((await toolset.executeAction('MAPS_GEOCODE', { address: 'y' }, { entityId: 'user-7' })).successful).toBe(
      true,
    );
    expect(spans().map((span) => span.name)).toContain('plugboard.execute MAPS_GEOCODE');
  });
});
