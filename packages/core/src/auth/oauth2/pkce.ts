import { bytesToBase64Url } from '../../encoding.js';

/**
 * PKCE (RFC 7636). The verifier is 32 random bytes in base64url: 43 characters, the minimum
 * length and the full 256 bits of entropy the RFC recommends (section 7.1).
 */
export function createCodeVerifier(): string {
  return randomBase64Url(32);
}

/** `BASE64URL(SHA256(ASCII(code_verifier)))`, RFC 7636 section 4.2. */
export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return bytesToBase64Url(new Uint8Array(digest));
}

/** An unguessable value for OAuth `state` and nonces. */
export function randomBase64Url(byteLength: number): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(byteLength)));
}
