import type { HttpRequestOptions } from '@plugboard/core';
import { base64Lines, base64ToBytes, bytesToBase64Url } from '../mime/base64.js';
import type { GeneratedActionOptions, GmailMethod } from './gmail-method.js';

/**
 * Google's front end refuses JSON request bodies of more than a few megabytes, while the upload
 * endpoint takes a message of up to 35 MB (`mediaUpload.maxSize` in the discovery document). A
 * message above this size goes through the upload endpoint.
 */
export const DEFAULT_UPLOAD_THRESHOLD_BYTES = 4 * 1024 * 1024;

/**
 * For a method that takes an RFC 822 message (messages.send, insert, import; drafts.create, update,
 * send) and whose `raw` message is over the threshold: the same request sent to
 * `/upload/gmail/v1/...?uploadType=multipart` as Google's multipart upload protocol describes, a
 * `multipart/related` body whose first part is the JSON metadata (the body without `raw`) and whose
 * second is the message itself (`message/rfc822`, base64 transfer encoding so that any bytes survive).
 * Undefined when the JSON request is fine.
 * @see https://developers.google.com/workspace/gmail/api/guides/uploads#multipart
 */
export function uploadRequest(
  method: GmailMethod,
  body: Record<string, unknown>,
  options: GeneratedActionOptions,
): (Omit<HttpRequestOptions, 'pathParams'> & { query: Record<string, string> }) | undefined {
  const upload = method.mediaUpload;
  if (!upload) return undefined;
  // drafts.* wrap the message: { id?, message: { raw, threadId } }.
  const holder = (typeof body['message'] === 'object' && body['message'] !== null ? body['message'] : body) as Record<
    string,
    unknown
  >;
  const raw = holder['raw'];
  if (typeof raw !== 'string') return undefined;
  const bytes = base64ToBytes(raw);
  if (bytes === undefined || bytes.length <= options.uploadThresholdBytes) return undefined;
  const { raw: _raw, ...rest } = holder;
  const metadata = holder === body ? rest : { ...body, message: rest };
  const boundary = `plugboard_${bytesToBase64Url(crypto.getRandomValues(new Uint8Array(12)))}`;
  const payload = [
    `--${boundary}`,
    'Content-Type: application/json; charset=UTF-8',
    '',
    JSON.stringify(metadata),
    `--${boundary}`,
    'Content-Type: message/rfc822',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(bytes),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return {
    method: method.httpMethod,
    path: uploadPath(options.baseUrl, upload.path),
    query: { uploadType: 'multipart' },
    body: payload,
    headers: { 'Content-Type': `multipart/related; boundary=${boundary}` },
  };
}

/**
 * The upload URL is the base URL's origin, `/upload`, then the base path (`/upload/gmail/v1/...`).
 * Requests are relative to the base URL, so the path climbs out of it with `..`, which URL
 * resolution removes.
 */
function uploadPath(baseUrl: string, path: string): string {
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const depth = basePath.split('/').filter(Boolean).length;
  return `${'../'.repeat(depth)}upload${basePath}${path}`;
}
