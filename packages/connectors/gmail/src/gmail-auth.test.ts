import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GMAIL_DEFAULT_SCOPES, gmail } from './index.js';
import { GOOGLE_CLIENT } from '../test/fake-google-oauth.js';
import { USER_TOKEN, startHarness, type Harness } from '../test/harness.js';
import { IDS } from '../test/mailbox-fixtures.js';

const REDIRECT_URI = GOOGLE_CLIENT.redirectUris[0] as string;
const MODIFY = 'https://www.googleapis.com/auth/gmail.modify';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

/** The curated actions: an integration offering them asks for gmail.modify alone. */
const CURATED = gmail.actions.map((action) => action.name);

async function createOAuthIntegration(scopes?: string[], actions: string[] | null = CURATED) {
  return harness.toolset.createIntegration({
    app: 'gmail',
    authMode: 'OAUTH2',
    ...(actions ? { actions } : {}),
    authConfig: {
      client_id: GOOGLE_CLIENT.clientId,
      client_secret: GOOGLE_CLIENT.clientSecret,
      ...(scopes ? { scopes } : {}),
    },
  });
}

/** initiateConnection, the browser's trip to Google and back, handleCallback. */
async function connect(entityId = 'user-7', scopes?: string[]) {
  const integration = await createOAuthIntegration(scopes);
  const request = await harness.toolset.initiateConnection({
    integrationId: integration.id,
    entityId,
    redirectUri: REDIRECT_URI,
  });
  const callbackUrl = await harness.oauth.authorize(request.redirectUrl as string);
  const response = await harness.toolset.handleCallback(new Request(callbackUrl));
  return { integration, request, callbackUrl, response };
}

describe('OAUTH2 with Google', () => {
  it('sends the user to Google with offline access, consent, the Gmail scope, state and PKCE S256', async () => {
    const integration = await createOAuthIntegration();
    const request = await harness.toolset.initiateConnection({
      integrationId: integration.id,
      entityId: 'user-7',
      redirectUri: REDIRECT_URI,
    });
    expect(request.connectionStatus).toBe('INITIATED');
    const url = new URL(request.redirectUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: GOOGLE_CLIENT.clientId,
      redirect_uri: REDIRECT_URI,
      scope: MODIFY,
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
  });

  it('completes end to end: callback, code exchange with client_secret_post and PKCE, then an action with the new token', async () => {
    const { request, callbackUrl, response } = await connect();
    expect(callbackUrl.searchParams.get('scope')).toBe(MODIFY);
    expect(response.status).toBe(200);
    const connection = await request.waitUntilActive({ timeoutMs: 2_000 });
    expect(connection).toMatchObject({ app: 'gmail', authMode: 'OAUTH2', status: 'ACTIVE', entityId: 'user-7' });
    expect(Date.parse(connection.expiresAt ?? '')).toBeGreaterThan(Date.now() + 3_500_000);

    const [exchange] = harness.oauth.requests.filter((entry) => entry.path === '/token');
    expect(exchange?.method).toBe('POST');
    expect(exchange?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(exchange?.headers['authorization']).toBeUndefined();
    const form = Object.fromEntries(new URLSearchParams(exchange?.body));
    expect(form).toEqual({
      grant_type: 'authorization_code',
      code: callbackUrl.searchParams.get('code'),
      redirect_uri: REDIRECT_URI,
      code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43,128}$/),
      client_id: GOOGLE_CLIENT.clientId,
      client_secret: GOOGLE_CLIENT.clientSecret,
    });
    const authorizeQuery = harness.oauth.requests.find((entry) => entry.path === '/o/oauth2/v2/auth')?.query;
    expect(
      createHash('sha256')
        .update(form['code_verifier'] as string)
        .digest('base64url'),
    ).toBe(authorizeQuery?.get('code_challenge'));

    const tokens = harness.oauth.issued[0];
    expect(tokens?.refreshToken).toEqual(expect.any(String));
    const credentials = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(credentials).toMatchObject({
      access_token: tokens?.accessToken,
      refresh_token: tokens?.refreshToken,
      token_type: 'Bearer',
      scope: MODIFY,
    });

    const result = await harness.toolset.executeAction('GMAIL_GET_PROFILE', {}, { entityId: 'user-7' });
    expect(result.data).toMatchObject({ emailAddress: 'me@example.com' });
    expect(harness.api.requests[0]?.headers['authorization']).toBe(`Bearer ${tokens?.accessToken}`);
    expect(harness.calls.map((call) => call.host)).toEqual(['oauth2.googleapis.com', 'gmail.googleapis.com']);
  });

  it('asks for what the curated actions need when the integration names no actions, not the whole API', async () => {
    const integration = await createOAuthIntegration(undefined, null);
    const request = await harness.toolset.initiateConnection({
      integrationId: integration.id,
      redirectUri: REDIRECT_URI,
    });
    // Reading, sending, labelling and trashing mail: gmail.modify covers every curated action.
    expect(new URL(request.redirectUrl as string).searchParams.get('scope')).toBe(
      'https://www.googleapis.com/auth/gmail.modify',
    );
    // The whole API would need full access (messages.delete) and the settings scopes (filters, delegates).
    expect(harness.toolset.requiredScopes({ app: 'gmail' })).toEqual([
      'https://mail.google.com/',
      'https://www.googleapis.com/auth/gmail.settings.basic',
      'https://www.googleapis.com/auth/gmail.settings.sharing',
    ]);
  });

  it('asks for the narrowest scope of the actions it offers, which Google grants and Gmail accepts', async () => {
    const actions = ['GMAIL_LIST_FILTERS', 'GMAIL_CREATE_FILTER', 'GMAIL_UPDATE_VACATION_SETTINGS'];
    expect(harness.toolset.requiredScopes({ app: 'gmail', actions })).toEqual([
      'https://www.googleapis.com/auth/gmail.settings.basic',
    ]);
    const integration = await createOAuthIntegration(undefined, actions);
    const request = await harness.toolset.initiateConnection({
      integrationId: integration.id,
      entityId: 'user-9',
      redirectUri: REDIRECT_URI,
    });
    const callbackUrl = await harness.oauth.authorize(request.redirectUrl as string);
    expect(callbackUrl.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/gmail.settings.basic');
    await harness.toolset.handleCallback(new Request(callbackUrl));
    const credentials = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(credentials['scope']).toBe('https://www.googleapis.com/auth/gmail.settings.basic');
  });

  it('asks for the scopes the integration configures', async () => {
    const scopes = ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send'];
    const integration = await createOAuthIntegration(scopes);
    const request = await harness.toolset.initiateConnection({
      integrationId: integration.id,
      redirectUri: REDIRECT_URI,
    });
    expect(new URL(request.redirectUrl as string).searchParams.get('scope')).toBe(scopes.join(' '));
  });

  it('gets a refresh token again on reconnection thanks to prompt=consent', async () => {
    await connect('user-7');
    await connect('user-8');
    expect(harness.oauth.issued.map((tokens) => tokens.refreshToken)).toEqual([expect.any(String), expect.any(String)]);
  });

  it('marks the connection FAILED when the user denies access', async () => {
    harness.oauth.denyNext();
    const { request, response } = await connect();
    expect(response.status).toBe(400);
    expect(await harness.toolset.getConnection(request.connectedAccountId)).toMatchObject({
      status: 'FAILED',
      statusReason: { code: 'access_denied' },
    });
    expect(harness.oauth.requests.filter((entry) => entry.path === '/token')).toHaveLength(0);
  });

  it('refreshes an expired token before the action, keeping the refresh token Google does not resend', async () => {
    const { request } = await connect();
    const before = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    // Expire the stored token (as an hour passing would) and at Google.
    await harness.toolset.store.updateConnection(request.connectedAccountId, {
      expiresAt: new Date(Date.now() - 1_000).toISOString(),
      updatedAt: new Date().toISOString(),
    });
    harness.oauth.expireAccessToken(before['access_token'] as string);

    const result = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      { labelIds: ['UNREAD'] },
      { entityId: 'user-7' },
    );
    expect(result.error).toBeNull();
    expect((result.data as { messages: Array<{ id: string }> }).messages.map((message) => message.id)).toEqual([
      IDS.ada,
    ]);

    const refresh = harness.oauth.requests.filter((entry) => entry.path === '/token')[1];
    expect(Object.fromEntries(new URLSearchParams(refresh?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: before['refresh_token'],
      client_id: GOOGLE_CLIENT.clientId,
      client_secret: GOOGLE_CLIENT.clientSecret,
    });
    const after = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    expect(after['access_token']).toBe(harness.oauth.issued[1]?.accessToken);
    expect(after['access_token']).not.toBe(before['access_token']);
    expect(after['refresh_token']).toBe(before['refresh_token']);
    for (const call of harness.api.requests)
      expect(call.headers['authorization']).toBe(`Bearer ${after['access_token']}`);
    expect(harness.calls[0]?.host).toBe('oauth2.googleapis.com');
  });

  it('refreshes once and retries when Gmail answers 401 for a token that was revoked early', async () => {
    const { request } = await connect();
    const before = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    harness.oauth.expireAccessToken(before['access_token'] as string);
    const result = await harness.toolset.executeAction('GMAIL_LIST_LABELS', {}, { entityId: 'user-7' });
    expect(result.successful).toBe(true);
    expect(harness.api.requests.map((call) => call.headers['authorization'])).toEqual([
      `Bearer ${before['access_token']}`,
      `Bearer ${harness.oauth.issued[1]?.accessToken}`,
    ]);
  });

  it('asks the user to reconnect when Google answers invalid_grant, keeping the old credentials', async () => {
    const { request } = await connect();
    const before = await harness.toolset.getConnectionCredentials(request.connectedAccountId);
    harness.oauth.revokeRefreshToken(before['refresh_token'] as string);
    harness.oauth.expireAccessToken(before['access_token'] as string);
    const result = await harness.toolset.executeAction('GMAIL_GET_PROFILE', {}, { entityId: 'user-7' });
    expect(result.error).toMatchObject({ code: 'NEEDS_REAUTH' });
    expect(result.error?.message).toContain('Token has been expired or revoked.');
    expect(JSON.stringify(result)).not.toContain(before['refresh_token'] as string);
    expect(await harness.toolset.getConnection(request.connectedAccountId)).toMatchObject({ status: 'EXPIRED' });
    expect(await harness.toolset.getConnectionCredentials(request.connectedAccountId)).toEqual(before);
  });

  it('fails the connection with OAUTH_ERROR on a wrong client secret, never showing the secret', async () => {
    const integration = await harness.toolset.createIntegration({
      app: 'gmail',
      authMode: 'OAUTH2',
      authConfig: { client_id: GOOGLE_CLIENT.clientId, client_secret: 'GOCSPX-wrong-secret' },
    });
    const request = await harness.toolset.initiateConnection({
      integrationId: integration.id,
      redirectUri: REDIRECT_URI,
    });
    const callbackUrl = await harness.oauth.authorize(request.redirectUrl as string);
    const error = await harness.toolset.completeConnection({ url: callbackUrl }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 401, details: { error: 'invalid_client' } });
    expect(JSON.stringify(error)).not.toContain('GOCSPX-wrong-secret');
    expect(await harness.toolset.getConnection(request.connectedAccountId)).toMatchObject({ status: 'FAILED' });
  });
});

describe('BEARER_TOKEN', () => {
  it('asks the user for one secret token, and places it as Authorization: Bearer', async () => {
    const expected = await harness.toolset.getExpectedParamsForUser({ app: 'gmail', authScheme: 'BEARER_TOKEN' });
    expect(expected).toEqual({
      authScheme: 'BEARER_TOKEN',
      expectedParams: [
        expect.objectContaining({
          name: 'token',
          displayName: 'Access token',
          required: true,
          secret: true,
          suppliedBy: 'user',
          description: expect.stringContaining('gmail.modify'),
        }),
      ],
    });
    await harness.toolset.initiateConnection({
      app: 'gmail',
      authMode: 'BEARER_TOKEN',
      entityId: 'u',
      connectedAccountParams: { token: USER_TOKEN },
    });
    const result = await harness.toolset.executeAction('GMAIL_GET_PROFILE', {}, { entityId: 'u' });
    expect(result.successful).toBe(true);
    expect(harness.api.requests[0]?.headers['authorization']).toBe(`Bearer ${USER_TOKEN}`);
  });

  it('refuses a connection without the token', async () => {
    await expect(
      harness.toolset.initiateConnection({ app: 'gmail', authMode: 'BEARER_TOKEN', connectedAccountParams: {} }),
    ).rejects.toMatchObject({ code: 'INVALID_CONNECTION_PARAMS' });
  });

  it('answers 401 "Login Required" when no credential reaches Gmail', async () => {
    const result = await harness.toolset.executeAction('GMAIL_GET_PROFILE', {}, { auth: { parameters: [] } });
    expect(result.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 401 });
    expect(
      (result.error!.details as { body: { error: { errors: Array<{ reason: string }> } } }).body.error.errors[0]
        ?.reason,
    ).toBe('required');
  });
});

describe('auth schemes as declared', () => {
  it('declares OAUTH2 (preferred) and BEARER_TOKEN with Google endpoints and developer fields', () => {
    const oauth = harness.toolset.getAuthSchemeForApp('gmail');
    expect(oauth).toMatchObject({
      mode: 'OAUTH2',
      oauth2: {
        authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        defaultScopes: [...GMAIL_DEFAULT_SCOPES],
        scopeSeparator: ' ',
        pkce: true,
        clientAuthMethod: 'client_secret_post',
        authorizationParams: { access_type: 'offline', prompt: 'consent' },
        grantTypes: ['authorization_code', 'refresh_token'],
      },
    });
    expect(oauth.fields.map((entry) => [entry.name, entry.suppliedBy, entry.secret])).toEqual([
      ['client_id', 'developer', false],
      ['client_secret', 'developer', true],
      ['scopes', 'developer', false],
    ]);
    expect(harness.toolset.listApps()).toEqual([
      expect.objectContaining({ id: 'gmail', authModes: ['OAUTH2', 'BEARER_TOKEN'], actionCount: 82 }),
    ]);
  });
});
