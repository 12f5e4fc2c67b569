import { base64ToBytes } from '../mime/base64.js';
import { decodeCharset, decodeWords } from '../mime/encoded-word.js';
import type { GmailMessage, GmailMessagePart } from './gmail-types.js';

/** A file attached to a message; fetch its content with messages.attachments.get. */
export interface EmailAttachment {
  filename: string;
  mimeType: string;
  /** Size in bytes. */
  size: number;
  attachmentId: string | undefined;
  partId: string | undefined;
}

/** A Gmail message reduced to what people and agents read. */
export interface Email {
  id: string;
  threadId: string | undefined;
  labelIds: string[];
  snippet: string;
  subject: string;
  /** The From header. */
  sender: string;
  to: string;
  cc: string;
  /** The Date header, as sent. */
  date: string;
  /** When Gmail received the message, milliseconds since the epoch (Gmail's `internalDate`). */
  internalDate: string | undefined;
  /** Plain text: the text/plain part, or the text/html part with its markup removed; empty without a payload. */
  body: string;
  attachments: EmailAttachment[];
}

/** A header of a message part by case-insensitive name, with RFC 2047 encoded-words decoded. */
export function headerValue(part: GmailMessagePart | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = part?.headers?.find((header) => header.name.toLowerCase() === wanted);
  return found === undefined ? undefined : decodeWords(found.value);
}

export function simplifyMessage(message: GmailMessage): Email {
  const payload = message.payload;
  const { text, html } = payload === undefined ? {} : extractText(payload);
  return {
    id: message.id,
    threadId: message.threadId,
    labelIds: message.labelIds ?? [],
    snippet: message.snippet ?? '',
    subject: headerValue(payload, 'Subject') ?? '',
    sender: headerValue(payload, 'From') ?? '',
    to: headerValue(payload, 'To') ?? '',
    cc: headerValue(payload, 'Cc') ?? '',
    date: headerValue(payload, 'Date') ?? '',
    internalDate: message.internalDate,
    body: text ?? (html === undefined ? '' : htmlToText(html)),
    attachments: payload === undefined ? [] : collectAttachments(payload),
  };
}

function isAttachment(part: GmailMessagePart): boolean {
  if (part.mimeType?.startsWith('multipart/')) return false;
  if (part.filename) return true;
  if (part.body?.attachmentId) return true;
  return /^\s*attachment\b/i.test(headerValue(part, 'Content-Disposition') ?? '');
}

/**
 * The readable text of a part tree. In multipart/alternative the text/plain alternative wins
 * (the HTML one is kept as a fallback); in any other multipart (mixed, related, signed) the text of
 * each inline part is joined in order, so a message with attachments still yields its body.
 */
export function extractText(part: GmailMessagePart): { text?: string; html?: string } {
  if (isAttachment(part)) return {};
  const type = (part.mimeType ?? 'text/plain').toLowerCase();
  if (type === 'text/plain') return withDefined({ text: partText(part) });
  if (type === 'text/html') return withDefined({ html: partText(part) });
  if (!type.startsWith('multipart/')) return {};
  const children = (part.parts ?? []).map(extractText);
  if (type === 'multipart/alternative') {
    return withDefined({
      text: children.find((child) => child.text !== undefined)?.text,
      html: children.find((child) => child.html !== undefined)?.html,
    });
  }
  const texts = children.map((child) => child.text).filter((value): value is string => value !== undefined);
  const htmls = children.map((child) => child.html).filter((value): value is string => value !== undefined);
  return withDefined({
    text: texts.length > 0 ? texts.join('\n') : undefined,
    html: htmls.length > 0 ? htmls.join('\n') : undefined,
  });
}

function withDefined(value: { text?: string | undefined; html?: string | undefined }): {
  text?: string;
  html?: string;
} {
  const output: { text?: string; html?: string } = {};
  if (value.text !== undefined) output.text = value.text;
  if (value.html !== undefined) output.html = value.html;
  return output;
}

/**
 * The text of one leaf part. Gmail removes the transfer encoding and, as observed (its reference
 * does not say), hands text parts over in UTF-8 whatever charset the Content-Type header names;
 * the declared charset is only tried when the bytes are not valid UTF-8.
 */
function partText(part: GmailMessagePart): string | undefined {
  const data = part.body?.data;
  if (data === undefined) return undefined;
  const bytes = base64ToBytes(data);
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(headerValue(part, 'Content-Type') ?? '')?.[1];
    return (
      (charset === undefined ? undefined : decodeCharset(bytes, charset)) ?? new TextDecoder('utf-8').decode(bytes)
    );
  }
}

function collectAttachments(part: GmailMessagePart, found: EmailAttachment[] = []): EmailAttachment[] {
  if (isAttachment(part)) {
    found.push({
      filename: part.filename ?? '',
      mimeType: part.mimeType ?? 'application/octet-stream',
      size: part.body?.size ?? 0,
      attachmentId: part.body?.attachmentId,
      partId: part.partId,
    });
  }
  for (const child of part.parts ?? []) collectAttachments(child, found);
  return found;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
  reg: '®',
  euro: '€',
};

/** Readable text from HTML: scripts, styles and comments dropped, `<br>` and block ends as line breaks, entities decoded. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    // Line breaks in HTML source are spaces; only markup breaks lines.
    .replace(/\s+/g, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote|pre|table|ul|ol|section|article|header|footer)\s*>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '- ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
      if (code.startsWith('#')) {
        const point =
          code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number.parseInt(code.slice(1), 10);
        return Number.isInteger(point) && point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
      }
      return NAMED_ENTITIES[code.toLowerCase()] ?? entity;
    });
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
