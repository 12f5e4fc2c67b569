import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlugboardError } from '../../errors.js';
import { buildRequest } from '../../http/build-request.js';
import { errorOf, parseOAuthHeader, referenceBaseString, referenceSignature, rfc5849Encode } from '@plugboard/fakes';
import {
  oauth1AuthorizationHeader,
  oauth1PercentEncode,
  oauth1SignatureBaseString,
  signBuiltRequest,
  type OAuth1Request,
  type OAuth1SigningCredentials,
} from './sign-request.js';

const FORM = 'application/x-www-form-urlencoded';

/** The decoded parameters of a header, realm included. */
function paramsOf(header: string): Record<string, string> {
  const pairs = parseOAuthHeader(header);
  if (!pairs) throw new Error(`not an OAuth header: ${header}`);
  return Object.fromEntries(pairs);
}

/** The protocol parameters of a header that go into the base string (all but realm and the signature). */
function protocolOf(header: string): Array<[string, string]> {
  return Object.entries(paramsOf(header)).filter(([name]) => name !== 'realm' && name !== 'oauth_signature');
}

describe('RFC 5849 section 1.2: the photos.example.net example', () => {
  const client = {
    consumerKey: 'dpf43f3p2l4k3l03',
    consumerSecret: 'kd94hf93k423kf44',
    signatureMethod: 'HMAC-SHA1',
  } as const;

  it('signs the temporary-credentials request', async () => {
    const header = await oauth1AuthorizationHeader(
      { method: 'POST', url: 'https://photos.example.net/initiate' },
      client,
      {
        realm: 'Photos',
        timestamp: 137131200,
        nonce: 'wIjqoS',
        includeVersion: false,
        extraParams: { oauth_callback: 'http://printer.example.com/ready' },
      },
    );
    expect(header).toBe(
      'OAuth realm="Photos", oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready", oauth_consumer_key="dpf43f3p2l4k3l03", ' +
        'oauth_nonce="wIjqoS", oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131200"',
    );
  });

  it('signs the token request with the temporary credentials and the verifier', async () => {
    const header = await oauth1AuthorizationHeader(
      { method: 'POST', url: 'https://photos.example.net/token' },
      { ...client, token: 'hh5s93j4hdidpola', tokenSecret: 'hdhd0244k9j7ao03' },
      {
        realm: 'Photos',
        timestamp: 137131201,
        nonce: 'walatlh',
        includeVersion: false,
        extraParams: { oauth_verifier: 'hfdp7dh39dks9884' },
      },
    );
    expect(paramsOf(header)).toEqual({
      realm: 'Photos',
      oauth_consumer_key: 'dpf43f3p2l4k3l03',
      oauth_token: 'hh5s93j4hdidpola',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131201',
      oauth_nonce: 'walatlh',
      oauth_verifier: 'hfdp7dh39dks9884',
      oauth_signature: 'gKgrFCywp7rO0OXSjdot/IHF7IU=',
    });
    expect(header).toContain('oauth_signature="gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D"');
  });

  it('signs the protected-resource request, query included', async () => {
    const header = await oauth1AuthorizationHeader(
      { method: 'GET', url: 'http://photos.example.net/photos?file=vacation.jpg&size=original' },
      { ...client, token: 'nnch734d00sl2jdk', tokenSecret: 'pfkkdhi9sl3r4s00' },
      { realm: 'Photos', timestamp: 137131202, nonce: 'chapoH', includeVersion: false },
    );
    expect(paramsOf(header)['oauth_signature']).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it('reproduces the classic example with oauth_version (nonce kllo9940pd9333jh, signature tR3+Ty81lMeYAr/Fid0kMTYa/WM=)', async () => {
    const request: OAuth1Request = {
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
    };
    const header = await oauth1AuthorizationHeader(
      request,
      { ...client, token: 'nnch734d00sl2jdk', tokenSecret: 'pfkkdhi9sl3r4s00' },
      { timestamp: 1191242096, nonce: 'kllo9940pd9333jh' },
    );
    expect(oauth1SignatureBaseString(request, protocolOf(header))).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh' +
        '%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    );
    expect(header).toBe(
      'OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="kllo9940pd9333jh", oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D", ' +
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="1191242096", oauth_token="nnch734d00sl2jdk", oauth_version="1.0"',
    );
  });
});

describe('RFC 5849 section 3.4.1.1: the signature base string example', () => {
  const request: OAuth1Request = {
    method: 'POST',
    url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
    body: 'c2&a3=2+q',
    contentType: FORM,
  };
  const credentials: OAuth1SigningCredentials = {
    consumerKey: '9djdj82h48djs9d2',
    consumerSecret: 'j49sk3j29djd',
    token: 'kkk9d7dh3k39sjv7',
    tokenSecret: 'dh893hdasih9',
    signatureMethod: 'HMAC-SHA1',
  };
  const options = { realm: 'Example', timestamp: 137131201, nonce: '7d8f3e4a', includeVersion: false };
  const expectedBaseString =
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26' +
    'oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7';

  it('builds the exact base string: decoded query and form body, "+" as a space, repeated names sorted by value', async () => {
    const header = await oauth1AuthorizationHeader(request, credentials, options);
    expect(protocolOf(header)).toEqual([
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ]);
    expect(oauth1SignatureBaseString(request, protocolOf(header))).toBe(expectedBaseString);
    expect(referenceBaseString({ ...request, url: String(request.url), protocol: protocolOf(header) })).toBe(
      expectedBaseString,
    );
  });

  it('signs that base string with HMAC-SHA1 over "j49sk3j29djd&dh893hdasih9"', async () => {
    // The RFC prints "bYT5CMsGcbgUdFHObYMEfcx6bsw=" for this request in section 3.1, but that value is
    // not the HMAC-SHA1 of the base string it prints in 3.4.1.1 with these secrets (with or without
    // oauth_version, http or https); the digest is computed here with node:crypto instead.
    const expected = createHmac('sha1', 'j49sk3j29djd&dh893hdasih9').update(expectedBaseString).digest('base64');
    const header = await oauth1AuthorizationHeader(request, credentials, options);
    expect(header).toBe(
      `OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_nonce="7d8f3e4a", oauth_signature="${rfc5849Encode(expected)}", ` +
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_token="kkk9d7dh3k39sjv7"',
    );
  });
});

describe('base string URI (RFC 5849 section 3.4.1.2)', () => {
  const protocol = [['oauth_nonce', 'n']] as const;
  const uriOf = (url: string) =>
    decodeURIComponent(oauth1SignatureBaseString({ method: 'GET', url }, protocol).split('&')[1]!);

  it.each([
    ['http://EXAMPLE.COM:80/r%20v/X?id=123', 'http://example.com/r%20v/X'],
    ['https://www.example.net:8080/?q=1', 'https://www.example.net:8080/'],
    ['HTTPS://Api.Example.com:443/1/members/me', 'https://api.example.com/1/members/me'],
    ['http://example.com:8080/a', 'http://example.com:8080/a'],
    ['https://example.com:80/a', 'https://example.com:80/a'],
    ['http://example.com:443/a', 'http://example.com:443/a'],
    ['http://example.com', 'http://example.com/'],
    ['https://user:pass@example.com/a?b=c#fragment', 'https://example.com/a'],
    ['https://example.com/a#b?c=d', 'https://example.com/a'],
  ])('%s -> %s', (url, expected) => {
    expect(uriOf(url)).toBe(expected);
  });

  it('drops the fragment from the parameters as well', () => {
    expect(oauth1SignatureBaseString({ method: 'GET', url: 'https://example.com/p?x=1#frag' }, protocol)).toBe(
      'GET&https%3A%2F%2Fexample.com%2Fp&oauth_nonce%3Dn%26x%3D1',
    );
  });

  it('refuses URLs that are not http or https, or not absolute', async () => {
    expect(
      (
        await errorOf<PlugboardError>(() =>
          oauth1SignatureBaseString({ method: 'GET', url: 'ftp://example.com/a' }, protocol),
        )
      ).code,
    ).toBe('INVALID_PARAMS');
    expect(
      (await errorOf<PlugboardError>(() => oauth1SignatureBaseString({ method: 'GET', url: '/relative' }, protocol)))
        .code,
    ).toBe('INVALID_PARAMS');
  });
});

describe('request parameters and percent-encoding (RFC 5849 sections 3.4.1.3 and 3.6)', () => {
  const protocol = [['oauth_consumer_key', 'k']] as const;
  const parametersOf = (request: OAuth1Request) =>
    decodeURIComponent(oauth1SignatureBaseString(request, protocol).split('&').slice(2).join('&'));

  it('encodes spaces as %20, keeps only unreserved characters, uppercase hex, UTF-8', () => {
    expect(parametersOf({ method: 'GET', url: "https://a.example/p?q=a+b%2Bc&s=!*'()~-._&u=%C3%A9%F0%9F%98%80" })).toBe(
      'oauth_consumer_key=k&q=a%20b%2Bc&s=%21%2A%27%28%29~-._&u=%C3%A9%F0%9F%98%80',
    );
    expect(oauth1PercentEncode("a b+c/!*'()~é")).toBe('a%20b%2Bc%2F%21%2A%27%28%29~%C3%A9');
  });

  it('sorts by encoded name in byte order, then by value, keeping every repeated name', () => {
    expect(
      parametersOf({
        method: 'POST',
        url: 'https://a.example/p?a=z&a=&B=1&a=b&a2=x&c%40=1',
        body: 'a=y&c2=2',
        contentType: FORM,
      }),
    ).toBe('B=1&a=&a=b&a=y&a=z&a2=x&c%40=1&c2=2&oauth_consumer_key=k');
  });

  it('keeps "=" inside values, names that shadow Object.prototype, and empty queries', () => {
    expect(parametersOf({ method: 'GET', url: 'https://a.example/p?a=b=c&constructor=x&toString=' })).toBe(
      'a=b%3Dc&constructor=x&oauth_consumer_key=k&toString=',
    );
    expect(parametersOf({ method: 'GET', url: 'https://a.example/p?' })).toBe('oauth_consumer_key=k');
    expect(parametersOf({ method: 'GET', url: 'https://a.example/p?&&' })).toBe('oauth_consumer_key=k');
  });

  it('reads a form body whose first name starts with "?" as that name', () => {
    expect(parametersOf({ method: 'POST', url: 'https://a.example/p', body: '?a=1', contentType: FORM })).toBe(
      '%3Fa=1&oauth_consumer_key=k',
    );
  });

  it('signs form bodies (any case, with parameters) but not JSON or text bodies', () => {
    const bare = parametersOf({ method: 'POST', url: 'https://a.example/p' });
    expect(
      parametersOf({ method: 'POST', url: 'https://a.example/p', body: '{"a":"1"}', contentType: 'application/json' }),
    ).toBe(bare);
    expect(parametersOf({ method: 'POST', url: 'https://a.example/p', body: 'a=1', contentType: 'text/plain' })).toBe(
      bare,
    );
    expect(parametersOf({ method: 'POST', url: 'https://a.example/p', body: 'a=1' })).toBe(bare);
    expect(
      parametersOf({
        method: 'POST',
        url: 'https://a.example/p',
        body: 'a=1',
        contentType: 'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
      }),
    ).toBe('a=1&oauth_consumer_key=k');
  });

  it('uppercases the method', () => {
    expect(
      oauth1SignatureBaseString({ method: 'patch', url: 'https://a.example/p' }, protocol).startsWith('PATCH&'),
    ).toBe(true);
  });

  it('refuses a parameter named __proto__, and protocol parameters repeated in the query or body', async () => {
    expect(
      (
        await errorOf<PlugboardError>(() =>
          oauth1SignatureBaseString({ method: 'GET', url: 'https://a.example/p?__proto__=1' }, protocol),
        )
      ).code,
    ).toBe('INVALID_PARAMS');
    expect(
      (
        await errorOf<PlugboardError>(() =>
          oauth1SignatureBaseString({ method: 'GET', url: 'https://a.example/p?oauth_consumer_key=1' }, protocol),
        )
      ).code,
    ).toBe('INVALID_PARAMS');
    expect(
      (
        await errorOf<PlugboardError>(() =>
          oauth1SignatureBaseString(
            { method: 'POST', url: 'https://a.example/p', body: 'oauth_signature=x', contentType: FORM },
            protocol,
          ),
        )
      ).code,
    ).toBe('INVALID_PARAMS');
  });

  it('matches an independent implementation of the RFC on arbitrary queries and form bodies', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 8 });
    const pairs = fc.array(fc.tuple(text, text), { maxLength: 6 });
    fc.assert(
      fc.property(pairs, pairs, fc.boolean(), (query, form, useForm) => {
        const search = new URLSearchParams(
          query.filter(([name]) => name !== '__proto__' && !name.startsWith('oauth_')),
        );
        const body = new URLSearchParams(
          form.filter(([name]) => name !== '__proto__' && !name.startsWith('oauth_')),
        ).toString();
        const request = {
          method: 'POST',
          url: `https://API.example.com:443/v1/x?${search.toString()}`,
          body,
          contentType: useForm ? FORM : 'application/json',
        };
        const oauth = [
          ['oauth_consumer_key', 'key'],
          ['oauth_nonce', 'nonce'],
        ] as const;
        expect(oauth1SignatureBaseString(request, oauth)).toBe(referenceBaseString({ ...request, protocol: oauth }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('signature methods', () => {
  const request: OAuth1Request = {
    method: 'POST',
    url: 'https://api.example.com/1/cards?idList=abc',
    body: 'name=Buy milk&desc=2+3',
    contentType: FORM,
  };
  const base = { consumerKey: 'key', consumerSecret: 'c s&é', token: 'tok', tokenSecret: 't/s' } as const;

  it('HMAC-SHA256 is the SHA-256 HMAC of the same base string', async () => {
    const header = await oauth1AuthorizationHeader(request, { ...base, signatureMethod: 'HMAC-SHA256' });
    const params = paramsOf(header);
    expect(params['oauth_signature_method']).toBe('HMAC-SHA256');
    const baseString = referenceBaseString({ ...request, url: String(request.url), protocol: protocolOf(header) });
    expect(oauth1SignatureBaseString(request, protocolOf(header))).toBe(baseString);
    expect(params['oauth_signature']).toBe(
      createHmac('sha256', 'c%20s%26%C3%A9&t%2Fs').update(baseString).digest('base64'),
    );
    expect(params['oauth_signature']).toBe(
      referenceSignature('HMAC-SHA256', baseString, base.consumerSecret, base.tokenSecret),
    );
  });

  it('PLAINTEXT is the encoded consumer secret and token secret, joined by "&"', async () => {
    const header = await oauth1AuthorizationHeader(request, { ...base, signatureMethod: 'PLAINTEXT' });
    expect(paramsOf(header)['oauth_signature']).toBe('c%20s%26%C3%A9&t%2Fs');
    // Encoded once more in the header.
    expect(header).toContain('oauth_signature="c%2520s%2526%25C3%25A9%26t%252Fs"');
    const withoutToken = await oauth1AuthorizationHeader(request, {
      consumerKey: 'key',
      consumerSecret: 'ja893SD9',
      signatureMethod: 'PLAINTEXT',
    });
    expect(paramsOf(withoutToken)['oauth_signature']).toBe('ja893SD9&');
    expect(paramsOf(withoutToken)['oauth_token']).toBeUndefined();
  });

  it('HMAC-SHA1 with an empty token secret keeps the "&"', async () => {
    const header = await oauth1AuthorizationHeader(
      { method: 'GET', url: 'https://api.example.com/x' },
      { consumerKey: 'key', consumerSecret: 'secret', signatureMethod: 'HMAC-SHA1' },
    );
    const baseString = referenceBaseString({
      method: 'GET',
      url: 'https://api.example.com/x',
      protocol: protocolOf(header),
    });
    expect(paramsOf(header)['oauth_signature']).toBe(createHmac('sha1', 'secret&').update(baseString).digest('base64'));
  });
});

describe('nonce, timestamp and header', () => {
  const credentials: OAuth1SigningCredentials = {
    consumerKey: 'key',
    consumerSecret: 'secret',
    token: 'tok',
    tokenSecret: 'ts',
    signatureMethod: 'HMAC-SHA1',
  };

  it('makes a fresh 16-byte hex nonce and a timestamp in seconds for every request', async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await Promise.all(
      Array.from({ length: 200 }, () =>
        oauth1AuthorizationHeader({ method: 'GET', url: 'https://a.example/' }, credentials),
      ),
    );
    const after = Math.floor(Date.now() / 1000);
    const nonces = headers.map((header) => paramsOf(header)['oauth_nonce']!);
    expect(new Set(nonces).size).toBe(200);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    for (const header of headers) {
      const timestamp = Number(paramsOf(header)['oauth_timestamp']);
      expect(timestamp).toBeGreaterThanOrEqual(before);
      expect(timestamp).toBeLessThanOrEqual(after);
    }
    expect(paramsOf(headers[0]!)['oauth_version']).toBe('1.0');
  });

  it('escapes the realm as a quoted-string and refuses one that cannot be a header', async () => {
    const header = await oauth1AuthorizationHeader({ method: 'GET', url: 'https://a.example/' }, credentials, {
      realm: 'a "b" \\c',
    });
    expect(header.startsWith('OAuth realm="a \\"b\\" \\\\c", oauth_consumer_key="key"')).toBe(true);
    expect(paramsOf(header)['realm']).toBe('a "b" \\c');
    expect(
      (
        await errorOf<PlugboardError>(() =>
          oauth1AuthorizationHeader({ method: 'GET', url: 'https://a.example/' }, credentials, {
            realm: 'a\r\nX-Evil: 1',
          }),
        )
      ).code,
    ).toBe('INVALID_PARAMS');
  });

  it('refuses extra parameters that are not oauth_ parameters or that replace the signer’s own', async () => {
    for (const extraParams of [
      { callback: 'x' },
      { oauth_nonce: 'x' },
      { oauth_signature: 'x' },
      { oauth_token: 'x' },
    ]) {
      expect(
        (
          await errorOf<PlugboardError>(() =>
            oauth1AuthorizationHeader({ method: 'GET', url: 'https://a.example/' }, credentials, { extraParams }),
          )
        ).code,
      ).toBe('INVALID_PARAMS');
    }
  });

  it('refuses bad timestamps, nonces and unknown signature methods', async () => {
    const request = { method: 'GET', url: 'https://a.example/' };
    for (const options of [{ timestamp: 0 }, { timestamp: 1.5 }, { timestamp: Number.NaN }, { nonce: '' }]) {
      expect((await errorOf<PlugboardError>(() => oauth1AuthorizationHeader(request, credentials, options))).code).toBe(
        'INVALID_PARAMS',
      );
    }
    const unknown = { ...credentials, signatureMethod: 'RSA-SHA1' } as unknown as OAuth1SigningCredentials;
    expect((await errorOf<PlugboardError>(() => oauth1AuthorizationHeader(request, unknown))).code).toBe(
      'INVALID_PARAMS',
    );
    const inherited = { ...credentials, signatureMethod: 'toString' } as unknown as OAuth1SigningCredentials;
    expect((await errorOf<PlugboardError>(() => oauth1AuthorizationHeader(request, inherited))).code).toBe(
      'INVALID_PARAMS',
    );
  });

  it('refuses a secret that has no UTF-8 form without showing it', async () => {
    const secret = 'very-secret-\uD800-value';
    const error = await errorOf<PlugboardError>(() =>
      oauth1AuthorizationHeader(
        { method: 'GET', url: 'https://a.example/' },
        { ...credentials, consumerSecret: secret },
      ),
    );
    expect(error.code).toBe('INVALID_PARAMS');
    expect(JSON.stringify(error)).not.toContain('very-secret');
    expect(error.message).not.toContain('very-secret');
  });
});

describe('inputs are left alone', () => {
  const credentials: OAuth1SigningCredentials = {
    consumerKey: 'key',
    consumerSecret: 'secret',
    token: 'tok',
    tokenSecret: 'ts',
    signatureMethod: 'HMAC-SHA1',
  };

  it('oauth1AuthorizationHeader does not touch the URL, the body, the options or the credentials', async () => {
    const url = new URL('https://API.example.com:443/p?b=2&a=1');
    const href = url.href;
    const extraParams = Object.freeze({ oauth_verifier: 'v' });
    const options = Object.freeze({ extraParams, nonce: 'n', timestamp: 1_700_000_000 });
    const frozenCredentials = Object.freeze({ ...credentials });
    const request = Object.freeze({ method: 'post', url, body: 'c=3', contentType: FORM });
    await oauth1AuthorizationHeader(request, frozenCredentials, options);
    expect(url.href).toBe(href);
    expect([...url.searchParams]).toEqual([
      ['b', '2'],
      ['a', '1'],
    ]);
    expect(request.method).toBe('post');
    expect(extraParams).toEqual({ oauth_verifier: 'v' });
  });

  it('signBuiltRequest returns a new request with the header and form fields signed, leaving the original as it was', async () => {
    const built = buildRequest({
      baseUrl: 'https://api.example.com',
      method: 'POST',
      path: '/1/cards',
      query: { idList: 'L 1' },
      body: { name: 'Buy milk', pos: 'top' },
      bodyEncoding: 'form',
    });
    const originalHeaders = [...built.headers.entries()];
    const signed = await signBuiltRequest(built, credentials, { nonce: 'fixed', timestamp: 1_700_000_000 });

    expect(signed).not.toBe(built);
    expect(signed.headers).not.toBe(built.headers);
    expect(signed.url).not.toBe(built.url);
    expect([...built.headers.entries()]).toEqual(originalHeaders);
    expect(built.headers.has('authorization')).toBe(false);
    expect(signed.body).toBe(built.body);
    expect(signed.url.href).toBe(built.url.href);
    expect(signed.headers.get('content-type')).toBe(FORM);

    const header = signed.headers.get('authorization')!;
    const baseString = referenceBaseString({
      method: 'POST',
      url: built.url.href,
      protocol: protocolOf(header),
      body: built.body,
      contentType: FORM,
    });
    expect(baseString).toContain(rfc5849Encode('name=Buy%20milk'));
    expect(paramsOf(header)['oauth_signature']).toBe(
      createHmac('sha1', 'secret&ts').update(baseString).digest('base64'),
    );
  });

  it('signBuiltRequest leaves a JSON body out of the signature', async () => {
    const built = buildRequest({
      baseUrl: 'https://api.example.com',
      method: 'POST',
      path: '/1/cards',
      body: { name: 'Buy milk' },
    });
    const signed = await signBuiltRequest(built, credentials, { nonce: 'fixed', timestamp: 1_700_000_000 });
    const header = signed.headers.get('authorization')!;
    const baseString = referenceBaseString({ method: 'POST', url: built.url.href, protocol: protocolOf(header) });
    expect(paramsOf(header)['oauth_signature']).toBe(
      createHmac('sha1', 'secret&ts').update(baseString).digest('base64'),
    );
  });
});
