import { PlugboardError } from '../../errors.js';
import type { SignedAssertionSettings } from './settings.js';

/** A DER length: short form below 128, else the long form. */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

// AlgorithmIdentifier { rsaEncryption, NULL } and version 0, the fixed part of an RSA PKCS#8 key.
const RSA_ALGORITHM = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
const VERSION_0 = [0x02, 0x01, 0x00];

/**
 * A PKCS#8 PEM for the key, wrapping a PKCS#1 "RSA PRIVATE KEY" (what GitHub hands out) in the
 * PrivateKeyInfo structure of RFC 5208, so WebCrypto and jose can import it.
 * @see https://www.rfc-editor.org/rfc/rfc5208#section-5
 */
export function toPkcs8Pem(pem: string): string {
  const trimmed = pem.trim().replace(/\\n/g, '\n');
  if (/-----BEGIN PRIVATE KEY-----/.test(trimmed)) return trimmed;
  const match = /-----BEGIN RSA PRIVATE KEY-----([\s\S]+?)-----END RSA PRIVATE KEY-----/.exec(trimmed);
  if (!match)
    throw new PlugboardError(
      'INVALID_AUTH_CONFIG',
      'The private key is not a PEM "PRIVATE KEY" or "RSA PRIVATE KEY"; paste the whole .pem file.',
    );
  const pkcs1 = [...atob((match[1] as string).replace(/\s+/g, ''))].map((character) => character.charCodeAt(0));
  const octetString = [0x04, ...derLength(pkcs1.length), ...pkcs1];
  const body = [...VERSION_0, ...RSA_ALGORITHM, ...octetString];
  const der = [0x30, ...derLength(body.length), ...body];
  const base64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN PRIVATE KEY-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----`;
}

export interface SignedAssertion {
  jwt: string;
  /** `exp`, as an ISO 8601 time. */
  expiresAt: string;
}

/** Signs the assertion: `iss` from the integration, `iat` backdated, `exp` = `iat` + lifetime. */
export async function signAssertion(
  settings: SignedAssertionSettings,
  values: { issuer: string; privateKey: string },
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<SignedAssertion> {
  // Loaded on first use: only SIGNED_ASSERTION connections need it.
  const { SignJWT, importPKCS8 } = await import('jose');
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(toPkcs8Pem(values.privateKey), settings.algorithm);
  } catch (error) {
    if (PlugboardError.isInstance(error)) throw error;
    throw new PlugboardError('INVALID_AUTH_CONFIG', 'The private key cannot be read as an RSA private key.');
  }
  const issuedAt = nowSeconds - settings.backdateSeconds;
  const expiresAt = issuedAt + settings.lifetimeSeconds;
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: settings.algorithm, typ: 'JWT' })
    .setIssuer(values.issuer)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key);
  return { jwt, expiresAt: new Date(expiresAt * 1000).toISOString() };
}
