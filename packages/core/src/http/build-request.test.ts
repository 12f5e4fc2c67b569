import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlugboardError, type AuthParameter } from '../index.js';
import { buildRequest, checkAuthParameters, type RequestParts } from '../internal.js';

const NUM_RUNS = 300;

/** Runs `build` and returns the PlugboardError it threw; fails the test if it threw anything else or nothing. */
function refusal(build: () => unknown): PlugboardError {
  let thrown: unknown;
  try {
    build();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected an INVALID_PARAMS refusal, but nothing was thrown').toBeDefined();
  expect(PlugboardError.isInstance(thrown), `expected a PlugboardError, got ${String(thrown)}`).toBe(true);
  const error = thrown as PlugboardError;
  expect(error.code).toBe('INVALID_PARAMS');
  return error;
}

function expectRefused(parts: RequestParts): PlugboardError {
  return refusal(() => buildRequest(parts));
}

/**
 * Builds, and returns `undefined` when the request was refused with INVALID_PARAMS. Anything else
 * thrown (a TypeError from Headers, a URIError from encodeURIComponent) escapes and fails the property.
 */
function buildOrRefuse(parts: RequestParts) {
  try {
    return buildRequest(parts);
  } catch (error) {
    if (PlugboardError.isInstance(error) && error.code === 'INVALID_PARAMS') return undefined;
    throw error;
  }
}

const base = { baseUrl: 'https://api.example.com/v1', method: 'GET' as const };

// Pieces that break naive URL and header building, mixed with arbitrary code points.
const tricky = fc.constantFrom(
  '/',
  '?',
  '#',
  '&',
  '=',
  '%',
  '%2F',
  '%2e',
  '%2E%2E',
  '+',
  ' ',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u0000',
  '\u007f',
  '.',
  '..',
  '@',
  ':',
  ';',
  ',',
  '\\',
  '{',
  '}',
  '{id}',
  '[',
  ']',
  '"',
  "'",
  '<',
  '>',
  '|',
  '^',
  '`',
  '~',
  '*',
  'é',
  'ÿ',
  'Ā',
  '€',
  'ß',
  'İ',
  'K',
  '😀',
  'ａ',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  'a',
  'Z',
  '0',
  '-',
  '_',
);
const trickyString = fc.oneof(
  fc.string({ unit: fc.oneof(tricky, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  fc.constantFrom(
    '',
    '.',
    '..',
    '../..',
    'a/../b',
    '/',
    '//',
    'a//b',
    '%2e%2e',
    'x\r\nSet-Cookie: a=b',
    '__proto__',
    'constructor',
  ),
);

/** Counts both outcomes so a property that only ever refuses (or never refuses) is noticed. */
function outcomes() {
  const counts = { built: 0, refused: 0 };
  return {
    counts,
    record<T>(value: T | undefined): value is T {
      if (value === undefined) counts.refused++;
      else counts.built++;
      return value !== undefined;
    },
  };
}

describe('buildRequest: each placement lands in its slot', () => {
  it('joins the base URL, path template and input path parameters', () => {
    const built = buildRequest({
      ...base,
      path: '/repos/{owner}/{repo}/pulls/{number}',
      pathParams: { owner: 'octo cat', repo: 'a/b', number: 42 },
    });
    expect(built.method).toBe('GET');
    expect(built.url.href).toBe('https://api.example.com/v1/repos/octo%20cat/a%2Fb/pulls/42');
    expect(built.body).toBeUndefined();
  });

  it('places a header credential, after input headers of the same name', () => {
    const built = buildRequest({
      ...base,
      path: '/me',
      headers: { Accept: 'application/json', Authorization: 'from input' },
      auth: [{ name: 'Authorization', in: 'header', value: 'Bearer tok_123' }],
    });
    expect(built.headers.get('authorization')).toBe('Bearer tok_123');
    expect(built.headers.get('accept')).toBe('application/json');
    expect(built.url.href).toBe('https://api.example.com/v1/me');
  });

  it('places a query credential, encoded, and lets it win over input of the same name', () => {
    const built = buildRequest({
      ...base,
      path: '/search',
      query: {
        q: 'a&b=c',
        api_key: 'from input',
        tags: ['x', 'y'],
        page: 2,
        exact: true,
        skipped: undefined,
        none: null,
      },
      auth: [{ name: 'api_key', in: 'query', value: 'k&ey=1#' }],
    });
    expect(built.url.origin + built.url.pathname).toBe('https://api.example.com/v1/search');
    expect(built.url.searchParams.get('q')).toBe('a&b=c');
    expect(built.url.searchParams.getAll('api_key')).toEqual(['k&ey=1#']);
    expect(built.url.searchParams.getAll('tags')).toEqual(['x', 'y']);
    expect(built.url.searchParams.get('page')).toBe('2');
    expect(built.url.searchParams.get('exact')).toBe('true');
    expect(built.url.searchParams.has('skipped')).toBe(false);
    expect(built.url.searchParams.has('none')).toBe(false);
    expect(built.url.hash).toBe('');
    expect(built.url.search).toContain('api_key=k%26ey%3D1%23');
  });

  it('places a path credential in the base URL as one encoded segment', () => {
    const built = buildRequest({
      baseUrl: 'https://api.telegram.example/bot{token}',
      method: 'POST',
      path: '/sendMessage',
      body: { text: 'hi' },
      auth: [{ name: 'token', in: 'path', value: '123:AB/C?d' }],
    });
    expect(built.url.href).toBe('https://api.telegram.example/bot123%3AAB%2FC%3Fd/sendMessage');
  });

  it('places a subdomain credential in the host, lower-cased', () => {
    const built = buildRequest({
      baseUrl: 'https://{shop}.myshop.example/admin/api',
      method: 'GET',
      path: '/shop.json',
      auth: [{ name: 'shop', in: 'subdomain', value: 'My-Shop-1' }],
    });
    expect(built.url.href).toBe('https://my-shop-1.myshop.example/admin/api/shop.json');
    expect(built.url.hostname).toBe('my-shop-1.myshop.example');
  });

  it('places a body credential in a JSON body, winning over input of the same name', () => {
    const built = buildRequest({
      ...base,
      method: 'POST',
      path: '/things',
      body: { title: 'T', api_key: 'from input' },
      auth: [{ name: 'api_key', in: 'body', value: 'secret-key' }],
      authBody: { client_id: 'cid' },
    });
    expect(built.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(built.body as string)).toEqual({ title: 'T', api_key: 'secret-key', client_id: 'cid' });
  });

  it('places a body credential in a form body', () => {
    const built = buildRequest({
      ...base,
      method: 'POST',
      path: '/token',
      bodyEncoding: 'form',
      body: { grant_type: 'client_credentials', scope: ['a', 'b'] },
      auth: [{ name: 'client_secret', in: 'body', value: 's e&c=r+t' }],
    });
    expect(built.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(built.body).toBe('grant_type=client_credentials&scope=a&scope=b&client_secret=s+e%26c%3Dr%2Bt');
    const form = new URLSearchParams(built.body);
    expect(form.get('client_secret')).toBe('s e&c=r+t');
  });

  it('places a body credential named __proto__ as a field, not a prototype', () => {
    const built = buildRequest({
      ...base,
      method: 'POST',
      path: '/',
      body: { t: 1 },
      auth: [{ name: '__proto__', in: 'body', value: 'abcd' }],
    });
    expect(built.body).toBe('{"t":1,"__proto__":"abcd"}');
  });

  it('creates a body for body credentials on a bodyless POST, and keeps an explicit content type', () => {
    const built = buildRequest({
      ...base,
      method: 'POST',
      path: '/ping',
      headers: { 'Content-Type': 'application/vnd.acme+json' },
      auth: [{ name: 'key', in: 'body', value: 'abcd' }],
    });
    expect(built.body).toBe('{"key":"abcd"}');
    expect(built.headers.get('content-type')).toBe('application/vnd.acme+json');
  });

  it('keeps slashes of a multi-segment {+name} parameter and encodes each segment', () => {
    const built = buildRequest({
      ...base,
      path: '/repos/{owner}/contents/{+path}',
      pathParams: { owner: 'me', path: 'docs/a b/c?.md' },
    });
    expect(built.url.pathname).toBe('/v1/repos/me/contents/docs/a%20b/c%3F.md');
    expect(built.url.search).toBe('');
  });

  it('places every kind at once without them disturbing each other', () => {
    const built = buildRequest({
      baseUrl: 'https://{tenant}.api.example/t/{token}',
      method: 'PUT',
      path: '/items/{id}',
      pathParams: { id: 'x' },
      query: { q: '1' },
      body: { name: 'n' },
      auth: [
        { name: 'tenant', in: 'subdomain', value: 'acme' },
        { name: 'token', in: 'path', value: 'tk' },
        { name: 'sig', in: 'query', value: 'sg' },
        { name: 'X-Key', in: 'header', value: 'hk' },
        { name: 'key', in: 'body', value: 'bk' },
      ],
    });
    expect(built.url.href).toBe('https://acme.api.example/t/tk/items/x?q=1&sig=sg');
    expect(built.headers.get('x-key')).toBe('hk');
    expect(JSON.parse(built.body as string)).toEqual({ name: 'n', key: 'bk' });
  });
});

describe('buildRequest: bad input is refused, never cleaned', () => {
  describe('header', () => {
    it.each([
      ['CR', 'Bearer abc\rdef'],
      ['LF', 'Bearer abc\ndef'],
      ['CRLF with an injected header', 'Bearer abc\r\nX-Admin: 1'],
      ['NUL', 'Bearer abc\u0000'],
      ['DEL', 'abc\u007f'],
      ['another control character', 'abc\u001b[31m'],
      ['a character outside Latin-1', 'Bearer t€st'],
      ['a lone surrogate', 'abc\ud800'],
      ['leading whitespace', ' Bearer abc'],
      ['trailing whitespace', 'Bearer abc\t'],
    ])('refuses a credential header value with %s', (_label, value) => {
      const error = expectRefused({ ...base, path: '/', auth: [{ name: 'Authorization', in: 'header', value }] });
      expect(error.message).toContain('"Authorization"');
      expect(error.message).not.toContain(value);
      refusal(() => checkAuthParameters([{ name: 'Authorization', in: 'header', value }]));
    });

    it('refuses the same values in input headers', () => {
      expectRefused({ ...base, path: '/', headers: { 'X-Trace': 'a\r\nb' } });
      expectRefused({ ...base, path: '/', headers: { 'X-Trace': 'a€' } });
    });

    it.each([
      ['', 'empty'],
      ['X Key', 'a space'],
      ['X-Key:', 'a colon'],
      ['X\r\nKey', 'CRLF'],
      ['Ключ', 'non-ASCII'],
      ['(x)', 'separators'],
    ])('refuses the header name %j (%s)', (name) => {
      expectRefused({ ...base, path: '/', auth: [{ name, in: 'header', value: 'v' }] });
      expectRefused({ ...base, path: '/', headers: { [name]: 'v' } });
    });

    it('accepts tabs and Latin-1 obs-text inside a value unchanged', () => {
      const built = buildRequest({ ...base, path: '/', auth: [{ name: 'X-Key', in: 'header', value: 'a\tb é' }] });
      expect(built.headers.get('x-key')).toBe('a\tb é');
    });
  });

  describe('subdomain', () => {
    const host = (value: string): RequestParts => ({
      baseUrl: 'https://{shop}.example.com',
      method: 'GET',
      path: '/shop.json',
      auth: [{ name: 'shop', in: 'subdomain', value }],
    });

    it.each([
      ['a dot', 'evil.com'],
      ['a trailing dot', 'shop.'],
      ['a slash', 'evil.com/x'],
      ['an at sign', 'user@evil'],
      ['a colon', 'evil:8080'],
      ['a question mark', 'a?b'],
      ['a hash', 'a#b'],
      ['a percent escape', 'a%2eb'],
      ['a backslash', 'a\\b'],
      ['empty', ''],
      ['64 characters', 'a'.repeat(64)],
      ['a leading hyphen', '-shop'],
      ['a trailing hyphen', 'shop-'],
      ['an underscore', 'my_shop'],
      ['a space', 'my shop'],
      ['non-ASCII', 'shöp'],
      ['an invalid punycode label', 'xn--a'],
    ])('refuses a value with %s', (_label, value) => {
      expectRefused(host(value));
    });

    it('refuses the same values in checkAuthParameters', () => {
      for (const value of ['evil.com', 'a/b', 'a@b', 'a:b', '', 'a'.repeat(64), '-a']) {
        refusal(() => checkAuthParameters([{ name: 'shop', in: 'subdomain', value }]));
      }
    });

    it('accepts a 63-character label', () => {
      const label = 'a'.repeat(63);
      expect(buildRequest(host(label)).url.hostname).toBe(`${label}.example.com`);
      expect(() => checkAuthParameters([{ name: 'shop', in: 'subdomain', value: label }])).not.toThrow();
    });

    it('refuses a base URL host template that no credential fills', () => {
      const error = expectRefused({ baseUrl: 'https://{shop}.example.com', method: 'GET', path: '/' });
      expect(error.message).toContain('{shop}');
      // A path credential of the same name does not fill a host template.
      expectRefused({
        baseUrl: 'https://{shop}.example.com',
        method: 'GET',
        path: '/',
        auth: [{ name: 'shop', in: 'path', value: 'x' }],
      });
    });
  });

  describe('path', () => {
    it.each(['', '.', '..'])('refuses the single-segment value %j', (value) => {
      expectRefused({ ...base, path: '/things/{id}', pathParams: { id: value } });
      expectRefused({
        baseUrl: 'https://api.example.com/bot{token}',
        method: 'GET',
        path: '/',
        auth: [{ name: 'token', in: 'path', value }],
      });
      refusal(() => checkAuthParameters([{ name: 'token', in: 'path', value }]));
    });

    it('encodes "/" and other delimiters of a single-segment value instead of splitting', () => {
      const built = buildRequest({ ...base, path: '/things/{id}/x', pathParams: { id: '../../admin?x=1#y' } });
      expect(built.url.pathname).toBe('/v1/things/..%2F..%2Fadmin%3Fx%3D1%23y/x');
      expect(built.url.search).toBe('');
      expect(built.url.hash).toBe('');
    });

    it.each([
      ['a ".." segment', 'docs/../../secret'],
      ['a "." segment', 'docs/./a'],
      ['a lone ".."', '..'],
      ['an empty segment', 'docs//a'],
      ['a leading slash', '/etc/passwd'],
      ['a trailing slash', 'docs/'],
      ['an empty value', ''],
    ])('refuses a multi-segment {+path} value with %s', (_label, value) => {
      expectRefused({ ...base, path: '/files/{+path}', pathParams: { path: value } });
    });

    it('treats a path credential as one segment even for {+name}', () => {
      const built = buildRequest({
        ...base,
        path: '/files/{+token}',
        auth: [{ name: 'token', in: 'path', value: 'a/b' }],
      });
      expect(built.url.pathname).toBe('/v1/files/a%2Fb');
    });

    it('refuses a path template whose parameter is missing', () => {
      const error = expectRefused({ ...base, path: '/things/{id}/{other}', pathParams: { id: '1' } });
      expect(error.message).toContain('"other"');
      expectRefused({ ...base, path: '/things/{id}', pathParams: { id: undefined } });
    });

    it('refuses a value with a lone surrogate, which has no UTF-8 encoding', () => {
      expectRefused({ ...base, path: '/things/{id}', pathParams: { id: 'a\ud800' } });
      expectRefused({ ...base, path: '/files/{+path}', pathParams: { path: 'a/\udc00' } });
    });
  });

  describe('query', () => {
    it('refuses a value with a lone surrogate rather than replacing it with U+FFFD', () => {
      expectRefused({ ...base, path: '/', query: { q: 'a\ud800b' } });
      expectRefused({ ...base, path: '/', query: { ['k\udc00']: 'v' } });
      expectRefused({ ...base, path: '/', auth: [{ name: 'api_key', in: 'query', value: '\ud800' }] });
      refusal(() => checkAuthParameters([{ name: 'api_key', in: 'query', value: 'x\ud800' }]));
    });
  });

  describe('body', () => {
    it.each(['GET', 'HEAD', 'OPTIONS'] as const)('refuses a body on %s', (method) => {
      expectRefused({ ...base, method, path: '/', body: { a: 1 } });
      const error = expectRefused({ ...base, method, path: '/', auth: [{ name: 'key', in: 'body', value: 'abcd' }] });
      expect(error.message).toContain(method);
    });

    it.each(['GET', 'HEAD', 'OPTIONS'] as const)(
      'leaves custom-auth body fields out of a %s, which has no body',
      (method) => {
        const built = buildRequest({ ...base, method, path: '/', authBody: { key: 'abcd' } });
        expect(built.body).toBeUndefined();
        expect(built.headers.get('content-type')).toBeNull();
      },
    );

    it('refuses body credentials with a non-object body', () => {
      expectRefused({
        ...base,
        method: 'POST',
        path: '/',
        body: ['a'],
        auth: [{ name: 'key', in: 'body', value: 'abcd' }],
      });
      expectRefused({
        ...base,
        method: 'POST',
        path: '/',
        body: 'raw',
        auth: [{ name: 'key', in: 'body', value: 'abcd' }],
      });
    });

    it('refuses a form body that is not an object, or holds a lone surrogate', () => {
      expectRefused({ ...base, method: 'POST', path: '/', bodyEncoding: 'form', body: 'a=b' });
      expectRefused({ ...base, method: 'POST', path: '/', bodyEncoding: 'form', body: { a: 'x\ud800' } });
    });
  });

  it('refuses a base URL with a query or fragment', () => {
    expectRefused({ baseUrl: 'https://api.example.com/v1?x=1', method: 'GET', path: '/' });
    expectRefused({ baseUrl: 'https://api.example.com/v1#x', method: 'GET', path: '/' });
    expectRefused({ baseUrl: 'api.example.com', method: 'GET', path: '/' });
  });
});

describe('checkAuthParameters', () => {
  it('accepts well-formed parameters of every placement', () => {
    expect(() =>
      checkAuthParameters([
        { name: 'Authorization', in: 'header', value: 'Bearer x' },
        { name: 'api_key', in: 'query', value: 'a&b' },
        { name: 'token', in: 'path', value: 'a/b' },
        { name: 'shop', in: 'subdomain', value: 'shop-1' },
        { name: 'key', in: 'body', value: 'k' },
      ]),
    ).not.toThrow();
  });

  it('refuses malformed parameters', () => {
    refusal(() => checkAuthParameters([{ name: '', in: 'header', value: 'v' }]));
    refusal(() => checkAuthParameters([{ name: 'x', in: 'cookie', value: 'v' } as unknown as AuthParameter]));
    refusal(() => checkAuthParameters([{ name: 'x', in: 'query', value: 42 } as unknown as AuthParameter]));
    refusal(() => checkAuthParameters([null as unknown as AuthParameter]));
  });

  it('never echoes a refused value in its message', () => {
    const secret = 'sk_live_ABCDEFGH\r\n';
    const error = refusal(() => checkAuthParameters([{ name: 'X-Api-Key', in: 'header', value: secret }]));
    expect(error.message).not.toContain('sk_live_ABCDEFGH');
    expect(JSON.stringify(error)).not.toContain('sk_live_ABCDEFGH');
  });
});

describe('buildRequest properties: a value round-trips in its slot or is refused', () => {
  it('single-segment path parameter: decodes back, segment count and origin unchanged', () => {
    const tally = outcomes();
    fc.assert(
      fc.property(trickyString, (value) => {
        const built = buildOrRefuse({ ...base, path: '/things/{id}/details', pathParams: { id: value } });
        if (!tally.record(built)) return;
        const segments = built.url.pathname.split('/');
        expect(segments).toHaveLength(5);
        expect(segments.slice(0, 3)).toEqual(['', 'v1', 'things']);
        expect(segments[4]).toBe('details');
        expect(decodeURIComponent(segments[3] as string)).toBe(value);
        expect(built.url.origin).toBe('https://api.example.com');
        expect(built.url.search).toBe('');
        expect(built.url.hash).toBe('');
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
    expect(tally.counts.refused).toBeGreaterThan(0);
  });

  it('path credential in the base URL: one segment that decodes back', () => {
    const tally = outcomes();
    fc.assert(
      fc.property(trickyString, (value) => {
        const built = buildOrRefuse({
          baseUrl: 'https://api.example.com/bot{token}',
          method: 'GET',
          path: '/getMe',
          auth: [{ name: 'token', in: 'path', value }],
        });
        if (!tally.record(built)) return;
        const segments = built.url.pathname.split('/');
        expect(segments).toHaveLength(3);
        expect(decodeURIComponent(segments[1] as string)).toBe(`bot${value}`);
        expect(segments[2]).toBe('getMe');
        expect(built.url.host).toBe('api.example.com');
        expect(built.url.search + built.url.hash).toBe('');
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
  });

  it('multi-segment {+path}: segments decode back and nothing escapes the prefix', () => {
    const tally = outcomes();
    const multi = fc.oneof(
      trickyString,
      fc.array(trickyString, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/')),
    );
    fc.assert(
      fc.property(multi, (value) => {
        const built = buildOrRefuse({ ...base, path: '/files/{+path}', pathParams: { path: value } });
        if (!tally.record(built)) return;
        const segments = built.url.pathname.split('/');
        expect(segments.slice(0, 3)).toEqual(['', 'v1', 'files']);
        const placed = segments.slice(3);
        expect(placed).toHaveLength(value.split('/').length);
        expect(placed.map((segment) => decodeURIComponent(segment)).join('/')).toBe(value);
        expect(built.url.origin).toBe('https://api.example.com');
        expect(built.url.search + built.url.hash).toBe('');
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
    expect(tally.counts.refused).toBeGreaterThan(0);
  });

  it('query input and credential: get(name) gives the value back, no extra keys, origin and path unchanged', () => {
    const tally = outcomes();
    fc.assert(
      fc.property(trickyString, trickyString, trickyString, (name, value, credential) => {
        fc.pre(name !== 'api_key' && name !== 'fixed');
        const built = buildOrRefuse({
          ...base,
          path: '/search',
          query: { fixed: 'x', [name]: value },
          auth: [{ name: 'api_key', in: 'query', value: credential }],
        });
        if (!tally.record(built)) return;
        expect(built.url.searchParams.get(name)).toBe(value);
        expect(built.url.searchParams.getAll(name)).toHaveLength(1);
        expect(built.url.searchParams.get('api_key')).toBe(credential);
        expect(built.url.searchParams.get('fixed')).toBe('x');
        expect([...built.url.searchParams.keys()].sort()).toEqual(['api_key', 'fixed', name].sort());
        expect(built.url.origin).toBe('https://api.example.com');
        expect(built.url.host).toBe('api.example.com');
        expect(built.url.pathname).toBe('/v1/search');
        expect(built.url.hash).toBe('');
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
    expect(tally.counts.refused).toBeGreaterThan(0);
  });

  it('subdomain: the hostname is exactly the lower-cased label under the base host', () => {
    const tally = outcomes();
    const labelish = fc.oneof(
      trickyString,
      fc.stringMatching(/^[A-Za-z0-9-]{0,66}$/),
      fc.stringMatching(/^[a-z0-9][a-z0-9.:@/-]{0,10}$/),
    );
    fc.assert(
      fc.property(labelish, (value) => {
        const built = buildOrRefuse({
          baseUrl: 'https://{shop}.example.com/admin',
          method: 'GET',
          path: '/shop.json',
          auth: [{ name: 'shop', in: 'subdomain', value }],
        });
        if (!tally.record(built)) return;
        expect(built.url.hostname).toBe(`${value.toLowerCase()}.example.com`);
        expect(built.url.protocol).toBe('https:');
        expect(built.url.port).toBe('');
        expect(built.url.username + built.url.password).toBe('');
        expect(built.url.pathname).toBe('/admin/shop.json');
        expect(built.url.search + built.url.hash).toBe('');
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
    expect(tally.counts.refused).toBeGreaterThan(0);
  });

  it('header: the value reads back exactly, and no other header appears', () => {
    const tally = outcomes();
    fc.assert(
      fc.property(trickyString, (value) => {
        const built = buildOrRefuse({
          ...base,
          path: '/',
          headers: { Accept: 'application/json' },
          auth: [{ name: 'X-Api-Key', in: 'header', value }],
        });
        let checked: boolean;
        try {
          checkAuthParameters([{ name: 'X-Api-Key', in: 'header', value }]);
          checked = true;
        } catch (error) {
          if (!PlugboardError.isInstance(error) || error.code !== 'INVALID_PARAMS') throw error;
          checked = false;
        }
        // checkAuthParameters (addAuth time) and buildRequest (send time) agree.
        expect(checked).toBe(built !== undefined);
        if (!tally.record(built)) return;
        expect(built.headers.get('x-api-key')).toBe(value);
        expect([...built.headers.keys()].sort()).toEqual(['accept', 'x-api-key']);
        expect(built.url.href).toBe('https://api.example.com/v1');
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
    expect(tally.counts.refused).toBeGreaterThan(0);
  });

  it('header name: either refused or set under its lower-cased name', () => {
    const tally = outcomes();
    fc.assert(
      fc.property(fc.oneof(trickyString, fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,10}$/)), (name) => {
        const built = buildOrRefuse({ ...base, path: '/', auth: [{ name, in: 'header', value: 'v' }] });
        if (!tally.record(built)) return;
        expect([...built.headers.entries()]).toEqual([[name.toLowerCase(), 'v']]);
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
    expect(tally.counts.refused).toBeGreaterThan(0);
  });

  it('JSON and form body credentials: parse back to the value', () => {
    const tally = outcomes();
    fc.assert(
      fc.property(
        trickyString,
        trickyString,
        fc.constantFrom('json' as const, 'form' as const),
        (name, value, bodyEncoding) => {
          fc.pre(name !== 'title');
          const built = buildOrRefuse({
            ...base,
            method: 'POST',
            path: '/things',
            bodyEncoding,
            body: { title: 't' },
            auth: [{ name, in: 'body', value }],
          });
          if (!tally.record(built)) return;
          if (bodyEncoding === 'json') {
            expect(JSON.parse(built.body as string)).toEqual({ title: 't', [name]: value });
          } else {
            const form = new URLSearchParams(built.body);
            expect(form.get(name)).toBe(value);
            // Sorted: integer-like keys ("0") come first in any JavaScript object.
            expect([...form.keys()].sort()).toEqual(['title', name].sort());
            expect(form.get('title')).toBe('t');
          }
          expect(built.url.href).toBe('https://api.example.com/v1/things');
        },
      ),
      { numRuns: NUM_RUNS },
    );
    expect(tally.counts.built).toBeGreaterThan(0);
  });
});

describe('subdomain placement never yields an IP address', () => {
  it('refuses a label that makes a template-only host parse as an IPv4 address', () => {
    for (const value of ['2130706433', '127', '0x7f000001']) {
      expect(() =>
        buildRequest({
          baseUrl: 'http://{h}',
          method: 'GET',
          path: '/',
          auth: [{ name: 'h', in: 'subdomain', value }],
        }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    }
    expect(
      buildRequest({
        baseUrl: 'http://{h}.example.com',
        method: 'GET',
        path: '/',
        auth: [{ name: 'h', in: 'subdomain', value: '127' }],
      }).url.hostname,
    ).toBe('127.example.com');
  });
});
