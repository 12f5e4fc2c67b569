import { afterEach, describe, expect, it } from 'vitest';
import { expectRequest, githubHeaders } from '../test/expect-request.js';
import { PAT, connectWithToken, startHarness, type GitHubHarness } from '../test/harness.js';

let harness: GitHubHarness;

afterEach(async () => {
  await harness?.close();
});

describe('BEARER_TOKEN (personal access token)', () => {
  it('asks the user for one secret token field', async () => {
    harness = await startHarness();
    const expected = await harness.toolset.getExpectedParamsForUser({ app: 'github', authScheme: 'BEARER_TOKEN' });
    expect(expected).toEqual({
      authScheme: 'BEARER_TOKEN',
      expectedParams: [
        expect.objectContaining({
          name: 'token',
          displayName: 'Personal access token',
          type: 'string',
          required: true,
          secret: true,
          suppliedBy: 'user',
          // Token shapes only as far as GitHub documents them: app JWTs have dots and hyphens.
          pattern: '[A-Za-z0-9_.\\-]+',
        }),
      ],
    });
  });

  it('sends the token as Authorization: Bearer on every request', async () => {
    harness = await startHarness();
    const connectionId = await connectWithToken(harness);
    expect((await harness.toolset.getConnection(connectionId)).status).toBe('ACTIVE');
    const result = await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {});
    expect(result.data).toMatchObject({ login: 'octocat' });
    expectRequest(harness.api.requests[0], { method: 'GET', url: '/user', headers: githubHeaders({}, PAT) });
  });

  it('refuses a token pasted with its "Bearer " prefix, storing nothing', async () => {
    harness = await startHarness();
    await expect(
      harness.toolset.initiateConnection({
        app: 'github',
        authMode: 'BEARER_TOKEN',
        connectedAccountParams: { token: `Bearer ${PAT}` },
      }),
    ).rejects.toMatchObject({
      code: 'INVALID_CONNECTION_PARAMS',
    });
    expect(await harness.toolset.listConnections({ app: 'github' })).toEqual([]);
  });

  it('works as custom auth per call, also against a GitHub Enterprise base URL', async () => {
    harness = await startHarness({ apiUrl: 'https://ghe.example.com/api/v3', webUrl: 'https://ghe.example.com' });
    const auth = {
      parameters: [{ in: 'header' as const, name: 'Authorization', value: `Bearer ${PAT}` }],
      baseUrl: 'https://ghe.example.com/api/v3',
    };
    const result = await harness.toolset.executeAction(
      'GITHUB_GET_A_REPOSITORY',
      { owner: 'octocat', repo: 'Hello-World' },
      { auth },
    );
    expect(result.data).toMatchObject({
      full_name: 'octocat/Hello-World',
      url: 'https://ghe.example.com/api/v3/repos/octocat/Hello-World',
    });
    expect(harness.sent.map(({ method, url }) => ({ method, url }))).toEqual([
      { method: 'GET', url: 'https://ghe.example.com/api/v3/repos/octocat/Hello-World' },
    ]);
  });

  it('keeps the token out of a 401 error', async () => {
    harness = await startHarness();
    await connectWithToken(harness, 'ghp_unknownTokenThatGitHubRefuses0000');
    const result = await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {});
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 401 } });
    expect(JSON.stringify(result)).not.toContain('ghp_unknownTokenThatGitHubRefuses0000');
  });
});

describe('OAUTH2 scheme', () => {
  it('asks the developer for client id, client secret and scopes, and the user for nothing', async () => {
    harness = await startHarness();
    const scheme = harness.toolset.getAuthSchemeForApp('github');
    expect(scheme.mode).toBe('OAUTH2');
    expect(scheme.fields.map((field) => [field.name, field.suppliedBy, field.secret])).toEqual([
      ['client_id', 'developer', false],
      ['client_secret', 'developer', true],
      ['scopes', 'developer', false],
    ]);
    expect(scheme.fields.find((field) => field.name === 'scopes')?.default).toEqual(['repo', 'read:user']);
    expect(
      (await harness.toolset.getExpectedParamsForUser({ app: 'github', authScheme: 'OAUTH2' })).expectedParams,
    ).toEqual([]);
  });
});

describe('API version', () => {
  it('sends another X-GitHub-Api-Version when the connector is made with one', async () => {
    harness = await startHarness({ connector: { apiVersion: '2026-03-10' } });
    await connectWithToken(harness);
    const result = await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {});
    expect(result.successful).toBe(true);
    expect(harness.api.requests[0]?.headers['x-github-api-version']).toBe('2026-03-10');
  });

  it("reports GitHub's 400 for a version it does not support", async () => {
    harness = await startHarness({ connector: { apiVersion: '2021-01-01' } });
    await connectWithToken(harness);
    const result = await harness.toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {});
    expect(result).toMatchObject({ successful: false, error: { code: 'UPSTREAM_ERROR', status: 400 } });
    expect(result.error?.message).toContain('"2021-01-01", is not a supported version');
  });
});
