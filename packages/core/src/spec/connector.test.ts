import { describe, expect, it } from 'vitest';
import { errorThrownBy } from '@plugboard/fakes';
import { z } from 'zod';
import {
  CONNECTOR_SPEC_VERSION,
  apiKeyScheme,
  basicAuthorization,
  bearerTokenScheme,
  defineAction,
  defineConnector,
  oauth2Scheme,
  type AuthScheme,
  type ConnectorDefinition,
} from '../index.js';
import { assertCompatibleSpecVersion } from '../internal.js';

const ping = defineAction({ name: 'MINI_PING', description: 'Ping.', input: z.object({}), request: 'GET /ping' });
const definition = (overrides: Partial<ConnectorDefinition> = {}): ConnectorDefinition => ({
  id: 'mini',
  name: 'Mini',
  version: '1.0.0',
  specVersion: CONNECTOR_SPEC_VERSION,
  baseUrl: 'https://api.mini.test/v1',
  authSchemes: [bearerTokenScheme()],
  actions: [ping],
  ...overrides,
});

describe('defineAction', () => {
  it('parses "METHOD /path" and its path parameters, single and multi-segment', () => {
    const action = defineAction({
      name: 'MINI_GET_FILE',
      description: 'Get a file.',
      input: z.object({ owner: z.string(), path: z.string() }),
      request: 'GET /repos/{owner}/contents/{+path}',
    });
    expect(action.request).toMatchObject({
      method: 'GET',
      path: '/repos/{owner}/contents/{+path}',
      bodyEncoding: 'json',
    });
    expect(action.request?.pathParams).toEqual([
      { name: 'owner', multiSegment: false },
      { name: 'path', multiSegment: true },
    ]);
    expect(Object.isFrozen(action)).toBe(true);
  });

  it('refuses malformed definitions with INVALID_DEFINITION', () => {
    const input = z.object({ id: z.string() });
    const cases: Array<() => unknown> = [
      () => defineAction({ name: 'getThing', description: '', input, request: 'GET /x' }),
      () => defineAction({ name: 'MINI_X', aliases: ['bad alias'], description: '', input, request: 'GET /x' }),
      () => defineAction({ name: 'MINI_X', description: '', input: { not: 'zod' } as never, request: 'GET /x' }),
      () => defineAction({ name: 'MINI_X', description: '', input, request: 'FETCH /x' }),
      () => defineAction({ name: 'MINI_X', description: '', input, request: 'GET x' }),
      () => defineAction({ name: 'MINI_X', description: '', input, request: 'GET /things/{missing}' }),
      () => defineAction({ name: 'MINI_X', description: '', input }),
      () => defineAction({ name: 'MINI_X', description: '', input, request: 'GET /x', run: async () => 1 }),
    ];
    for (const run of cases) expect(errorThrownBy(run).code).toBe('INVALID_DEFINITION');
  });
});

describe('defineConnector', () => {
  it('returns a frozen connector with defaults', () => {
    const connector = defineConnector(definition());
    expect(connector.preferredAuthMode).toBe('BEARER_TOKEN');
    expect(connector.headers).toEqual({});
    expect(Object.isFrozen(connector)).toBe(true);
  });

  it('refuses bad ids, spec versions, base URLs, schemes and action names', () => {
    const badScheme = { ...bearerTokenScheme(), mode: 'COOKIE' } as unknown as AuthScheme;
    const cases: Array<[Partial<ConnectorDefinition>, string]> = [
      [{ id: 'My App' }, 'INVALID_DEFINITION'],
      [{ specVersion: 'one' }, 'INVALID_DEFINITION'],
      [{ baseUrl: 'api.mini.test' }, 'INVALID_DEFINITION'],
      [{ baseUrl: 'ftp://api.mini.test' }, 'INVALID_DEFINITION'],
      [{ baseUrl: 'https://api.mini.test/v1?key=1' }, 'INVALID_DEFINITION'],
      [{ authSchemes: [] }, 'INVALID_DEFINITION'],
      [{ authSchemes: [badScheme] }, 'INVALID_DEFINITION'],
      [{ authSchemes: [bearerTokenScheme(), bearerTokenScheme()] }, 'DUPLICATE_DEFINITION'],
      [
        { authSchemes: [{ ...bearerTokenScheme(), placements: [{ in: 'cookie' as never, name: 'c', value: 'x' }] }] },
        'INVALID_DEFINITION',
      ],
      [
        { authSchemes: [apiKeyScheme({ placements: [], fields: [{ name: 'shop', pattern: '([' }] })] },
        'INVALID_DEFINITION',
      ],
      [
        {
          authSchemes: [
            {
              ...oauth2Scheme({ authorizationUrl: 'https://a.test', tokenUrl: 'https://a.test/t' }),
              oauth2: undefined,
            } as unknown as AuthScheme,
          ],
        },
        'INVALID_DEFINITION',
      ],
      [{ preferredAuthMode: 'API_KEY' }, 'INVALID_DEFINITION'],
      [
        { actions: [defineAction({ name: 'OTHER_PING', description: '', input: z.object({}), request: 'GET /' })] },
        'INVALID_DEFINITION',
      ],
      [{ actions: [ping, ping] }, 'DUPLICATE_DEFINITION'],
    ];
    for (const [overrides, code] of cases)
      expect(
        errorThrownBy(() => defineConnector(definition(overrides))).code,
        JSON.stringify(Object.keys(overrides)),
      ).toBe(code);
  });

  it('allows templates in the host and path of the base URL', () => {
    expect(defineConnector(definition({ baseUrl: 'https://{shop}.myshop.test/admin' })).baseUrl).toBe(
      'https://{shop}.myshop.test/admin',
    );
    expect(defineConnector(definition({ baseUrl: 'https://api.telegram.test/bot{token}' })).baseUrl).toBe(
      'https://api.telegram.test/bot{token}',
    );
  });
});

describe('spec version compatibility', () => {
  it('accepts the same major with an equal or lower minor and names both versions otherwise', () => {
    expect(() => assertCompatibleSpecVersion({ id: 'x', specVersion: '1.0' }, '1.3')).not.toThrow();
    expect(() => assertCompatibleSpecVersion({ id: 'x', specVersion: '1.3' }, '1.3')).not.toThrow();
    for (const specVersion of ['1.4', '2.0', '0.9']) {
      const error = errorThrownBy(() => assertCompatibleSpecVersion({ id: 'x', specVersion }, '1.3'));
      expect(error.code).toBe('INCOMPATIBLE_SPEC_VERSION');
      expect(error.message).toContain(`spec ${specVersion}`);
      expect(error.message).toContain('spec 1.3');
    }
  });
});

describe('auth scheme helpers', () => {
  it('encode Basic credentials as UTF-8 and refuse a colon in the username', () => {
    expect(basicAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(basicAuthorization('test', '123£')).toBe('Basic dGVzdDoxMjPCow==');
    expect(errorThrownBy(() => basicAuthorization('a:b', 'c')).code).toBe('INVALID_PARAMS');
  });

  it('oauth2Scheme declares developer fields, PKCE and client auth defaults', () => {
    const scheme = oauth2Scheme({
      authorizationUrl: 'https://a.test/authorize',
      tokenUrl: 'https://a.test/token',
      clientAuthMethod: 'client_secret_post',
      scopeSeparator: ',',
    });
    expect(scheme.oauth2).toMatchObject({
      pkce: true,
      clientAuthMethod: 'client_secret_post',
      scopeSeparator: ',',
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    expect(scheme.fields.map((field) => `${field.name}:${field.suppliedBy}:${field.secret}`)).toEqual([
      'client_id:developer:false',
      'client_secret:developer:true',
      'scopes:developer:false',
    ]);
  });
});
