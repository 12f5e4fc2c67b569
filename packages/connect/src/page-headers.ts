/**
 * The headers of every page: no script at all, styles from this origin only, forms posted only
 * here (and to the OAuth provider the page may redirect a form to), never framed, never cached,
 * no referrer (the link's token must not leak to a provider or a logo host).
 */
export function pageHeaders(options: { formTargets?: readonly string[] } = {}): Record<string, string> {
  const formAction = ["'self'", ...(options.formTargets ?? [])].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self' data:",
      `form-action ${formAction}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
  };
}
