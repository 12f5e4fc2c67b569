// Shopify signs its OAuth redirect: `hmac` is the hex HMAC-SHA256, keyed with the app's client
// secret, of every other query parameter (`signature` excluded), sorted by name and
// form-encoded as `name=value` pairs joined by `&`.
// See https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant

/** A shop's own host, as Shopify's security checks require it: `{shop}.myshopify.com`. */
export const SHOP_HOSTNAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const UNSIGNED = new Set(['hmac', 'signature']);

/**
 * The message Shopify signs: the parameters other than `hmac` and `signature`, sorted by name,
 * form-encoded (spaces as `%20`); a repeated name has its values joined with `,`.
 */
export function signableQuery(params: URLSearchParams): string {
  const values = new Map<string, string>();
  for (const [name, value] of params) {
    if (UNSIGNED.has(name)) continue;
    const previous = values.get(name);
    values.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  const sorted = new URLSearchParams();
  for (const name of [...values.keys()].sort()) sorted.append(name, values.get(name) as string);
  return sorted.toString().replace(/\+/g, '%20');
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++)
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

/** Compares every byte whatever the first difference, so the time taken tells nothing. */
function constantTimeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index++) difference |= (left[index] as number) ^ (right[index] as number);
  return difference === 0;
}

/**
 * Checks the callback Shopify redirects to after the merchant approves the app: one well-formed
 * `hmac` that matches the other parameters under the client secret, and a `shop` that is a
 * `*.myshopify.com` host. Anything else fails the connection before the code is exchanged.
 * Runs on any runtime with Web Crypto.
 */
export async function verifyShopifyCallback(
  params: URLSearchParams,
  context: { clientSecret?: string | undefined; userValues?: Readonly<Record<string, string>> | undefined },
): Promise<boolean> {
  const secret = context.clientSecret;
  if (typeof secret !== 'string' || secret === '') return false;
  const received = params.getAll('hmac');
  if (received.length !== 1 || !HEX_SHA256.test(received[0] as string)) return false;
  const shops = params.getAll('shop');
  if (shops.length !== 1 || !SHOP_HOSTNAME.test(shops[0] as string)) return false;
  // The callback must come back for the shop the merchant started connecting.
  const expectedShop = context.userValues?.['shop'];
  if (
    expectedShop !== undefined &&
    (shops[0] as string).toLowerCase() !== `${expectedShop.toLowerCase()}.myshopify.com`
  )
    return false;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signableQuery(params))));
  return constantTimeEqual(expected, hexToBytes(received[0] as string));
}
