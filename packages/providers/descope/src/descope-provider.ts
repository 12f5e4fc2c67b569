import {
  PlugboardError,
  createRedactor,
  defineCredentialProvider,
  type AuthParameter,
  type CredentialProvider,
  type CredentialRequest,
  type FetchFunction,
  type ProvidedCredentials,
  type Redactor,
} from '@plugboard/core';
import { sendRequest, type SentResponse } from '@plugboard/core/internal';

/** Descope's API host for projects in the default (US) region. */
export const DESCOPE_DEFAULT_BASE_URL = 'https://api.descope.com';

/** The environment variables read when the matching option is not given. */
export const DESCOPE_ENV = {
  projectId: 'DESCOPE_PROJECT_ID',
  managementKey: 'DESCOPE_MANAGEMENT_KEY',
  baseUrl: 'DESCOPE_BASE_URL',
} as const;

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BODY_CHARS = 2_000;

/**
 * The token Descope returns, as handed to a custom `placement`. The refresh token is never kept:
 * Descope refreshes tokens itself, so nothing here needs one.
 * @see https://docs.descope.com/api/management/outbound-apps/fetch-latest-outbound-app-user-token
 */
export interface DescopeOutboundAppToken {
  id?: string;
  appId?: string;
  userId?: string;
  tenantId?: string;
  tokenSub?: string;
  accessToken: string;
  /** `'bearer'` for OAuth apps. */
  accessTokenType?: string;
  /** As Descope sent it: epoch seconds, as a string or a number. See `expiresAt` for the parsed form. */
  accessTokenExpiry?: string | number;
  hasRefreshToken?: boolean;
  lastRefreshTime?: string | number;
  lastRefreshError?: string;
  scopes?: string[];
  grantedBy?: string;
  externalIdentifier?: string;
  /** `accessTokenExpiry` parsed; undefined when Descope did not say (or said `0`). */
  expiresAt?: Date;
}

export interface DescopeProviderOptions {
  /**
   * The id of the outbound app in Descope (Console → Outbound Apps), e.g. `'google-calendar'`.
   * @example 'github'
   */
  appId: string;
  /**
   * Whose token to fetch: each end user's own (`'user'`), or one shared by a Descope tenant (`'tenant'`).
   * @default 'user'
   */
  level?: 'user' | 'tenant';
  /**
   * The Descope user id for a call (`level: 'user'` only). May be async, to look the id up.
   * @default (request) => request.entityId
   * @example ({ entityId }) => `U${entityId}`
   */
  userId?: (request: CredentialRequest) => string | Promise<string>;
  /**
   * The Descope tenant id, fixed or per call. Required with `level: 'tenant'`; with `level: 'user'`
   * it asks for the user's token in that tenant.
   * @example 'T2abc...'
   * @example (request) => tenantOf(request.entityId)
   */
  tenantId?: string | ((request: CredentialRequest) => string | Promise<string>);
  /**
   * Scopes the token must carry. Without scopes (or with an empty list) the latest token is
   * fetched, whatever its scopes.
   * @example ['https://www.googleapis.com/auth/calendar.readonly']
   */
  scopes?: readonly string[];
  /**
   * Your Descope project id (Console → Project Settings).
   * @default process.env.DESCOPE_PROJECT_ID, read when credentials are requested
   */
  projectId?: string;
  /**
   * A Descope management key (Console → Company → Management Keys). Never logged, never in an error.
   * @default process.env.DESCOPE_MANAGEMENT_KEY, read when credentials are requested
   */
  managementKey?: string;
  /**
   * Descope's API base URL. Must be `https` (plain `http` only for localhost, for tests).
   * @default process.env.DESCOPE_BASE_URL, else the project's regional host for a 32-character
   * project id (`https://api.euc1.descope.com` for `Peuc1...`), else `https://api.descope.com`
   */
  baseUrl?: string;
  /**
   * The fetch to call Descope with (proxies, tests).
   * @default globalThis.fetch
   */
  fetch?: FetchFunction;
  /**
   * Where the token goes on requests to the third-party API.
   * @default (accessToken) => [{ in: 'header', name: 'Authorization', value: `Bearer ${accessToken}` }]
   * @example (accessToken) => [{ in: 'header', name: 'X-Api-Key', value: accessToken }]
   */
  placement?: (accessToken: string, token: DescopeOutboundAppToken) => AuthParameter[];
  /**
   * How long one request to Descope may take, body included.
   * @default 30000
   */
  timeoutMs?: number;
}

/**
 * What the provider is asked: the toolset's credential request, plus an abort signal for code that
 * calls `getCredentials` itself. (The toolset passes no signal: one request to Descope may serve
 * several calls, and no single caller may cancel it for the others.)
 */
export interface DescopeCredentialRequest extends CredentialRequest {
  /** Gives up waiting with `ABORTED`; the request to Descope is cancelled once every caller has. */
  signal?: AbortSignal | undefined;
}

/** A credential provider whose `getCredentials` also takes an abort signal. */
export interface DescopeCredentialProvider extends CredentialProvider {
  getCredentials(request: DescopeCredentialRequest): Promise<ProvidedCredentials>;
}

/** The settings read from options or the environment when credentials are requested. */
interface ConnectionSettings {
  projectId: string;
  managementKey: string;
  baseUrl: string;
}

interface Flight {
  promise: Promise<ProvidedCredentials>;
  controller: AbortController;
  waiters: number;
}

/**
 * A credential provider that fetches each user's (or tenant's) token for a third-party app from
 * Descope's outbound apps token vault, through the management API.
 *
 * Creating the provider reads no environment variable and sends nothing: the project id, the
 * management key and the base URL are read from the options or from `DESCOPE_PROJECT_ID`,
 * `DESCOPE_MANAGEMENT_KEY` and `DESCOPE_BASE_URL` each time credentials are requested.
 *
 * Identical requests made while one is in flight share it. The provider keeps no cache of its
 * own: it returns `expiresAt`, and the toolset caches the credentials until shortly before then.
 * When the toolset asks with `forceRefresh` (the API refused the last token), Descope is asked to
 * refresh the token with the third-party provider rather than return the one it stored.
 *
 * @example
 * const provider = descopeProvider({ appId: 'github' });
 * toolset.addAuth('github', provider); // each entity id is a Descope user id
 * @see https://docs.descope.com/identity-federation/outbound-apps/using-outbound-apps
 */
export function descopeProvider(options: DescopeProviderOptions): DescopeCredentialProvider {
  const config = checkOptions(options);
  const flights = new Map<string, Flight>();

  const getCredentials = async (request: DescopeCredentialRequest): Promise<ProvidedCredentials> => {
    throwIfAborted(request.signal);
    const settings = resolveSettings(config.connection);
    const { path, body } = await describeRequest(config, request);
    // The management key is left out of the key on purpose; the project and host are enough to keep
    // two configurations apart. The body is in it, so a forced refresh never joins a request that
    // may return the token the API just refused.
    const key = JSON.stringify([settings.baseUrl, settings.projectId, path, body]);

    let flight = flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const started: Flight = {
        controller,
        waiters: 0,
        promise: fetchToken(settings, path, body, config, controller.signal).finally(() => {
          if (flights.get(key) === started) flights.delete(key);
        }),
      };
      // Every waiter may have gone by the time it settles; the rejection is theirs to see, not the process's.
      started.promise.catch(() => undefined);
      flights.set(key, started);
      flight = started;
    }
    return wait(flight, request.signal, () => {
      // The last waiter left: nobody wants the answer, so stop asking.
      if (flights.get(key) === flight) flights.delete(key);
    }).then(copyCredentials);
  };

  // getCredentials takes a wider request than CredentialRequest (an optional signal), so the
  // provider defineCredentialProvider returns is a DescopeCredentialProvider.
  return defineCredentialProvider({ name: 'descope', getCredentials }) as DescopeCredentialProvider;
}

// ----- options and settings -----

interface CheckedOptions {
  appId: string;
  level: 'user' | 'tenant';
  userId: (request: CredentialRequest) => string | Promise<string>;
  tenantId: DescopeProviderOptions['tenantId'];
  scopes: string[];
  fetch: FetchFunction | undefined;
  placement: (accessToken: string, token: DescopeOutboundAppToken) => AuthParameter[];
  timeoutMs: number;
  /** As passed in; completed from the environment when credentials are requested. */
  connection: { projectId: string | undefined; managementKey: string | undefined; baseUrl: string | undefined };
}

/** Checks what was passed in; reads nothing from the environment. */
function checkOptions(options: DescopeProviderOptions): CheckedOptions {
  const fail = (message: string): never => {
    throw new PlugboardError('CONFIGURATION_ERROR', `descopeProvider: ${message}`);
  };
  if (typeof options !== 'object' || options === null) fail('pass an options object with at least an appId.');
  if (typeof options.appId !== 'string' || options.appId.trim() === '')
    fail('the appId option is required: the id of the outbound app in Descope.');
  const level = options.level ?? 'user';
  if (level !== 'user' && level !== 'tenant') fail(`level must be 'user' or 'tenant', not ${JSON.stringify(level)}.`);
  if (options.userId !== undefined && typeof options.userId !== 'function')
    fail('userId must be a function of the credential request.');
  if (level === 'tenant' && options.userId !== undefined)
    fail("userId applies to level 'user' only; a tenant token belongs to the tenant.");
  const tenantId = options.tenantId;
  if (
    tenantId !== undefined &&
    typeof tenantId !== 'function' &&
    (typeof tenantId !== 'string' || tenantId.trim() === '')
  ) {
    fail('tenantId must be a non-empty string or a function of the credential request.');
  }
  if (level === 'tenant' && tenantId === undefined) fail("level 'tenant' needs the tenantId option.");
  const scopes = options.scopes ?? [];
  if (!Array.isArray(scopes) || scopes.some((scope) => typeof scope !== 'string' || scope.trim() === ''))
    fail('scopes must be a list of non-empty strings.');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') fail('fetch must be a function.');
  if (options.placement !== undefined && typeof options.placement !== 'function')
    fail('placement must be a function of the access token.');
  for (const name of ['projectId', 'managementKey', 'baseUrl'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string') fail(`${name} must be a string.`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)
    fail('timeoutMs must be a positive number of milliseconds.');
  return {
    appId: options.appId,
    level,
    userId: options.userId ?? ((request) => request.entityId),
    tenantId,
    scopes: [...scopes],
    fetch: options.fetch,
    placement: options.placement ?? bearerPlacement,
    timeoutMs,
    connection: { projectId: options.projectId, managementKey: options.managementKey, baseUrl: options.baseUrl },
  };
}

function bearerPlacement(accessToken: string): AuthParameter[] {
  return [{ in: 'header', name: 'Authorization', value: `Bearer ${accessToken}` }];
}

/** Reads an environment variable without assuming Node: other runtimes may have no `process`, or forbid the read. */
function readEnv(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const value = env?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

function resolveSettings(options: CheckedOptions['connection']): ConnectionSettings {
  const pick = (option: string | undefined, envName: string, optionName: string) =>
    typeof option === 'string' && option !== ''
      ? { value: option, source: `the ${optionName} option` }
      : { value: readEnv(envName), source: envName };
  const projectId = pick(options.projectId, DESCOPE_ENV.projectId, 'projectId');
  const managementKey = pick(options.managementKey, DESCOPE_ENV.managementKey, 'managementKey');
  const baseUrl = pick(options.baseUrl, DESCOPE_ENV.baseUrl, 'baseUrl');

  const missing: string[] = [];
  if (projectId.value === undefined) missing.push('projectId');
  if (managementKey.value === undefined) missing.push('managementKey');
  if (missing.length > 0) {
    const names = missing.map((name) => DESCOPE_ENV[name as keyof typeof DESCOPE_ENV]);
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      `descopeProvider: no Descope ${missing.map((name) => (name === 'projectId' ? 'project id' : 'management key')).join(' and ')}: ` +
        `pass the ${missing.join(' and ')} ${missing.length === 1 ? 'option' : 'options'} or set ${names.join(' and ')}.`,
      { details: { missing: names } },
    );
  }
  // Neither value is ever printed: a key pasted into the project id variable must not end up in a log.
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(projectId.value!)) {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      `descopeProvider: ${projectId.source} is not a Descope project id (printable ASCII, no spaces or colons).`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(managementKey.value!)) {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      `descopeProvider: ${managementKey.source} is not a Descope management key (printable ASCII, no spaces or line breaks).`,
    );
  }
  return {
    projectId: projectId.value!,
    managementKey: managementKey.value!,
    baseUrl:
      baseUrl.value === undefined ? regionalBaseUrl(projectId.value!) : checkBaseUrl(baseUrl.value, baseUrl.source),
  };
}

/**
 * Descope's SDKs derive the API host from 32-character (and longer) project ids, whose characters
 * 2 to 5 name the region (`Peuc1...` → `https://api.euc1.descope.com`); shorter ids are US projects.
 */
function regionalBaseUrl(projectId: string): string {
  const region = projectId.length >= 32 ? projectId.slice(1, 5) : '';
  return /^[a-z0-9]{4}$/i.test(region) ? `https://api.${region.toLowerCase()}.descope.com` : DESCOPE_DEFAULT_BASE_URL;
}

function checkBaseUrl(value: string, source: string): string {
  const shown = createRedactor([]).url(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PlugboardError('CONFIGURATION_ERROR', `descopeProvider: ${source} is not an absolute URL: ${shown}`);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      `descopeProvider: ${source} must be an https URL (plain http is allowed for localhost only): ${shown}`,
    );
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      `descopeProvider: ${source} must not carry credentials, a query or a fragment: ${shown}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

// ----- the request to Descope -----

interface TokenRequest {
  path: string;
  body: Record<string, unknown>;
}

async function describeRequest(config: CheckedOptions, request: CredentialRequest): Promise<TokenRequest> {
  const tenantId =
    typeof config.tenantId === 'function' ? await callMapping('tenantId', config.tenantId, request) : config.tenantId;
  const scoped = config.scopes.length > 0;
  // Descope's fetch options (`withRefreshToken`, `forceRefresh`): forceRefresh makes Descope refresh
  // the token with the third-party provider instead of returning the stored one.
  const fetchOptions = request.forceRefresh === true ? { forceRefresh: true } : undefined;
  if (config.level === 'tenant') {
    const body: Record<string, unknown> = { appId: config.appId, tenantId };
    if (scoped) body['scopes'] = config.scopes;
    if (fetchOptions) body['options'] = fetchOptions;
    return { path: `/v1/mgmt/outbound/app/tenant/token${scoped ? '' : '/latest'}`, body };
  }
  const userId = await callMapping('userId', config.userId, request);
  const body: Record<string, unknown> = { appId: config.appId, userId };
  if (scoped) body['scopes'] = config.scopes;
  if (tenantId !== undefined) body['tenantId'] = tenantId;
  if (fetchOptions) body['options'] = fetchOptions;
  return { path: `/v1/mgmt/outbound/app/user/token${scoped ? '' : '/latest'}`, body };
}

async function callMapping(
  name: 'userId' | 'tenantId',
  mapping: (request: CredentialRequest) => string | Promise<string>,
  request: CredentialRequest,
): Promise<string> {
  let value: unknown;
  try {
    value = await mapping(request);
  } catch (error) {
    if (PlugboardError.isInstance(error)) throw error;
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      `descopeProvider: the ${name} function threw for entity ${JSON.stringify(request.entityId)}: ${messageOf(error)}`,
    );
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      `descopeProvider: the ${name} function returned ${value === '' ? 'an empty string' : typeof value} for entity ${JSON.stringify(request.entityId)}; it must return a Descope ${name === 'userId' ? 'user' : 'tenant'} id.`,
    );
  }
  return value;
}

async function fetchToken(
  settings: ConnectionSettings,
  path: string,
  body: Record<string, unknown>,
  config: CheckedOptions,
  signal: AbortSignal,
): Promise<ProvidedCredentials> {
  const url = `${settings.baseUrl}${path}`;
  const authorization = `Bearer ${settings.projectId}:${settings.managementKey}`;
  const secrets = [settings.managementKey, `${settings.projectId}:${settings.managementKey}`, authorization];
  if (config.fetch === undefined && typeof globalThis.fetch !== 'function') {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      'descopeProvider: this runtime has no global fetch; pass the fetch option.',
    );
  }

  // Core's sender does the timeout, the abort and the network errors; a refusal comes back as a
  // response, because Descope's refusals get their own error with a hint. Nothing is retried: the
  // toolset decides whether to ask again.
  let response: SentResponse;
  try {
    response = await sendRequest(
      {
        method: 'POST',
        url: new URL(url),
        headers: new Headers({
          Authorization: authorization,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        }),
        body: JSON.stringify(body),
      },
      {
        fetch: config.fetch,
        timeoutMs: config.timeoutMs,
        retries: 0,
        signal,
        redactor: createRedactor(secrets),
        throwHttpErrors: false,
        // The management key must not follow a redirect anywhere; Descope's API does not redirect.
        redirect: 'manual',
      },
    );
  } catch (error) {
    if (signal.aborted) throw abortedError();
    if (PlugboardError.isInstance(error, 'TIMEOUT')) {
      throw new PlugboardError(
        'CREDENTIAL_PROVIDER_ERROR',
        `Descope did not answer POST ${url} within ${config.timeoutMs} ms.`,
        {
          retryable: true,
          details: { provider: 'descope', reason: 'timeout' },
        },
      );
    }
    // The sender's message is redacted already; it names the cause (ECONNREFUSED, ...).
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      createRedactor(secrets).text(`Could not reach Descope at POST ${url}: ${messageOf(error)}`),
      {
        retryable: true,
        details: { provider: 'descope', reason: 'network' },
      },
    );
  }

  const { status, statusText, data } = response;
  // The sender parses JSON answers by their content type; text that is JSON all the same is parsed here.
  const text = typeof data === 'string' ? data : '';
  const parsed =
    typeof data === 'string' ? parseJson(data) : data === null || data instanceof Uint8Array ? undefined : data;
  if (status < 200 || status > 299) {
    const retryAfter = response.headers.get('retry-after');
    throw statusError({ url, status, statusText, text, parsed, retryAfter, secrets, config });
  }

  const token = (parsed as { token?: unknown } | undefined)?.token;
  const accessToken = isRecord(token) ? token['accessToken'] : undefined;
  if (!isRecord(token) || typeof accessToken !== 'string' || accessToken === '') {
    // The body may hold a token in an unexpected place: describe its shape, never its values.
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      `Descope answered ${status} to POST ${url} without token.accessToken.`,
      {
        status,
        details: {
          provider: 'descope',
          reason: 'invalid-response',
          shape: shapeOf(parsed, createRedactor(secrets).text),
        },
      },
    );
  }

  const expiresAt = parseDescopeExpiry(token['accessTokenExpiry']);
  const { refreshToken: _dropped, ...kept } = token;
  const described: DescopeOutboundAppToken = { ...(kept as Omit<DescopeOutboundAppToken, 'expiresAt'>), accessToken };
  if (expiresAt !== undefined) described.expiresAt = expiresAt;

  let parameters: AuthParameter[];
  try {
    parameters = config.placement(accessToken, described);
  } catch (error) {
    const redactor = createRedactor([...secrets, accessToken, stringOrUndefined(token['refreshToken'])]);
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      redactor.text(`descopeProvider: the placement function threw: ${messageOf(error)}`),
    );
  }
  if (!Array.isArray(parameters)) {
    throw new PlugboardError(
      'CREDENTIAL_PROVIDER_ERROR',
      'descopeProvider: the placement function must return a list of auth parameters ({ in, name, value }).',
    );
  }
  return expiresAt === undefined ? { parameters } : { parameters, expiresAt };
}

interface StatusErrorInput {
  url: string;
  status: number;
  statusText: string;
  text: string;
  parsed: unknown;
  retryAfter: string | null;
  secrets: string[];
  config: CheckedOptions;
}

function statusError({
  url,
  status,
  statusText,
  text,
  parsed,
  retryAfter,
  secrets,
  config,
}: StatusErrorInput): PlugboardError {
  const redactor: Redactor = createRedactor(secrets);
  // Descope's errors: { errorCode: 'E011003', errorDescription: 'Request is invalid', errorMessage: '...' }.
  const descopeError = isRecord(parsed) ? parsed : undefined;
  const errorCode = stringOrUndefined(descopeError?.['errorCode']);
  const summary = [
    stringOrUndefined(descopeError?.['errorDescription']),
    stringOrUndefined(descopeError?.['errorMessage']),
  ]
    .filter(Boolean)
    .join(': ');
  const said =
    errorCode !== undefined || summary !== ''
      ? ` (${[errorCode && `[${errorCode}]`, summary].filter(Boolean).join(' ')})`
      : '';

  let hint = '';
  if (status === 401 || status === 403) {
    hint = ` Check the management key (the managementKey option or ${DESCOPE_ENV.managementKey}) and the project id (the projectId option or ${DESCOPE_ENV.projectId}): the key must be active and allowed on this project.`;
  } else if (status === 400 || status === 404) {
    const subject = config.level === 'tenant' ? 'the tenant' : 'the user';
    hint = ` Check that the outbound app "${config.appId}" exists in Descope and that ${subject} has connected to it${config.scopes.length > 0 ? ' with the requested scopes' : ''}.`;
  }
  const reason = `${status}${statusText ? ` ${statusText}` : ''}`;
  const message = redactor.text(
    `Descope refused the outbound app token request with status ${reason}: POST ${url}${said}.${hint}`,
  );

  const body =
    parsed === undefined ? (text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text) : parsed;
  const details: Record<string, unknown> = { provider: 'descope', reason: 'status', body: redactor.value(body) };
  if (errorCode !== undefined) details['errorCode'] = redactor.text(errorCode);
  if (retryAfter !== null) details['retryAfter'] = redactor.text(retryAfter);
  return new PlugboardError('CREDENTIAL_PROVIDER_ERROR', message, {
    status,
    retryable: status === 408 || status === 429 || status >= 500,
    details,
  });
}

/**
 * Descope sends `accessTokenExpiry` as epoch seconds, in a JSON string (int64 fields of its
 * protobuf-based API become strings) or a number, and `0` or nothing when it does not know.
 * Milliseconds and ISO 8601 strings are accepted too, in case that changes: an expiry in seconds
 * stays below 1e11 until the year 5138, and one in milliseconds has been above it since 1973.
 */
export function parseDescopeExpiry(value: unknown): Date | undefined {
  let epoch: number | undefined;
  if (typeof value === 'number') {
    epoch = value;
  } else if (typeof value === 'string' && value.trim() !== '') {
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) {
      epoch = Number(trimmed);
    } else {
      const parsed = Date.parse(trimmed);
      return Number.isNaN(parsed) ? undefined : new Date(parsed);
    }
  }
  if (epoch === undefined || !Number.isFinite(epoch) || epoch <= 0) return undefined;
  const date = new Date(epoch >= 1e11 ? epoch : epoch * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// ----- waiting, copying, small helpers -----

function wait(
  flight: Flight,
  signal: AbortSignal | undefined,
  onLastWaiterGone: () => void,
): Promise<ProvidedCredentials> {
  flight.waiters += 1;
  if (signal === undefined) return flight.promise;
  return new Promise<ProvidedCredentials>((resolve, reject) => {
    const onAbort = () => {
      flight.waiters -= 1;
      if (flight.waiters === 0) {
        onLastWaiterGone();
        flight.controller.abort();
      }
      reject(abortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    flight.promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Each caller gets its own copy: one caller changing its credentials must not change another's. */
function copyCredentials(credentials: ProvidedCredentials): ProvidedCredentials {
  const copy: ProvidedCredentials = { parameters: credentials.parameters.map((parameter) => ({ ...parameter })) };
  if (credentials.expiresAt instanceof Date) copy.expiresAt = new Date(credentials.expiresAt.getTime());
  return copy;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError();
}

function abortedError(): PlugboardError {
  return new PlugboardError('ABORTED', 'The request for Descope credentials was aborted.');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The keys of a body, two levels deep, and the types of their values; keys are redacted in case one echoes a secret. */
function shapeOf(value: unknown, redact: (text: string) => string): unknown {
  if (Array.isArray(value)) return 'array';
  if (!isRecord(value)) return value === undefined ? 'empty or not JSON' : typeof value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      redact(key),
      isRecord(item) ? Object.keys(item).map(redact) : Array.isArray(item) ? 'array' : typeof item,
    ]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message !== '' ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
