import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './index.js';
import { REDACTED } from './internal.js';
import { isSensitiveKey, redactHeaders } from './redact.js';

const SECRET = 'sk_live_51H8xYz/AbC+dEf=gh&ij kl';

describe('createRedactor: text', () => {
  it('replaces every occurrence of a secret', () => {
    const redactor = createRedactor([SECRET]);
    expect(redactor.text(`token ${SECRET} and again ${SECRET}.`)).toBe(`token ${REDACTED} and again ${REDACTED}.`);
  });

  it('replaces the percent-encoded form a secret takes in a path or query', () => {
    const redactor = createRedactor([SECRET]);
    const encoded = encodeURIComponent(SECRET);
    expect(encoded).not.toBe(SECRET);
    expect(redactor.text(`GET /bot${encoded}/getMe`)).toBe(`GET /bot${REDACTED}/getMe`);
  });

  it('replaces the form-encoded form (spaces as "+") a secret takes in a query string or form body', () => {
    const redactor = createRedactor([SECRET]);
    const form = new URLSearchParams({ key: SECRET }).toString();
    expect(form).toBe('key=sk_live_51H8xYz%2FAbC%2BdEf%3Dgh%26ij+kl');
    expect(redactor.text(`grant_type=x&${form}&z=1`)).toBe(`grant_type=x&key=${REDACTED}&z=1`);
  });

  it('replaces the JSON-escaped form a secret takes inside JSON text', () => {
    const password = 'pa"ss\\word\n1';
    const redactor = createRedactor([password]);
    const echoed = `Internal error for body ${JSON.stringify({ username: 'alice', password })}`;
    expect(echoed).not.toContain(password);
    expect(redactor.text(echoed)).toBe(`Internal error for body {"username":"alice","password":"${REDACTED}"}`);
  });

  it('replaces the credentials of an Authorization value on their own, such as the base64 of Basic auth', () => {
    const basic = `Basic ${btoa('alice:correct horse battery')}`;
    const redactor = createRedactor([basic, 'correct horse battery']);
    const base64 = basic.slice('Basic '.length);
    expect(redactor.text(`Authorization: ${basic}`)).toBe(`Authorization: ${REDACTED}`);
    expect(redactor.text(`invalid credentials ${base64}`)).toBe(`invalid credentials ${REDACTED}`);
    expect(redactor.text('password correct horse battery is wrong')).toBe(`password ${REDACTED} is wrong`);
  });

  it('replaces a secret that contains another secret whole', () => {
    const redactor = createRedactor(['abcd', 'xxabcdxx']);
    expect(redactor.text('1 xxabcdxx 2 abcd')).toBe(`1 ${REDACTED} 2 ${REDACTED}`);
  });

  it('does not over-redact: short values and undefined are not searched for', () => {
    const redactor = createRedactor(['1', 'ab', 'abc', undefined, '']);
    const message = 'Request 1 of abc failed with status 401: GET https://api.example.com/ab/1';
    expect(redactor.text(message)).toBe(message);
    expect(redactor.value({ id: 1, name: 'abc', list: ['ab'] })).toEqual({ id: 1, name: 'abc', list: ['ab'] });
  });

  it('leaves text without secrets unchanged', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes('s3cr3t-t0ken'));
        expect(createRedactor(['s3cr3t-t0ken']).text(text)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('removes a secret from any text it is embedded in, in any of its encodings', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 30 }),
        fc.string(),
        fc.string(),
        fc.constantFrom('raw', 'uri', 'form'),
        (secret, before, after, form) => {
          // A secret made of the marker's own characters ("D]D]") can reappear across a marker's edge.
          fc.pre(!/[[\]]/.test(secret) && !REDACTED.includes(secret));
          const onWire =
            form === 'raw'
              ? secret
              : form === 'uri'
                ? encodeURIComponent(secret)
                : new URLSearchParams({ s: secret }).toString().slice(2);
          const output = createRedactor([secret]).text(before + onWire + after);
          expect(output).toContain(REDACTED);
          expect(output).not.toContain(onWire);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not throw on a secret with a lone surrogate', () => {
    const redactor = createRedactor(['abcd\ud800']);
    expect(redactor.text('x abcd\ud800 y')).toBe(`x ${REDACTED} y`);
  });
});

describe('createRedactor: url', () => {
  it('redacts sensitive query keys even when the value is unknown', () => {
    const redactor = createRedactor([]);
    const output = redactor.url(
      'https://api.example.com/oauth/token?client_id=abc123&client_secret=shh-unknown&access_token=tok-unknown&page=2&API_KEY=k-unknown',
    );
    expect(output).toBe(
      `https://api.example.com/oauth/token?client_id=abc123&client_secret=${REDACTED}&access_token=${REDACTED}&page=2&API_KEY=${REDACTED}`,
    );
    for (const leaked of ['shh-unknown', 'tok-unknown', 'k-unknown']) expect(output).not.toContain(leaked);
  });

  it.each([
    'access_token',
    'refresh_token',
    'client_secret',
    'api_key',
    'apikey',
    'key',
    'token',
    'password',
    'code_verifier',
    'oauth_signature',
  ])('treats %s as a sensitive key', (key) => {
    expect(isSensitiveKey(key)).toBe(true);
    expect(createRedactor([]).url(`https://a.example/?${key}=unknown-value`)).toBe(
      `https://a.example/?${key}=${REDACTED}`,
    );
  });

  it('keeps ordinary keys and values readable', () => {
    expect(isSensitiveKey('page')).toBe(false);
    expect(isSensitiveKey('client_id')).toBe(false);
    expect(createRedactor([]).url('https://a.example/x?page=2&q=hello+world')).toBe(
      'https://a.example/x?page=2&q=hello+world',
    );
  });

  it('redacts a known secret under an ordinary query key and in the path', () => {
    const redactor = createRedactor([SECRET]);
    const url = new URL(`https://api.example.com/bot${encodeURIComponent(SECRET)}/send`);
    url.searchParams.set('sig', SECRET);
    const output = redactor.url(url);
    expect(output).toBe(`https://api.example.com/bot${REDACTED}/send?sig=${REDACTED}`);
  });

  it('redacts user info', () => {
    const output = createRedactor([]).url('https://alice:hunter22@api.example.com/x');
    expect(output).not.toContain('hunter22');
    expect(output).not.toContain('alice');
    expect(output).toBe(`https://${REDACTED}:${REDACTED}@api.example.com/x`);
  });

  it('falls back to text redaction for what is not a URL', () => {
    expect(createRedactor([SECRET]).url(`not a url ${SECRET}`)).toBe(`not a url ${REDACTED}`);
  });
});

describe('createRedactor: value', () => {
  it('redacts sensitive keys at any depth, even with unknown values, and known secrets anywhere', () => {
    const input = {
      error: { message: `bad token ${SECRET}`, details: [{ access_token: 'unknown-1', scope: 'repo' }] },
      request: { headers: { Authorization: 'Bearer unknown-2', accept: 'application/json' } },
      Password: 'unknown-3',
      client_secret: { nested: 'unknown-4' },
      echoed: [SECRET, 'plain'],
      count: 3,
      ok: false,
    };
    const output = createRedactor([SECRET]).value(input);
    expect(output).toEqual({
      error: { message: `bad token ${REDACTED}`, details: [{ access_token: REDACTED, scope: 'repo' }] },
      request: { headers: { Authorization: REDACTED, accept: 'application/json' } },
      Password: REDACTED,
      client_secret: REDACTED,
      echoed: [REDACTED, 'plain'],
      count: 3,
      ok: false,
    });
    const serialized = JSON.stringify(output);
    for (const leaked of [SECRET, 'unknown-1', 'unknown-2', 'unknown-3', 'unknown-4'])
      expect(serialized).not.toContain(leaked);
  });

  it('does not mutate its input', () => {
    const input = { token: 'abcdefgh', list: ['abcdefgh'] };
    createRedactor(['abcdefgh']).value(input);
    expect(input).toEqual({ token: 'abcdefgh', list: ['abcdefgh'] });
  });

  it('keeps empty and null values under sensitive keys, which reveal nothing', () => {
    expect(createRedactor([]).value({ token: null, password: '', key: undefined })).toEqual({
      token: null,
      password: '',
      key: undefined,
    });
  });

  it('redacts a known secret used as an object key', () => {
    const output = createRedactor([SECRET]).value({ [SECRET]: 'invalid' });
    expect(JSON.stringify(output)).not.toContain(SECRET);
    expect(Object.values(output)).toEqual(['invalid']);
  });

  it('keeps a "__proto__" key of parsed JSON as data, redacted like any other', () => {
    const output = createRedactor([]).value(JSON.parse('{"__proto__":{"token":"unknown-6","id":1}}') as unknown);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(JSON.stringify(output)).toBe(`{"__proto__":{"token":"${REDACTED}","id":1}}`);
  });

  it('handles circular structures without throwing and without leaking', () => {
    const input: Record<string, unknown> = { message: `token ${SECRET}` };
    input['self'] = input;
    input['list'] = [input, { back: input }];
    const output = createRedactor([SECRET]).value(input) as Record<string, unknown>;
    expect(output['message']).toBe(`token ${REDACTED}`);
    expect(output['self']).toBe('[Circular]');
    expect(output['list']).toEqual(['[Circular]', { back: '[Circular]' }]);
    expect(() => JSON.stringify(output)).not.toThrow();
    expect(inspect(output, { depth: 10 })).not.toContain(SECRET);
  });

  it('copies an object referenced twice (not a cycle) in full both times', () => {
    const shared = { id: 7, token: 'unknown-5' };
    const output = createRedactor([]).value({ a: shared, b: shared, list: [shared, shared] });
    const expected = { id: 7, token: REDACTED };
    expect(output).toEqual({ a: expected, b: expected, list: [expected, expected] });
  });
});

describe('redactHeaders', () => {
  it('always redacts credential headers and redacts known secrets in the others', () => {
    const headers = new Headers({
      Authorization: 'Bearer whatever',
      'X-Api-Key': 'k1',
      Cookie: 'session=abc',
      'X-Echo': `got ${SECRET}`,
      Accept: 'text/plain',
    });
    expect(redactHeaders(headers, createRedactor([SECRET]))).toEqual({
      accept: 'text/plain',
      authorization: REDACTED,
      cookie: REDACTED,
      'x-api-key': REDACTED,
      'x-echo': `got ${REDACTED}`,
    });
  });
});

describe('url fragments', () => {
  it('redacts implicit-flow tokens in the fragment', () => {
    const redactor = createRedactor([]);
    expect(redactor.url('https://app.example/cb#access_token=abc123xyz&state=s1')).toBe(
      'https://app.example/cb#access_token=[REDACTED]&state=s1',
    );
  });
});
