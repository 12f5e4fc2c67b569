/**
 * Why `value` is not an absolute http(s) URL fit to be a base URL (no `user:pass@`, query or
 * fragment), as a phrase that completes "The base URL ...", or `undefined` when it is one.
 * Every place that takes a base URL (connectors, custom auth, connector options) asks this one
 * question, so they all refuse the same URLs.
 *
 * @example
 * const problem = httpUrlProblem(options.baseUrl);
 * if (problem) throw new PlugboardError('INVALID_DEFINITION', `Invalid option: baseUrl ${problem}.`);
 */
export function httpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http or https';
  // Credentials in a URL end up in logs and Referer headers; they belong in an auth scheme.
  if (url.username || url.password) return 'cannot have credentials (user:password@)';
  if (url.search || url.hash) return 'cannot have a query or fragment';
  return undefined;
}
