import { createToolset } from '@plugboard/core';
import { startRecordingServer, type Reply } from '@plugboard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { githubRateLimit } from './github-rate-limit.js';
import { githubConnector } from './index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const answer = (status: number, headers: Record<string, string>, body: unknown = {}) => ({
  status,
  headers: new Headers(headers),
  body,
});

// The answers GitHub documents for its primary and secondary rate limits.
const primary = (resetInSeconds: number): Reply => ({
  status: 403,
  headers: {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-used': '5000',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
    'x-ratelimit-resource': 'core',
  },
  json: {
    message: 'API rate limit exceeded for user ID 1.',
    documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  },
});
const secondary = (retryAfterSeconds: number, status = 403): Reply => ({
  status,
  headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4000' },
  json: {
    message:
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
    documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  },
});

describe('githubRateLimit', () => {
  it('reads the primary limit from x-ratelimit-remaining and x-ratelimit-reset', () => {
    const reset = String(NOW / 1000 + 90);
    expect(githubRateLimit(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), NOW)).toEqual({
      retryAfterMs: 90_000,
      kind: 'primary',
    });
    expect(githubRateLimit(answer(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), NOW)).toEqual({
      retryAfterMs: 90_000,
      kind: 'primary',
    });
  });

  it('reads a secondary limit from retry-after, or from the message (a minute, or until the reset)', () => {
    expect(githubRateLimit(answer(403, { 'retry-after': '30' }), NOW)).toEqual({
      retryAfterMs: 30_000,
      kind: 'secondary',
    });
    const message = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' };
    expect(githubRateLimit(answer(403, {}, message), NOW)).toEqual({ retryAfterMs: 60_000, kind: 'secondary' });
    const reset = String(NOW / 1000 + 10);
    expect(
      githubRateLimit(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, message), NOW),
    ).toEqual({ retryAfterMs: 10_000, kind: 'secondary' });
  });

  it('leaves other 403s and statuses alone', () => {
    expect(
      githubRateLimit(answer(403, { 'x-ratelimit-remaining': '4999' }, { message: 'Resource not accessible' }), NOW),
    ).toBe(undefined);
    expect(githubRateLimit(answer(404, { 'x-ratelimit-remaining': '0' }), NOW)).toBe(undefined);
    expect(githubRateLimit(answer(500, { 'retry-after': '1' }), NOW)).toBe(undefined);
  });
});

describe('rate-limited actions', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  async function setup(replies: Reply[], maxRetryAfterMs = 60_000) {
    const server = await startRecordingServer({ 'GET /user': replies, 'POST /repos/{owner}/{repo}/issues': replies });
    close = server.close;
    const toolset = createToolset({
      connectors: [githubConnector({ baseUrl: server.url, webUrl: server.url })],
      http: { maxRetryAfterMs },
    });
    const auth = { auth: { parameters: [{ name: 'Authorization', in: 'header' as const, value: 'Bearer ghp_rate' }] } };
    return { server, toolset, auth };
  }

  it('primary limit: RATE_LIMITED with retryAfterMs when the reset is further than maxRetryAfterMs', async () => {
    const { server, toolset, auth } = await setup([primary(3600), { json: { login: 'octocat' } }]);
    const result = await toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {}, auth);
    expect(result.error).toMatchObject({ code: 'RATE_LIMITED', status: 403, retryable: true });
    const retryAfterMs = ((result.error?.details ?? {}) as { retryAfterMs?: number }).retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(3_590_000);
    expect(retryAfterMs).toBeLessThanOrEqual(3_600_000);
    expect(result.error?.details).toMatchObject({ kind: 'primary' });
    expect(server.requests).toHaveLength(1);
  });

  it('secondary limit: a GET waits the retry-after it was given, then succeeds', async () => {
    const { server, toolset, auth } = await setup([secondary(0), { json: { login: 'octocat' } }]);
    const result = await toolset.executeAction('GITHUB_GET_THE_AUTHENTICATED_USER', {}, auth);
    expect(result).toEqual({ successful: true, data: { login: 'octocat' }, error: null });
    expect(server.requests).toHaveLength(2);
  });

  it('secondary limit: a POST answered 403 is not repeated (GitHub may count it), it is RATE_LIMITED', async () => {
    const { server, toolset, auth } = await setup([secondary(0), { status: 201, json: { number: 1 } }]);
    const result = await toolset.executeAction('GITHUB_CREATE_ISSUE', { owner: 'o', repo: 'r', title: 'Hi' }, auth);
    expect(result.error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 0, kind: 'secondary' } });
    expect(server.requests).toHaveLength(1);
  });

  it('secondary limit: a POST answered 429 with retry-after is repeated, as core does for any 429', async () => {
    const { server, toolset, auth } = await setup([secondary(0, 429), { status: 201, json: { number: 1 } }]);
    const result = await toolset.executeAction('GITHUB_CREATE_ISSUE', { owner: 'o', repo: 'r', title: 'Hi' }, auth);
    expect(result).toMatchObject({ successful: true, data: { number: 1 } });
    expect(server.requests).toHaveLength(2);
  });
});
