import { PlugboardError } from '@plugboard/core';
import { base64UrlToBytes, bytesToBase64Url } from './base64url.js';

/** Bytes in an AES-256 key. */
export const SECRET_KEY_BYTES = 32;

/** One AES-256 key and its public identifier. */
export interface SecretKey {
  /**
   * Names the key in every value it sealed, so a store can tell which key to open it with and
   * which values still need re-encrypting after a rotation. Derived from the key by SHA-256;
   * it reveals nothing usable about the key.
   */
  id: string;
  /** The raw key; never logged. */
  bytes: Uint8Array<ArrayBuffer>;
}

/** The key new secrets are sealed with, and older keys that may still open stored ones. */
export interface Keyring {
  current: SecretKey;
  /** Older keys, kept while a rotation is under way or unfinished. */
  previous: readonly SecretKey[];
}

/** A new random key in its text form (base64url, 43 characters): what `PLUGBOARD_SECRET_KEY` holds. */
export function generateSecretKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_KEY_BYTES));
  return bytesToBase64Url(bytes);
}

/**
 * Reads a key in its text form: 32 bytes as base64url or standard base64 (with or without
 * padding), or as 64 hex digits. The message names what was wrong, never the value.
 */
export async function parseSecretKey(text: string, source = 'secret key'): Promise<SecretKey> {
  const trimmed = text.trim();
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    bytes = new Uint8Array(SECRET_KEY_BYTES);
    for (let index = 0; index < SECRET_KEY_BYTES; index += 1)
      bytes[index] = Number.parseInt(trimmed.slice(index * 2, index * 2 + 2), 16);
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    bytes = base64UrlToBytes(trimmed);
  }
  if (bytes?.length !== SECRET_KEY_BYTES) {
    throw new PlugboardError(
      'SECRET_KEY_INVALID',
      `The ${source} is not a 256-bit key: expected 32 bytes as base64url (43 characters) or 64 hex digits. Generate one with \`plugboard keys generate\` or generateSecretKey().`,
    );
  }
  return { id: await keyIdOf(bytes), bytes };
}

/** Builds a keyring from key texts: the first opens and seals, the rest only open. */
export async function createKeyring(current: string, previous: readonly string[] = []): Promise<Keyring> {
  const currentKey = await parseSecretKey(current, 'current secret key');
  const previousKeys: SecretKey[] = [];
  for (const [index, text] of previous.entries()) {
    const key = await parseSecretKey(text, `previous secret key #${index + 1}`);
    if (key.id !== currentKey.id && !previousKeys.some((known) => known.id === key.id)) previousKeys.push(key);
  }
  return { current: currentKey, previous: previousKeys };
}

const KEY_ID_CONTEXT = new TextEncoder().encode('plugboard key id v1\0');

// The first 9 bytes of SHA-256(context || key): 12 characters, enough to tell keys apart, and a
// one-way function of the key, so printing it in an error is harmless.
async function keyIdOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const input = new Uint8Array(KEY_ID_CONTEXT.length + bytes.length);
  input.set(KEY_ID_CONTEXT);
  input.set(bytes, KEY_ID_CONTEXT.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  return bytesToBase64Url(digest.subarray(0, 9));
}
