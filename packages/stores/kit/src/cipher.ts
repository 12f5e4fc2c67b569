import { PlugboardError } from '@plugboard/core';
import { base64UrlToBytes, bytesToBase64Url } from './base64url.js';
import type { Keyring, SecretKey } from './keyring.js';

const FORMAT = 'pb1';
const IV_BYTES = 12;
// Opened values remembered per cipher (see `open`); each is a few hundred bytes.
const OPENED_CACHE_ENTRIES = 1_000;

/**
 * Seals and opens secrets with AES-256-GCM (Web Crypto).
 *
 * A sealed value is text: `pb1.<key id>.<iv>.<ciphertext and tag>`, base64url parts. Every seal
 * takes a context (`connection:<id>:credentials`) that is authenticated but not stored, so a
 * sealed value copied onto another record or field fails to open instead of being accepted.
 */
export interface SecretCipher {
  /** The id of the key new values are sealed with. */
  readonly currentKeyId: string;
  seal(plaintext: string, context: string): Promise<string>;
  /** Fails with `SECRET_KEY_INVALID` when no configured key opens the value. */
  open(sealed: string, context: string): Promise<string>;
  sealJson(value: unknown, context: string): Promise<string>;
  openJson<T>(sealed: string, context: string): Promise<T>;
  /** Whether a sealed value was sealed with an older key (and a rotation should re-seal it). */
  isStale(sealed: string): boolean;
  /** The key id a sealed value names, or `undefined` when it is not a sealed value. */
  keyIdOf(sealed: string): string | undefined;
}

export function createSecretCipher(keyring: Keyring): SecretCipher {
  const keysById = new Map<string, SecretKey>([
    [keyring.current.id, keyring.current],
    ...keyring.previous.map((key) => [key.id, key] as const),
  ]);
  // importKey is the slow half of a seal; each key is imported once per cipher.
  const imported = new Map<string, Promise<CryptoKey>>();
  const cryptoKeyOf = (key: SecretKey): Promise<CryptoKey> => {
    let promise = imported.get(key.id);
    if (promise === undefined) {
      promise = crypto.subtle.importKey('raw', key.bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
      imported.set(key.id, promise);
    }
    return promise;
  };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });

  const seal = async (plaintext: string, context: string): Promise<string> => {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
      await cryptoKeyOf(keyring.current),
      encoder.encode(plaintext),
    );
    return `${FORMAT}.${keyring.current.id}.${bytesToBase64Url(iv)}.${bytesToBase64Url(new Uint8Array(ciphertext))}`;
  };

  // What was opened, by sealed value and context: a value is sealed once (with a random IV) and
  // never changes, so a store that reads the same connection on every execution decrypts it once.
  // Web Crypto's AES-GCM is an asynchronous job per call, a large share of a small execution's CPU.
  // The plaintexts held are the ones this process decrypts anyway, and the key that opens every
  // sealed value is in the same memory; a bounded map keeps the oldest from piling up.
  const opened = new Map<string, string>();
  const open = async (sealed: string, context: string): Promise<string> => {
    const cacheKey = `${context}\n${sealed}`;
    const cached = opened.get(cacheKey);
    if (cached !== undefined) return cached;
    const plaintext = await decrypt(sealed, context);
    if (opened.size >= OPENED_CACHE_ENTRIES) opened.delete(opened.keys().next().value as string);
    opened.set(cacheKey, plaintext);
    return plaintext;
  };

  const decrypt = async (sealed: string, context: string): Promise<string> => {
    const parts = sealed.split('.');
    const [format, keyId, ivText, ciphertextText] = parts;
    const iv = ivText === undefined ? undefined : base64UrlToBytes(ivText);
    const ciphertext = ciphertextText === undefined ? undefined : base64UrlToBytes(ciphertextText);
    if (
      parts.length !== 4 ||
      format !== FORMAT ||
      keyId === undefined ||
      iv?.length !== IV_BYTES ||
      ciphertext === undefined
    ) {
      throw new PlugboardError(
        'SECRET_KEY_INVALID',
        `The stored secret for ${context} is not a sealed value; the store may be damaged.`,
      );
    }
    const key = keysById.get(keyId);
    if (key === undefined) {
      throw new PlugboardError(
        'SECRET_KEY_INVALID',
        `The stored secret for ${context} was encrypted with key ${keyId}, which is not among the configured keys (current: ${keyring.current.id}). Set PLUGBOARD_SECRET_KEY to the key the store was written with, or list that key among the previous keys.`,
        { details: { keyId, configuredKeyIds: [...keysById.keys()] } },
      );
    }
    let plaintext: ArrayBuffer;
    try {
      plaintext = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
        await cryptoKeyOf(key),
        ciphertext,
      );
    } catch {
      throw new PlugboardError(
        'SECRET_KEY_INVALID',
        `The stored secret for ${context} failed authentication with key ${keyId}: it was changed or moved to another record after it was written.`,
      );
    }
    return decoder.decode(plaintext);
  };

  return {
    currentKeyId: keyring.current.id,
    seal,
    open,
    sealJson: (value, context) => seal(JSON.stringify(value), context),
    openJson: async <T>(sealed: string, context: string) => JSON.parse(await open(sealed, context)) as T,
    isStale: (sealed) => {
      const keyId = keyIdFromSealed(sealed);
      return keyId !== undefined && keyId !== keyring.current.id;
    },
    keyIdOf: keyIdFromSealed,
  };
}

function keyIdFromSealed(sealed: string): string | undefined {
  const parts = sealed.split('.');
  return parts.length === 4 && parts[0] === FORMAT ? parts[1] : undefined;
}
