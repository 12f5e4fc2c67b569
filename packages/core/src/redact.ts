export const REDACTED = '[REDACTED]';

// Query and body keys that carry credentials on common APIs, redacted even when we do not know
// the value (an upstream error body may echo back a token we never saw).
const SENSITIVE_KEY = /^(access_token|refresh_token|id_token|token|client_secret|api_key|apikey|key|password|secret|code_verifier|oauth_signature|oauth_token_secret|authorization|x-api-key|private_key|assertion|client_assertion)$/i;

// Values shorter than this are not searched for in free text: redacting every "1" in a message
// would make it unreadable and protects nothing.
const MIN_SECRET_LENGTH = 4;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

export interface Redactor {
  /** Replaces every known secret (and its common encodings) in a string. */
  text(input: string): string;
  /** Deep-copies a JSON-like value, redacting known secrets and sensitive keys. */
  value<T>(input: T): T;
  /** A URL with known secrets and sensitive query parameters redacted. */
  url(input: string | URL): string;
}

/**
 * Builds a redactor for the secrets of one request. Each secret is also searched for in the
 * percent-encoded and base64 forms it takes on the wire (query strings, Basic auth).
 */
export function createRedactor(secrets: Iterable<string | undefined>): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);

  const text = (input: string): string => {
    let output = input;
    for (const needle of ordered) {
      if (output.includes(needle)) output = output.split(needle).join(REDACTED);
    }
    return output;
  };

  const value = <T>(input: T): T => redactValue(input, text, new WeakSet()) as T;

  const url = (input: string | URL): string => {
    let parsed: URL;
    try {
      parsed = new URL(String(input));
    } catch {
      return text(String(input));
    }
    if (parsed.username) parsed.username = REDACTED;
    if (parsed.password) parsed.password = REDACTED;
    for (const key of [...parsed.searchParams.keys()]) {
      if (isSensitiveKey(key)) parsed.searchParams.set(key, REDACTED);
    }
    return text(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
  };

  return { text, value, url };
}

function redactValue(input: unknown, text: (value: string) => string, seen: WeakSet<object>): unknown {
  if (typeof input === 'string') return text(input);
  if (typeof input !== 'object' || input === null) return input;
  if (seen.has(input)) return '[Circular]';
  seen.add(input);
  if (Array.isArray(input)) return input.map((item) => redactValue(item, text, seen));
  const output: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(input)) {
    output[key] = isSensitiveKey(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redactValue(item, text, seen);
  }
  return output;
}

/** Header names whose values are always credentials. */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|x-shopify-access-token)$/i;

export function redactHeaders(headers: Headers | Record<string, string>, redactor: Redactor): Record<string, string> {
  const output: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, headerValue] of entries) {
    output[name] = SENSITIVE_HEADER.test(name) ? REDACTED : redactor.text(headerValue);
  }
  return output;
}
