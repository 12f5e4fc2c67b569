import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createToolset } from '@plugboard/core';
import { startRecordingServer, type RecordingServer } from '@plugboard/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { conformanceProblems, methodOf } from '../../test/discovery-conformance.js';
import { discoveryMethods } from '../../test/gmail-discovery.js';
import { sampleInput } from '../../test/sample-input.js';
import { gmail, gmailConnector } from '../index.js';
import { gmailMethods } from './gmail-methods.js';

const METHODS = gmailMethods();
const TOKEN = 'ya29.conformance-token';
const auth = { auth: { parameters: [{ name: 'Authorization', in: 'header' as const, value: `Bearer ${TOKEN}` }] } };

describe('src/generated/gmail-methods.ts', () => {
  it('is what scripts/generate.mjs writes from vendor/gmail-v1.json (run `pnpm generate` when this fails)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(() =>
      execFileSync(process.execPath, ['scripts/generate.mjs', '--check'], { cwd: root, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('has one record per method of the discovery document, with its scopes and HTTP method', () => {
    const methods = discoveryMethods();
    expect(methods).toHaveLength(79);
    expect(METHODS.map((method) => method.id).sort()).toEqual(methods.map((method) => method.id).sort());
    for (const method of methods) {
      const record = METHODS.find((candidate) => candidate.id === method.id);
      expect(record?.httpMethod, method.id).toBe(method.httpMethod);
      expect(record?.scopes, method.id).toEqual(method.scopes ?? []);
      expect(`gmail/v1${record?.path}`).toBe(method.path);
    }
    expect(new Set(METHODS.map((method) => method.name)).size).toBe(79);
  });

  it('names actions as the operation reads', () => {
    const name = (id: string) => METHODS.find((method) => method.id === id)?.name;
    expect(name('gmail.users.settings.filters.list')).toBe('GMAIL_LIST_FILTERS');
    expect(name('gmail.users.settings.filters.create')).toBe('GMAIL_CREATE_FILTER');
    expect(name('gmail.users.messages.attachments.get')).toBe('GMAIL_GET_ATTACHMENT');
    expect(name('gmail.users.settings.updateVacation')).toBe('GMAIL_UPDATE_VACATION_SETTINGS');
    expect(name('gmail.users.messages.batchModify')).toBe('GMAIL_BATCH_MODIFY_MESSAGES');
    expect(name('gmail.users.history.list')).toBe('GMAIL_LIST_HISTORY');
    expect(name('gmail.users.settings.sendAs.list')).toBe('GMAIL_LIST_SEND_AS_ALIASES');
    expect(name('gmail.users.watch')).toBe('GMAIL_WATCH_MAILBOX');
  });
});

describe('the generated actions in the catalogue', () => {
  it('reach every method by its generated name: 71 generated actions, 8 methods taken over by curated ones', () => {
    const toolset = createToolset({ connectors: [gmail] });
    const listed = toolset.listActions({ app: 'gmail' });
    expect(listed).toHaveLength(82);
    const generated = listed.filter((action) => action.tags.includes('generated'));
    expect(generated).toHaveLength(71);
    const curatedFor = Object.fromEntries(
      METHODS.map((method) => [method.id, toolset.getAction(method.name).name] as const).filter(
        ([, name]) => !generated.some((action) => action.name === name),
      ),
    );
    expect(curatedFor).toEqual({
      'gmail.users.drafts.create': 'GMAIL_CREATE_EMAIL_DRAFT',
      'gmail.users.getProfile': 'GMAIL_GET_PROFILE',
      'gmail.users.labels.list': 'GMAIL_LIST_LABELS',
      'gmail.users.messages.attachments.get': 'GMAIL_GET_ATTACHMENT',
      'gmail.users.messages.get': 'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      'gmail.users.messages.modify': 'GMAIL_ADD_LABEL_TO_EMAIL',
      'gmail.users.messages.trash': 'GMAIL_MOVE_TO_TRASH',
      'gmail.users.threads.list': 'GMAIL_LIST_THREADS',
    });
  });

  it('carry Google descriptions, scopes, effects from the HTTP method, and userId defaulting to me', () => {
    const toolset = createToolset({ connectors: [gmail] });
    const filters = toolset.getAction('GMAIL_LIST_FILTERS');
    expect(filters.description).toBe('Lists the message filters of a Gmail user.');
    expect(filters.scopes).toEqual([
      'https://mail.google.com/',
      'https://www.googleapis.com/auth/gmail.modify',
      'https://www.googleapis.com/auth/gmail.readonly',
      'https://www.googleapis.com/auth/gmail.settings.basic',
    ]);
    expect(filters.effects).toEqual({ readOnly: true, idempotent: true });
    expect(filters.inputJsonSchema['properties']).toMatchObject({ userId: { type: 'string', default: 'me' } });
    expect(toolset.getAction('GMAIL_BATCH_DELETE_MESSAGES').effects).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
    });
    expect(toolset.getAction('GMAIL_DELETE_LABEL').effects).toMatchObject({ destructive: true });
    expect(toolset.getAction('GMAIL_CREATE_FILTER').effects).toMatchObject({ readOnly: false, destructive: false });
  });

  it('are counted by listApps without being built: the declared count is the catalogue\'s', () => {
    const generatedActions = vi.fn(gmail.generatedActions);
    const toolset = createToolset({ connectors: [{ ...gmail, generatedActions }] });
    expect(toolset.listApps()[0]?.actionCount).toBe(gmail.actions.length + 71);
    expect(generatedActions).not.toHaveBeenCalled();
    expect(gmail.generatedActionCount).toBe(gmail.generatedActions?.().length);
  });

  it('are built only when the catalogue needs them: a curated action runs without them', async () => {
    const server = await startRecordingServer({ 'GET /gmail/v1/users/me/profile': { json: { emailAddress: 'a@b.c' } } });
    try {
      const connector = gmailConnector({ baseUrl: `${server.url}/gmail/v1` });
      const generatedActions = vi.fn(connector.generatedActions);
      const toolset = createToolset({ connectors: [{ ...connector, generatedActions }] });
      const result = await toolset.executeAction('GMAIL_GET_PROFILE', {}, auth);
      expect(result.successful).toBe(true);
      expect(generatedActions).not.toHaveBeenCalled();
      expect(toolset.getAction('GMAIL_LIST_FILTERS').name).toBe('GMAIL_LIST_FILTERS');
      expect(generatedActions).toHaveBeenCalled();
    } finally {
      await server.close();
    }
  });
});

describe('every generated action sends the request the discovery document describes', () => {
  let server: RecordingServer;
  let toolset: ReturnType<typeof createToolset>;
  beforeAll(async () => {
    server = await startRecordingServer(() => ({ json: {} }));
    toolset = createToolset({
      connectors: [gmailConnector({ baseUrl: `${server.url}/gmail/v1` })],
      http: { retries: 0 },
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.clear());

  const generated = METHODS.filter(
    (method) => createToolset({ connectors: [gmail] }).getAction(method.name).name === method.name,
  );

  it.each(generated.map((method) => [method.name, method] as const))(
    '%s with every field and with the required ones only',
    async (_name, method) => {
      for (const requiredOnly of [false, true]) {
        server.clear();
        const input = sampleInput(method.inputJsonSchema, { requiredOnly }) as Record<string, unknown>;
        const result = await toolset.executeAction(method.name, input, auth);
        expect(result.error, JSON.stringify(input)).toBeNull();
        expect(server.requests).toHaveLength(1);
        const request = server.requests[0]!;
        expect(request.headers['authorization']).toBe(`Bearer ${TOKEN}`);
        expect(methodOf(request)?.method.id).toBe(method.id);
        expect(conformanceProblems(request)).toEqual([]);
        const params = methodOf(request)?.params ?? {};
        for (const name of method.pathParameters)
          expect(params[name], name).toBe(name === 'userId' && requiredOnly ? 'me' : input[name]);
        if (!requiredOnly) {
          // Every declared query parameter was sent, and every body field.
          expect([...new Set(request.query.keys())].sort()).toEqual(method.queryParameters);
          if (method.bodyFields) expect(Object.keys(JSON.parse(request.body)).sort()).toEqual(method.bodyFields);
        }
      }
    },
  );

  it('refuses input the schema does not allow, before anything is sent', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['GMAIL_LIST_HISTORY', {}],
      ['GMAIL_LIST_HISTORY', { startHistoryId: 'not-a-number' }],
      ['GMAIL_LIST_HISTORY', { startHistoryId: '1', historyTypes: ['messageMoved'] }],
      ['GMAIL_GET_ATTACHMENT', { messageId: 'm1' }],
      ['GMAIL_GET_ATTACHMENT', { messageId: '', id: 'a1' }],
      ['GMAIL_GET_ATTACHMENT', { messageId: 'm1', id: 'a1', decode: 'hex' }],
      ['GMAIL_CREATE_FILTER', { criteria: { from: 1 } }],
      ['GMAIL_LIST_FILTERS', { userid: 'me' }],
      ['GMAIL_GET_DRAFT', { id: 'r1', format: 'html' }],
    ];
    for (const [name, input] of cases) {
      const result = await toolset.executeAction(name, input, auth);
      expect(result.error, `${name} ${JSON.stringify(input)}`).toMatchObject({ code: 'INVALID_PARAMS' });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('the discovery check itself', () => {
  const request = (method: string, url: string, body = '', headers: Record<string, string> = {}) => {
    const parsed = new URL(url, 'http://127.0.0.1');
    return { method, url, path: parsed.pathname, query: parsed.searchParams, headers, body, host: '', params: {} };
  };

  it('finds what departs from the document', () => {
    expect(conformanceProblems(request('GET', '/gmail/v1/users/me/settings/filters'))).toEqual([]);
    expect(conformanceProblems(request('GET', '/gmail/v1/users/me/settings/filterz'))).toEqual([
      'GET /gmail/v1/users/me/settings/filterz is no method of the discovery document',
    ]);
    expect(conformanceProblems(request('GET', '/gmail/v1/users/me/messages?labelId=INBOX'))).toEqual([
      'gmail.users.messages.list: query parameter labelId is not declared',
    ]);
    expect(conformanceProblems(request('GET', '/gmail/v1/users/me/messages/m1?format=html'))).toEqual([
      'gmail.users.messages.get?format: html is not one of its enum',
    ]);
    expect(conformanceProblems(request('GET', '/gmail/v1/users/me/history?startHistoryId=1&labelId=a&labelId=b'))).toEqual([
      'gmail.users.history.list: labelId repeated but not declared repeated',
    ]);
    expect(
      conformanceProblems(request('POST', '/gmail/v1/users/me/settings/filters', '{"criteria":{"from":1},"extra":true}')),
    ).toEqual([
      'gmail.users.settings.filters.create body.criteria.from: expected a string',
      'gmail.users.settings.filters.create body.extra: not in the schema',
    ]);
    expect(conformanceProblems(request('POST', '/gmail/v1/users/me/messages/m1/trash', '{}'))).toEqual([
      'gmail.users.messages.trash: a body was sent to a method that takes none',
    ]);
    expect(conformanceProblems(request('POST', '/upload/gmail/v1/users/me/messages/send', 'x'))).toEqual([
      'gmail.users.messages.send: an upload needs uploadType=multipart or media',
      'gmail.users.messages.send: the body is not JSON',
    ]);
  });
});
