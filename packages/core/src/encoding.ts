/** Standard base64 of raw bytes, with Web APIs only (no Buffer), for any runtime with `btoa`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** base64url without padding (RFC 4648 section 5), as PKCE and JWTs use it. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** UTF-8 text as standard base64: HTTP Basic credentials (RFC 7617) and the like. */
export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

// One DNS label (RFC 1123): letters, digits and inner hyphens, at most 63 characters.
const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Whether a value can stand as one label of a host name (a subdomain such as a shop name). */
export function isDnsLabel(value: string): boolean {
  return DNS_LABEL.test(value);
}
