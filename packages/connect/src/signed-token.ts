import { PlugboardError } from '@plugboard/core';

// A compact signed token, `<base64url JSON>.<base64url HMAC-SHA256>`: what links and session
// cookies carry. Web Crypto only, so the handler runs wherever `Request` and `Response` do.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Below this a guessed or brute-forced key would forge links; 32 bytes is the HMAC-SHA256 block of entropy.
const MIN_SECRET_LENGTH = 32;

/** The HMAC key of a secret, checked once. */
export type SigningKey = Promise<CryptoKey>;

export function signingKey(secret: string): SigningKey {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new PlugboardError(
      'INVALID_PARAMS',
      `The connect secret must be a string of at least ${MIN_SECRET_LENGTH} characters (random, kept out of the code): ` +
        'generate one with `node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))"`.',
    );
  }
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

export async function signToken(key: SigningKey, purpose: string, payload: object): Promise<string> {
  const body = base64Url(encoder.encode(JSON.stringify(payload)));
  const signature = await crypto.subtle.sign('HMAC', await key, encoder.encode(`${purpose}.${body}`));
  return `${body}.${base64Url(new Uint8Array(signature))}`;
}

/**
 * The payload of a token this key signed for this purpose, or `undefined` for anything else (a
 * forged, truncated or foreign token). The purpose is signed too, so a session cookie is never
 * accepted as a link.
 */
export async function verifyToken(key: SigningKey, purpose: string, token: string): Promise<unknown> {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return undefined;
  const signatureBytes = fromBase64Url(signature);
  if (!signatureBytes) return undefined;
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify('HMAC', await key, signatureBytes, encoder.encode(`${purpose}.${body}`));
  if (!valid) return undefined;
  const bytes = fromBase64Url(body);
  if (!bytes) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

/** An HMAC of a value under the key, base64url: CSRF tokens. */
export async function macOf(key: SigningKey, purpose: string, value: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(`${purpose}.${value}`))));
}

/** Compares two strings without leaking where they differ. */
export function sameText(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let difference = left.length ^ right.length;
  for (let index = 0; index < left.length; index++)
    difference |= (left[index] ?? 0) ^ (right[index % right.length] ?? 0);
  return difference === 0;
}

export function randomId(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return undefined;
  }
}
