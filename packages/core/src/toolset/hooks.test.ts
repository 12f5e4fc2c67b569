import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type Handler, type RecordingServer } from '@plugboard/fakes';
import { acmeConnector } from '../../test/fixtures.js';
import { createToolset, redactorOf, type HttpHooks } from '../index.js';

let server: RecordingServer;
let handler: Handler;

beforeEach(async () => {
  handler = () => ({ json: { ok: true } });
  server = await startRecordingServer((request, index) => handler(request, index));
});
afterEach(async () => {
  await server.close();
});

async function connectedToolset(hooks: HttpHooks) {
  const toolset = createToolset({ connectors: [acmeConnector(server.url)], http: { backoffLimitMs: 1 }, hooks });
  await toolset.initiateConnection({
    app: 'acme',
    authMode: 'API_KEY',
    connectedAccountParams: { api_key: 'key-s3cr3t-42' },
  });
  return toolset;
}

describe('hooks: logging each request with secrets redacted (the README example)', () => {
  it('logs method, URL, headers and status with the placed API key redacted', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    // As in packages/core/README.md, "Hooks".
    const hooks: HttpHooks = {
      afterResponse: [
        (request, options, response) => {
          const redactor = redactorOf(options);
          const headers = redactor.value(Object.fromEntries(request.headers));
          log(`${request.method} ${redactor.url(request.url)} ${response.status} ${JSON.stringify(headers)}`);
        },
      ],
    };
    const toolset = await connectedToolset(hooks);
    const result = await toolset.executeAction('ACME_GET_THING', { owner: 'ada', thing_id: 7 });
    expect(result.successful).toBe(true);
    expect(server.requests[0]?.headers['x-api-key']).toBe('key-s3cr3t-42');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/owners\/ada\/things\/7 200 /);
    expect(lines[0]).toContain('"x-api-key":"[REDACTED]"');
    expect(lines[0]).not.toContain('s3cr3t');
  });

  it('sees every answer, the refused ones that are retried too, and beforeRetry runs before each retry', async () => {
    handler = (_request, index) => (index === 0 ? { status: 503, json: { message: 'busy' } } : { json: { ok: 1 } });
    const seen: number[] = [];
    const retries: number[] = [];
    const toolset = await connectedToolset({
      afterResponse: [(_request, _options, response) => void seen.push(response.status)],
      beforeRetry: [({ retryCount }) => void retries.push(retryCount)],
    });
    const result = await toolset.executeAction('ACME_GET_THING', { owner: 'ada', thing_id: 7 });
    expect(result).toEqual({ successful: true, data: { ok: 1 }, error: null });
    expect(seen).toEqual([503, 200]);
    expect(retries).toEqual([1]);
    expect(server.requests).toHaveLength(2);
  });

  it('gives the redactor of the call, which knows secrets placed under names no pattern catches', async () => {
    const bodies: string[] = [];
    const toolset = createToolset({
      connectors: [acmeConnector(server.url)],
      hooks: {
        beforeRequest: [
          async (request, options) => void bodies.push(redactorOf(options).text(await request.clone().text())),
        ],
      },
    });
    const result = await toolset.executeAction(
      'ACME_CREATE_THING',
      { owner: 'ada', title: 'Hello' },
      { auth: { parameters: [{ name: 'note_sig', in: 'body', value: 'body-secret-777' }] } },
    );
    expect(result.successful).toBe(true);
    expect(server.requests[0]?.body).toContain('body-secret-777');
    expect(bodies).toEqual(['{"title":"Hello","note_sig":"[REDACTED]"}']);
  });
});

describe('hooks: adding a trace header (the README example)', () => {
  it('puts a W3C traceparent on every request, retries included', async () => {
    handler = (_request, index) => (index === 0 ? { status: 502 } : { json: { ok: true } });
    // As in packages/core/README.md, "Hooks".
    const traceId = randomBytes(16).toString('hex');
    const hooks: HttpHooks = {
      beforeRequest: [
        (request) => {
          request.headers.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
        },
      ],
    };
    const toolset = await connectedToolset(hooks);
    const result = await toolset.executeAction('ACME_GET_THING', { owner: 'ada', thing_id: 7 });
    expect(result.successful).toBe(true);
    expect(server.requests).toHaveLength(2);
    const parents = server.requests.map((request) => request.headers['traceparent']);
    for (const parent of parents) expect(parent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // Each attempt is its own span.
    expect(parents[0]).not.toBe(parents[1]);
  });

  it('applies to proxy requests too, and a hook may answer without sending anything', async () => {
    const toolset = await connectedToolset({
      beforeRequest: [
        (request) => (new URL(request.url).pathname === '/cached' ? Response.json({ cached: true }) : undefined),
      ],
    });
    const cached = await toolset.proxy({ app: 'acme', method: 'GET', path: '/cached' });
    expect(cached).toMatchObject({ successful: true, data: { status: 200, data: { cached: true } } });
    expect(server.requests).toHaveLength(0);
    const sent = await toolset.proxy({ app: 'acme', method: 'GET', path: '/sent' });
    expect(sent.successful).toBe(true);
    expect(server.requests.map((request) => request.path)).toEqual(['/sent']);
  });
});
