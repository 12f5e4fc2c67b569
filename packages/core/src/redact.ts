export const REDACTED = '[REDACTED]';

// Query and body keys that carry credentials on common APIs, redacted even when we do not know
// the value (an upstream error body may echo back a token we never saw).
const SENSITIVE_KEY =
  /^(access_token|refresh_token|id_token|token|client_secret|api_key|apikey|key|password|secret|code_verifier|oauth_signature|oauth_token_secret|authorization|x-api-key|private_key|assertion|client_assertion)$/i;

// Values shorter than this are not searched for in free text: redacting every "1" in a message
// would make it unreadable and protects nothing.
const MIN_SECRET_LENGTH = 4;

// An Authorization-style value, `<scheme> <credentials>`: the credentials part (a Basic base64, a
// token) is also searched for on its own, since an API may echo it without the scheme.
const SCHEME_AND_CREDENTIALS = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]* +(\S.*)$/s;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** Removes the secrets of one call from text, values and URLs. */
export interface Redactor {
  /** Replaces every known secret (and its common encodings) in a string. */
  text(input: string): string;
  /** Deep-copies a JSON-like value, redacting known secrets and sensitive keys. */
  value<T>(input: T): T;
  /** A URL with known secrets and sensitive query parameters redacted. */
  url(input: string | URL): string;
  /** Learns more secrets (a refreshed token) for everything redacted from now on. */
  add(secrets: Iterable<string | undefined>): void;
}

/**
 * Builds a redactor for the secrets of one request. Each secret is also searched for in the
 * percent-encoded, form-encoded and JSON-escaped forms it takes on the wire (paths, query strings,
 * bodies), and an Authorization value's credentials part (the base64 of Basic auth) on its own.
 */
export function createRedactor(secrets: Iterable<string | undefined>): Redactor {
  const needles = new Set<string>();
  const addSecret = (secret: string) => {
    if (secret.length < MIN_SECRET_LENGTH) return;
    needles.add(secret);
    // encodeURIComponent throws on a lone surrogate; such a value has no percent-encoded form to find.
    if (!/\p{Cs}/u.test(secret)) needles.add(encodeURIComponent(secret));
    needles.add(new URLSearchParams({ s: secret }).toString().slice(2));
    // Inside JSON text (a request body echoed in a plain-text error), quotes and backslashes are escaped.
    needles.add(JSON.stringify(secret).slice(1, -1));
  };
  // Every call builds a redactor, but only failures use one: the needles (encodings, sort) are
  // computed on first use, so a successful call pays nothing for them.
  const pending: Array<string | undefined> = [];
  let ordered: string[] | undefined;
  const add = (more: Iterable<string | undefined>) => {
    pending.push(...more);
    ordered = undefined;
  };
  const needlesInOrder = (): string[] => {
    if (ordered) return ordered;
    for (const secret of pending.splice(0)) {
      if (typeof secret !== 'string') continue;
      addSecret(secret);
      const credentials = SCHEME_AND_CREDENTIALS.exec(secret)?.[1];
      if (credentials !== undefined) addSecret(credentials);
    }
    // Longest first, so a secret that contains another is replaced whole.
    ordered = [...needles].sort((a, b) => b.length - a.length);
    return ordered;
  };
  add(secrets);

  const text = (input: string): string => {
    let output = input;
    for (const needle of needlesInOrder()) {
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
    // Implicit-flow redirects carry tokens in the fragment (#access_token=...).
    if (parsed.hash.length > 1) {
      const fragment = new URLSearchParams(parsed.hash.slice(1));
      for (const key of [...fragment.keys()]) if (isSensitiveKey(key)) fragment.set(key, REDACTED);
      parsed.hash = fragment.toString();
    }
    return text(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
  };

  return { text, value, url, add };
}

function redactValue(input: unknown, text: (value: string) => string, seen: WeakSet<object>): unknown {
  if (typeof input === 'string') return text(input);
  if (typeof input !== 'object' || input === null) return input;
  // `seen` holds the ancestors of the current value only, so an object referenced twice is copied twice.
  if (seen.has(input)) return '[Circular]';
  seen.add(input);
  let output: unknown;
  if (Array.isArray(input)) {
    output = input.map((item) => redactValue(item, text, seen));
  } else {
    const record: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input)) {
      // Keys are redacted too: an API may echo a token back as a key. defineProperty keeps "__proto__" a plain key.
      const value =
        isSensitiveKey(key) && item !== null && item !== undefined && item !== ''
          ? REDACTED
          : redactValue(item, text, seen);
      Object.defineProperty(record, text(key), { value, enumerable: true, writable: true, configurable: true });
    }
    output = record;
  }
  seen.delete(input);
  return output;
}

/** Header names whose values are always credentials. */
const SENSITIVE_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-auth-token|x-shopify-access-token)$/i;

export function redactHeaders(headers: Headers | Record<string, string>, redactor: Redactor): Record<string, string> {
  const output: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, headerValue] of entries) {
    output[name] = SENSITIVE_HEADER.test(name) ? REDACTED : redactor.text(headerValue);
  }
  return output;
}
