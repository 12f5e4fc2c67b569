import { createRedactor, PlugboardError, type AuthField, type Integration, type Toolset } from '@plugboard/core';
import { LINK_PURPOSE } from './connect-link.js';
import { renderFormPage, renderOutcomePage, REDIRECT_MODES, type OutcomePage } from './connect-page.js';
import { saveSession, takeLink, takeSession, type ConnectSession, type LinkClaims } from './connect-records.js';
import { CSRF_INPUT, MODE_INPUT, readFieldValues } from './form-fields.js';
import { pageHeaders } from './page-headers.js';
import { PAGE_STYLE } from './page-style.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './session-cookie.js';
import { macOf, randomId, sameText, signingKey, verifyToken } from './signed-token.js';

const DEFAULT_SESSION_TTL_MS = 30 * 60 * 1000;
const CSRF_PURPOSE = 'plugboard-connect-csrf';

export interface ConnectHandlerOptions {
  /**
   * The toolset connections are made in; or, for a server with one toolset per project, a function
   * from the link's `tenant` to its toolset (throw for an unknown one: the user sees "not valid").
   */
  toolset: Toolset | ((tenant: string | undefined) => Toolset | Promise<Toolset>);
  /** The secret links are signed with (the same as `createConnectLink`'s): at least 32 random characters. */
  secret: string;
  /** Where the handler is mounted. @default '/connect' */
  basePath?: string;
  /**
   * The origin (and any path before `basePath`) users reach the handler at, for the OAuth callback
   * `<publicUrl><basePath>/callback` (register it with each provider). @default the request's origin
   * @example 'https://myapp.example'
   */
  publicUrl?: string;
  /** How long a user may take from opening a link to finishing. @default 1_800_000 (30 minutes) */
  sessionTtlMs?: number;
  /**
   * Told about errors the user cannot fix (a store that fails), after the user saw a failure page.
   * Messages carry no value the user typed.
   */
  onError?: (error: { code: string; message: string }) => void;
}

/** A Web-standard handler: `Request` in, `Response` out. */
export type ConnectHandler = (request: Request) => Promise<Response>;

type Context = { toolset: Toolset; session: ConnectSession };

/**
 * The connect page your users see, as a Web-standard handler to mount at `basePath` (Next.js
 * route handlers, Hono, Bun, Deno; Express through an adapter). It serves:
 * `GET <basePath>/link?token=...` (a link from `createConnectLink`: used once, then the page),
 * `GET|POST <basePath>/session` (the form, or "Continue with <app>"), `GET <basePath>/callback`
 * (where OAuth providers send the user back) and `GET <basePath>/style.css`.
 * @example
 * const connect = createConnectHandler({ toolset, secret: process.env.CONNECT_SECRET });
 * app.all('/connect/*', (c) => connect(c.req.raw)); // Hono
 */
export function createConnectHandler(options: ConnectHandlerOptions): ConnectHandler {
  const key = signingKey(options.secret);
  const basePath = normalizeBasePath(options.basePath ?? '/connect');
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(publicUrl))
    throw new PlugboardError(
      'INVALID_PARAMS',
      'publicUrl must be an absolute http or https URL without query or fragment.',
    );
  // The paths the browser sees: behind a proxy that mounts the app under a prefix, the public URL carries it.
  const pagePath = `${publicUrl ? new URL(publicUrl).pathname.replace(/\/+$/, '') : ''}${basePath}`;
  const sessionTtlMs = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  // A tenant the resolver refuses (a deleted project) reads as a link or a session that is not valid.
  const resolveToolset = async (tenant: string | undefined): Promise<Toolset | undefined> => {
    if (typeof options.toolset !== 'function') return options.toolset;
    try {
      return await options.toolset(tenant);
    } catch (error) {
      options.onError?.({
        code: PlugboardError.isInstance(error) ? error.code : 'INTERNAL_ERROR',
        message: `No toolset for the tenant of a link or session: ${error instanceof Error ? error.message : 'the resolver failed'}`,
      });
      return undefined;
    }
  };

  const outcome = (status: number, page: Omit<OutcomePage, 'basePath'>, headers: Record<string, string> = {}) =>
    new Response(renderOutcomePage({ ...page, basePath: pagePath }), {
      status,
      headers: { ...pageHeaders(), ...headers },
    });
  const secureCookie = (url: URL) => (publicUrl ? publicUrl.startsWith('https:') : url.protocol === 'https:');
  const sessionEnded = () =>
    outcome(400, {
      ok: false,
      title: 'This page has expired',
      message:
        'Your visit to this page ended: it took too long, it was finished already, or it was opened in another browser. Ask the app that sent you the link for a new one.',
    });

  async function openLink(url: URL): Promise<Response> {
    const token = url.searchParams.get('token') ?? '';
    const claims = parseClaims(await verifyToken(key, LINK_PURPOSE, token));
    const toolset = claims && (await resolveToolset(claims.tenant));
    if (!claims || !toolset) {
      return outcome(400, {
        ok: false,
        title: 'This link is not valid',
        message: 'The link is incomplete or was changed. Ask the app that sent it to you for a new one.',
      });
    }
    if (claims.expiresAt <= Date.now()) {
      return outcome(410, {
        ok: false,
        title: 'This link has expired',
        message: 'Connect links work for a short time only. Ask the app that sent it to you for a new one.',
      });
    }
    if (!(await takeLink(toolset.store, claims.id))) {
      return outcome(410, {
        ok: false,
        title: 'This link was already used',
        message:
          'Each connect link works once. If you did not finish connecting, ask the app that sent it to you for a new one.',
      });
    }
    const session: ConnectSession = {
      id: randomId(),
      linkId: claims.id,
      entityId: claims.entityId,
      integrationIds: claims.integrationIds,
      expiresAt: Date.now() + sessionTtlMs,
    };
    if (claims.connectionId !== undefined) session.connectionId = claims.connectionId;
    if (claims.tenant !== undefined) session.tenant = claims.tenant;
    if (claims.returnUrl !== undefined) session.returnUrl = claims.returnUrl;
    await saveSession(toolset.store, session);
    const cookie = await sessionCookie(
      key,
      { sessionId: session.id, tenant: session.tenant },
      { path: pagePath, secure: secureCookie(url), maxAgeSeconds: Math.ceil(sessionTtlMs / 1000) },
    );
    // To a URL without the token: a reload or a shared screenshot of the address bar carries nothing.
    return new Response(null, {
      status: 303,
      headers: { ...pageHeaders(), location: `${pagePath}/session`, 'set-cookie': cookie },
    });
  }

  /** The session this browser holds, taken out of the store (save it back to go on). */
  async function openSession(request: Request): Promise<Context | undefined> {
    const pointer = await readSessionCookie(key, request);
    if (!pointer) return undefined;
    const toolset = await resolveToolset(pointer.tenant);
    if (!toolset) return undefined;
    const session = await takeSession(toolset.store, pointer.sessionId);
    if (!session || session.expiresAt <= Date.now()) return undefined;
    return { toolset, session };
  }

  async function formPage(
    { toolset, session }: Context,
    status: number,
    state: {
      mode?: string | null | undefined;
      values?: Record<string, string>;
      errors?: Record<string, string>;
      formError?: string | undefined;
    } = {},
  ): Promise<Response> {
    const choices = await choicesOf(toolset, session);
    const current = choices.find((choice) => choice.integration.authMode === state.mode) ?? (choices[0] as Choice);
    let values = state.values ?? {};
    if (state.values === undefined && session.connectionId !== undefined)
      values = await previousValues(toolset, session.connectionId, current.fields);
    const appName = appNameOf(toolset, current.integration.app);
    const html = renderFormPage({
      basePath: pagePath,
      app: { id: current.integration.app, name: appName },
      modes: choices.map((choice) => ({
        mode: choice.integration.authMode,
        displayName: choice.integration.name,
        href: `${pagePath}/session?mode=${choice.integration.authMode}`,
      })),
      mode: current.integration.authMode,
      fields: current.fields,
      csrfToken: await macOf(key, CSRF_PURPOSE, session.id),
      values,
      errors: state.errors ?? {},
      formError: state.formError,
      reconnect: session.connectionId !== undefined,
    });
    const formTargets = providerOrigins(toolset, choices);
    return new Response(html, { status, headers: pageHeaders({ formTargets }) });
  }

  async function showForm(request: Request, url: URL): Promise<Response> {
    const context = await openSession(request);
    if (!context) return sessionEnded();
    await saveSession(context.toolset.store, context.session);
    return formPage(context, 200, { mode: url.searchParams.get('mode') });
  }

  async function submitForm(request: Request, url: URL): Promise<Response> {
    const context = await openSession(request);
    if (!context) return sessionEnded();
    const { toolset, session } = context;
    const form = await request.formData().catch(() => new FormData());
    const csrf = form.get(CSRF_INPUT);
    const expected = await macOf(key, CSRF_PURPOSE, session.id);
    // Sec-Fetch-Site is what a browser says about who made the request; a token alone covers older browsers.
    const crossSite = request.headers.get('sec-fetch-site') === 'cross-site';
    if (typeof csrf !== 'string' || !sameText(csrf, expected) || crossSite) {
      await saveSession(toolset.store, session);
      return outcome(403, {
        ok: false,
        title: 'This form could not be checked',
        message: 'The form was not sent from this page. Go back to the page and send it again.',
        action: { href: `${pagePath}/session`, label: 'Back to the form' },
      });
    }
    const choices = await choicesOf(toolset, session);
    const choice = choices.find((candidate) => candidate.integration.authMode === form.get(MODE_INPUT));
    if (!choice) {
      await saveSession(toolset.store, session);
      return formPage(context, 400, { formError: 'Choose how to connect and try again.' });
    }
    const mode = choice.integration.authMode;
    const values = readFieldValues(choice.fields, form);
    const secretValues = choice.fields.filter((field) => field.secret).map((field) => values[field.name]);
    const shownValues: Record<string, string> = {};
    for (const field of choice.fields)
      if (!field.secret && values[field.name] !== undefined) shownValues[field.name] = values[field.name] as string;
    const redirect = REDIRECT_MODES.has(mode);
    try {
      // A re-connect link names the connection: core re-connects it in place (same id, entity, integration).
      const started = await toolset.initiateConnection({
        integrationId: choice.integration.id,
        entityId: session.entityId,
        ...(session.connectionId !== undefined ? { connectionId: session.connectionId } : {}),
        connectedAccountParams: values,
        ...(redirect ? { redirectUri: `${publicUrl ?? url.origin}${basePath}/callback` } : {}),
      });
      if (redirect && started.redirectUrl) {
        const parameter = mode === 'OAUTH2' ? 'state' : 'oauth_token';
        const target = new URL(started.redirectUrl);
        session.pending = {
          integrationId: choice.integration.id,
          connectionId: started.connectedAccountId,
          parameter,
          value: target.searchParams.get(parameter) ?? '',
        };
        await saveSession(toolset.store, session);
        return new Response(null, { status: 303, headers: { ...pageHeaders(), location: started.redirectUrl } });
      }
      return await connected(toolset, session, started.connectedAccountId, url);
    } catch (error) {
      if (!PlugboardError.isInstance(error)) throw error;
      await saveSession(toolset.store, session);
      const redactor = createRedactor(secretValues);
      const { errors, formError } = explainRefusal(error, choice.fields, redactor.text);
      return formPage(context, 400, { mode, values: shownValues, errors, formError });
    }
  }

  async function callback(request: Request, url: URL): Promise<Response> {
    const context = await openSession(request);
    if (!context) return sessionEnded();
    const { toolset, session } = context;
    const pending = session.pending;
    const appName = pending ? appNameOf(toolset, (await toolset.getIntegration(pending.integrationId)).app) : '';
    const tryAgain = { href: `${pagePath}/session`, label: 'Try again' };
    if (!pending || url.searchParams.get(pending.parameter) !== pending.value) {
      // The sign-in in progress stays: a stray callback (a link someone made this browser open) cannot cancel it.
      await saveSession(toolset.store, session);
      return outcome(400, {
        ok: false,
        title: 'This sign-in does not belong here',
        message: 'The answer from the sign-in page does not match this visit. Start the sign-in again from this page.',
        action: tryAgain,
      });
    }
    delete session.pending;
    try {
      const connection = await toolset.completeConnection({ url: request.url });
      if (connection.id !== pending.connectionId)
        throw new PlugboardError('OAUTH_STATE_INVALID', 'The callback finished another connection.');
      return await connected(toolset, session, connection.id, url);
    } catch (error) {
      if (!PlugboardError.isInstance(error)) throw error;
      await saveSession(toolset.store, session);
      const message =
        error.code === 'OAUTH_CALLBACK_ERROR'
          ? `${appName} did not give access: the sign-in was cancelled or refused there. You can try again.`
          : error.code === 'OAUTH_STATE_INVALID'
            ? 'This sign-in took too long or was finished already. Start it again from this page.'
            : `${appName} would not finish the sign-in. Try again; if it keeps failing, tell the app that sent you the link.`;
      return outcome(400, { ok: false, title: 'Not connected', message, action: tryAgain });
    }
  }

  /** The success page. */
  async function connected(toolset: Toolset, session: ConnectSession, connectionId: string, url: URL) {
    const connection = await toolset.getConnection(connectionId);
    const appName = appNameOf(toolset, connection.app);
    return outcome(
      200,
      {
        ok: true,
        title: 'Connected',
        app: { id: connection.app, name: appName },
        message: `Your ${appName} account is connected${session.connectionId !== undefined ? ' again' : ''}. You can close this window.`,
        action: session.returnUrl ? { href: session.returnUrl, label: 'Back to the app' } : undefined,
      },
      { 'set-cookie': clearedSessionCookie({ path: pagePath, secure: secureCookie(url) }) },
    );
  }

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const route = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : undefined;
    try {
      if (request.method === 'GET' && route === '/style.css')
        return new Response(PAGE_STYLE, {
          headers: {
            'content-type': 'text/css; charset=utf-8',
            'cache-control': 'public, max-age=3600',
            'x-content-type-options': 'nosniff',
          },
        });
      if (request.method === 'GET' && route === '/link') return await openLink(url);
      if (request.method === 'GET' && route === '/session') return await showForm(request, url);
      if (request.method === 'POST' && route === '/session') return await submitForm(request, url);
      if (request.method === 'GET' && route === '/callback') return await callback(request, url);
      return outcome(404, {
        ok: false,
        title: 'Page not found',
        message: 'There is nothing here. Open the link you were sent again.',
      });
    } catch (error) {
      const code = PlugboardError.isInstance(error) ? error.code : 'INTERNAL_ERROR';
      // Messages of core's errors name fields and ids, never values; anything else is not repeated.
      options.onError?.({
        code,
        message: PlugboardError.isInstance(error) ? error.message : 'An unexpected error in the connect handler.',
      });
      return outcome(code === 'INTERNAL_ERROR' || code === 'STORE_ERROR' ? 500 : 400, {
        ok: false,
        title: 'Something went wrong',
        message:
          'The connection could not be made because of a problem on our side. Ask the app that sent you the link for a new one and try again later.',
      });
    }
  };
}

interface Choice {
  integration: Integration;
  fields: AuthField[];
}

async function choicesOf(toolset: Toolset, session: ConnectSession): Promise<Choice[]> {
  return Promise.all(
    session.integrationIds.map(async (id) => ({
      integration: await toolset.getIntegration(id),
      fields: (await toolset.getExpectedParamsForUser({ integrationId: id })).expectedParams,
    })),
  );
}

function appNameOf(toolset: Toolset, app: string): string {
  return toolset.listApps().find((candidate) => candidate.id === app)?.name ?? app;
}

/** The non-secret values a re-connected account had (a shop name), to fill in again. */
async function previousValues(toolset: Toolset, connectionId: string, fields: readonly AuthField[]) {
  const credentials = await toolset.getConnectionCredentials(connectionId).catch(() => ({}) as Record<string, string>);
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = credentials[field.name];
    if (!field.secret && value !== undefined) values[field.name] = value;
  }
  return values;
}

/**
 * Where the page's forms may lead: this origin, and the authorization endpoints of its OAuth modes
 * (browsers apply `form-action` to the redirect after a post). A host that is a template
 * (`{shop}.myshopify.com`) is known only once the user typed it, so any https origin is allowed then.
 */
function providerOrigins(toolset: Toolset, choices: readonly Choice[]): string[] {
  const origins = new Set<string>();
  for (const { integration } of choices) {
    if (!REDIRECT_MODES.has(integration.authMode)) continue;
    const scheme = toolset.getAuthSchemeForApp(integration.app, integration.authMode);
    const address = scheme.oauth2?.authorizationUrl ?? scheme.oauth1?.authorizationUrl;
    if (address === undefined) continue;
    const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*[{}]/i.test(address) ? 'https:' : safeOrigin(address);
    if (origin) origins.add(origin);
  }
  return [...origins];
}

function safeOrigin(address: string): string | undefined {
  try {
    const { origin } = new URL(address);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** What the server refused, per field where it can tell; never with a value the user typed. */
function explainRefusal(
  error: PlugboardError,
  fields: readonly AuthField[],
  redact: (text: string) => string,
): { errors: Record<string, string>; formError?: string } {
  const errors: Record<string, string> = {};
  const byName = new Map(fields.map((field) => [field.name, field]));
  if (error.code === 'INVALID_CONNECTION_PARAMS') {
    const details = (error.details ?? {}) as { missing?: string[]; invalid?: Array<{ field: string; reason: string }> };
    for (const name of details.missing ?? []) {
      const field = byName.get(name);
      if (field) errors[name] = `Enter your ${field.displayName}.`;
    }
    for (const problem of details.invalid ?? []) {
      const field = byName.get(problem.field);
      if (field)
        errors[problem.field] = field.pattern
          ? `${field.displayName} is not in the expected format.`
          : `${field.displayName} ${problem.reason}.`;
    }
    if (Object.keys(errors).length > 0) return { errors };
  }
  if (error.code === 'OAUTH_ERROR' || error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT')
    return { errors, formError: 'The sign-in could not be started. Try again in a moment.' };
  return { errors, formError: redact(error.message) };
}

function parseClaims(value: unknown): LinkClaims | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const claims = value as Partial<LinkClaims>;
  const optionalText = (entry: unknown) => entry === undefined || typeof entry === 'string';
  if (
    claims.v !== 1 ||
    typeof claims.id !== 'string' ||
    typeof claims.entityId !== 'string' ||
    !Array.isArray(claims.integrationIds) ||
    claims.integrationIds.length === 0 ||
    !claims.integrationIds.every((id) => typeof id === 'string') ||
    typeof claims.expiresAt !== 'number' ||
    !optionalText(claims.connectionId) ||
    !optionalText(claims.tenant) ||
    !optionalText(claims.returnUrl)
  )
    return undefined;
  return claims as LinkClaims;
}

function normalizeBasePath(path: string): string {
  const trimmed = `/${path.replace(/^\/+|\/+$/g, '')}`;
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(trimmed))
    throw new PlugboardError('INVALID_PARAMS', 'basePath must be a URL path such as "/connect".');
  return trimmed === '/' ? '' : trimmed;
}
