import { expect } from 'vitest';
import type { RecordedRequest } from './fake-github-api.js';
import { PAT, sentHeaders } from './harness.js';

/** The headers every request of the default connector sends, with the personal access token. */
export function githubHeaders(extra: Record<string, string> = {}, token = PAT): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'plugboard-github/0.0.0',
    authorization: `Bearer ${token}`,
    ...extra,
  };
}

/**
 * Asserts one recorded request exactly: method, path and query as received, the headers the
 * connector chose (transport headers aside), and the body (parsed when JSON).
 */
export function expectRequest(
  request: RecordedRequest | undefined,
  expected: { method: string; url: string; headers?: Record<string, string>; json?: unknown },
): void {
  expect(request, 'a request was recorded').toBeDefined();
  const actual = request as RecordedRequest;
  expect(`${actual.method} ${actual.url}`).toBe(`${expected.method} ${expected.url}`);
  const headers =
    expected.headers ?? githubHeaders(expected.json === undefined ? {} : { 'content-type': 'application/json' });
  expect(sentHeaders(actual)).toEqual(headers);
  if (expected.json === undefined) expect(actual.body).toBe('');
  else expect(JSON.parse(actual.body)).toEqual(expected.json);
}
