import { createCipheriv, createDecipheriv } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { errorOf } from '@plugboard/fakes';
import type { PlugboardError } from '@plugboard/core';
import { createKeyring, createSecretCipher, generateSecretKey, parseSecretKey } from '../src/index.js';
import { base64UrlToBytes } from '../src/base64url.js';

describe('secret keys', () => {
  it('generates 256-bit keys as 43 base64url characters, different every time', async () => {
    const first = generateSecretKey();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateSecretKey()).not.toBe(first);
    expect((await parseSecretKey(first)).bytes).toHaveLength(32);
  });

  it('reads the same key from base64url, padded standard base64 and hex, with the same id', async () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, index) => (index * 37 + 251) % 256));
    const forms = [
      bytes.toString('base64url'),
      bytes.toString('base64'),
      bytes.toString('hex'),
      ` ${bytes.toString('hex').toUpperCase()}\n`,
    ];
    const ids = new Set<string>();
    for (const form of forms) {
      const key = await parseSecretKey(form);
      expect(Buffer.from(key.bytes).equals(bytes)).toBe(true);
      ids.add(key.id);
    }
    expect(ids.size).toBe(1);
    const id = [...ids][0]!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    // The id is not a piece of the key.
    expect(bytes.toString('base64url')).not.toContain(id);
  });

  it('refuses keys of the wrong size or alphabet without echoing them', async () => {
    for (const bad of [
      '',
      'short',
      Buffer.alloc(16, 7).toString('base64url'),
      Buffer.alloc(33, 7).toString('base64url'),
      'é'.repeat(43),
      'a'.repeat(63),
    ]) {
      const error = await errorOf<PlugboardError>(parseSecretKey(bad, 'PLUGBOARD_SECRET_KEY'));
      expect(error.code).toBe('SECRET_KEY_INVALID');
      expect(error.message).toContain('PLUGBOARD_SECRET_KEY');
      if (bad.length > 4) expect(error.message).not.toContain(bad);
    }
  });

  it('keeps one copy of a previous key that repeats or equals the current one', async () => {
    const current = generateSecretKey();
    const old = generateSecretKey();
    const keyring = await createKeyring(current, [old, current, old]);
    expect(keyring.previous.map((key) => key.id)).toEqual([(await parseSecretKey(old)).id]);
  });
});

describe('createSecretCipher', () => {
  it('round-trips text and JSON, and seals the same text differently every time', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const secret = 'gho_16C7e42F292c6912E7710c838347Ae178B4a ✓ ünïcode';
    const first = await cipher.seal(secret, 'connection:c1:credentials');
    const second = await cipher.seal(secret, 'connection:c1:credentials');
    expect(first).not.toBe(second);
    expect(first).not.toContain('gho_');
    expect(first.split('.')).toHaveLength(4);
    expect(first.startsWith(`pb1.${cipher.currentKeyId}.`)).toBe(true);
    expect(await cipher.open(first, 'connection:c1:credentials')).toBe(secret);
    const value = { access_token: 'a', refresh_token: 'r', nested: [1, null, true] };
    expect(await cipher.openJson(await cipher.sealJson(value, 'x'), 'x')).toEqual(value);
  });

  it('is standard AES-256-GCM: node:crypto opens what it seals and the reverse', async () => {
    const text = generateSecretKey();
    const key = await parseSecretKey(text);
    const cipher = createSecretCipher(await createKeyring(text));
    const sealed = await cipher.seal('hello', 'ctx');
    const [, , ivText, bodyText] = sealed.split('.');
    const iv = base64UrlToBytes(ivText!)!;
    const body = base64UrlToBytes(bodyText!)!;
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, iv);
    decipher.setAAD(Buffer.from('ctx'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    expect(Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString()).toBe(
      'hello',
    );

    const nodeIv = Buffer.alloc(12, 3);
    const encipher = createCipheriv('aes-256-gcm', key.bytes, nodeIv);
    encipher.setAAD(Buffer.from('ctx'));
    const encrypted = Buffer.concat([encipher.update('from node'), encipher.final(), encipher.getAuthTag()]);
    expect(
      await cipher.open(`pb1.${key.id}.${nodeIv.toString('base64url')}.${encrypted.toString('base64url')}`, 'ctx'),
    ).toBe('from node');
  });

  it('refuses a value moved to another record or field (the context is authenticated)', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const sealed = await cipher.seal('token-of-c1', 'connection:c1:credentials');
    const error = await errorOf<PlugboardError>(cipher.open(sealed, 'connection:c2:credentials'));
    expect(error.code).toBe('SECRET_KEY_INVALID');
    expect(error.message).toContain('connection:c2:credentials');
    expect(error.message).not.toContain('token-of-c1');
  });

  it('decrypts a value once per context, and still refuses it moved after it was opened', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const sealed = await cipher.seal('token-of-c1', 'connection:c1:credentials');
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    try {
      for (let read = 0; read < 3; read++)
        expect(await cipher.open(sealed, 'connection:c1:credentials')).toBe('token-of-c1');
      expect(decrypt).toHaveBeenCalledTimes(1);
      const moved = await errorOf<PlugboardError>(cipher.open(sealed, 'connection:c2:credentials'));
      expect(moved.code).toBe('SECRET_KEY_INVALID');
      // A failed open is not remembered: the same wrong context is checked, and refused, again.
      expect((await errorOf<PlugboardError>(cipher.open(sealed, 'connection:c2:credentials'))).code).toBe(
        'SECRET_KEY_INVALID',
      );
      expect(decrypt).toHaveBeenCalledTimes(3);
      // A changed sealed value is a different entry: it is decrypted, and fails authentication.
      const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await errorOf<PlugboardError>(cipher.open(tampered, 'connection:c1:credentials'))).code).toBe(
        'SECRET_KEY_INVALID',
      );
    } finally {
      decrypt.mockRestore();
    }
  });

  it('names both key ids when the value was sealed with a key it does not have, and never the keys', async () => {
    const writerKey = generateSecretKey();
    const readerKey = generateSecretKey();
    const writer = createSecretCipher(await createKeyring(writerKey));
    const reader = createSecretCipher(await createKeyring(readerKey));
    const sealed = await writer.seal('secret-value', 'ctx');
    const error = await errorOf<PlugboardError>(reader.open(sealed, 'ctx'));
    expect(error.code).toBe('SECRET_KEY_INVALID');
    expect(error.message).toContain(writer.currentKeyId);
    expect(error.message).toContain(reader.currentKeyId);
    expect(error.message).toContain('PLUGBOARD_SECRET_KEY');
    const everything = `${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
    for (const leaked of [writerKey, readerKey, 'secret-value']) expect(everything).not.toContain(leaked);
  });

  it('detects tampering of the ciphertext, the iv and the format', async () => {
    const cipher = createSecretCipher(await createKeyring(generateSecretKey()));
    const sealed = await cipher.seal('value', 'ctx');
    const parts = sealed.split('.');
    const flip = (text: string) =>
      text[5] === 'A' ? `${text.slice(0, 5)}B${text.slice(6)}` : `${text.slice(0, 5)}A${text.slice(6)}`;
    const tampered = [
      [parts[0], parts[1], parts[2], flip(parts[3]!)].join('.'),
      [parts[0], parts[1], flip(parts[2]!), parts[3]].join('.'),
      [parts[0], parts[1], parts[2]].join('.'),
      ['pb9', parts[1], parts[2], parts[3]].join('.'),
      'plain text that was never sealed',
    ];
    for (const value of tampered)
      expect((await errorOf<PlugboardError>(cipher.open(value, 'ctx'))).code).toBe('SECRET_KEY_INVALID');
  });

  it('opens values sealed with a previous key, seals with the current one and reports stale values', async () => {
    const oldKey = generateSecretKey();
    const newKey = generateSecretKey();
    const before = createSecretCipher(await createKeyring(oldKey));
    const sealedBefore = await before.seal('kept', 'ctx');
    const during = createSecretCipher(await createKeyring(newKey, [oldKey]));
    expect(await during.open(sealedBefore, 'ctx')).toBe('kept');
    expect(during.isStale(sealedBefore)).toBe(true);
    const sealedAfter = await during.seal('kept', 'ctx');
    expect(during.isStale(sealedAfter)).toBe(false);
    expect(during.keyIdOf(sealedAfter)).toBe(during.currentKeyId);
    expect(during.keyIdOf('not sealed')).toBeUndefined();
    // Once the old key is dropped, the old value no longer opens; the re-sealed one does.
    const after = createSecretCipher(await createKeyring(newKey));
    expect((await errorOf<PlugboardError>(after.open(sealedBefore, 'ctx'))).code).toBe('SECRET_KEY_INVALID');
    expect(await after.open(sealedAfter, 'ctx')).toBe('kept');
  });
});
