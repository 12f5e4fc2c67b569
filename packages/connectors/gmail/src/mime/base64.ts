// Base64 helpers built on btoa/atob and TextEncoder/TextDecoder only, so they run on any runtime
// with the Web platform globals (Node.js 20, Deno, Bun, workers): no Buffer.

const encoder = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Standard base64 (RFC 4648 section 4) with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked, so a large body does not overflow the argument list of String.fromCharCode.
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

/** base64url (RFC 4648 section 5) without padding: the form Gmail's `raw` field takes. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64_ANY = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Decodes base64 or base64url, with or without padding (Gmail's `body.data` is base64url; some
 * tools pad it, some do not). Returns undefined for text that is not base64 at all.
 */
export function base64ToBytes(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64_ANY.test(compact)) return undefined;
  const standard = compact.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return undefined;
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Base64 broken into lines of at most 76 characters joined by CRLF (RFC 2045 section 6.8). */
export function base64Lines(bytes: Uint8Array): string {
  const encoded = bytesToBase64(bytes);
  const lines: string[] = [];
  for (let offset = 0; offset < encoded.length; offset += 76) lines.push(encoded.slice(offset, offset + 76));
  return lines.join('\r\n');
}
