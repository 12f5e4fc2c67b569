import { addressProblem, mailboxPieces, normalizeAddress, type Mailbox } from './address.js';
import { base64Lines, bytesToBase64Url, utf8Bytes } from './base64.js';
import { encodeWords } from './encoded-word.js';
import { assertHeaderText, bodyTextProblem, headerTextProblem, refuse } from './header-text.js';

/** An email to build: addresses already parsed (see `parseMailbox`), text not yet encoded. */
export interface MimeMessageInput {
  /** Gmail sets From to the authenticated user (or checks it against their send-as aliases). */
  from?: Mailbox | undefined;
  to?: readonly Mailbox[] | undefined;
  cc?: readonly Mailbox[] | undefined;
  /** Gmail delivers to Bcc recipients and removes the header from what others receive. */
  bcc?: readonly Mailbox[] | undefined;
  /** Any Unicode text; encoded as RFC 2047 words when it is not plain ASCII. Empty or absent: no Subject header. */
  subject?: string | undefined;
  /** The plain-text body. */
  text?: string | undefined;
  /** The HTML body. With `text` too, the message is multipart/alternative. */
  html?: string | undefined;
  /** The Message-ID (`<...>`) of the message this one answers (RFC 5322 section 3.6.4). */
  inReplyTo?: string | undefined;
  /** The Message-IDs of the conversation so far, oldest first. */
  references?: readonly string[] | undefined;
}

export interface BuildOptions {
  /** The Date header. @default new Date() */
  date?: Date | undefined;
  /** The multipart boundary. @default a random one */
  boundary?: string | undefined;
}

// RFC 5322 section 2.1.1: lines SHOULD be at most 78 characters without CRLF.
const LINE_LIMIT = 78;
// RFC 2046 section 5.1.1 bchars, without space, at most 70 characters.
const BOUNDARY = /^[A-Za-z0-9'()+_,\-./:=?]{1,70}$/;
// A msg-id as found in the wild: angle brackets around printable ASCII without spaces or brackets.
const MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]+>$/;

/**
 * Builds an RFC 5322 message with MIME (RFC 2045-2047) from parsed input: ASCII-only header lines
 * folded at 78 characters, UTF-8 bodies in base64, multipart/alternative when both a text and an
 * HTML body are given. Every header value is checked again here, so no input can add a header line:
 * a CR, LF, NUL or other control character in any header field throws INVALID_PARAMS.
 */
export function buildMimeMessage(message: MimeMessageInput, options: BuildOptions = {}): string {
  const lines: string[] = [];
  if (message.from !== undefined) lines.push(...addressHeader('From', [message.from]));
  for (const [name, list] of [
    ['To', message.to],
    ['Cc', message.cc],
    ['Bcc', message.bcc],
  ] as const) {
    if (list !== undefined && list.length > 0) lines.push(...addressHeader(name, list));
  }
  if (message.subject !== undefined && message.subject !== '') lines.push(...subjectHeader(message.subject));
  lines.push(`Date: ${formatDate(options.date ?? new Date())}`);
  if (message.inReplyTo !== undefined)
    lines.push(...foldPieces('In-Reply-To', [checkMessageId(message.inReplyTo, 'In-Reply-To')]));
  if (message.references !== undefined && message.references.length > 0) {
    lines.push(
      ...foldPieces(
        'References',
        message.references.map((id) => checkMessageId(id, 'References')),
      ),
    );
  }
  lines.push('MIME-Version: 1.0');

  for (const [label, body] of [
    ['text body', message.text],
    ['HTML body', message.html],
  ] as const) {
    const problem = body === undefined ? undefined : bodyTextProblem(body);
    if (problem !== undefined) refuse(`The ${label} ${problem}.`);
  }
  if (message.text !== undefined && message.html !== undefined) {
    const boundary = options.boundary ?? randomBoundary();
    if (!BOUNDARY.test(boundary))
      refuse('The multipart boundary must be 1 to 70 boundary characters (RFC 2046 section 5.1.1).');
    lines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`, '');
    lines.push(`--${boundary}`, ...leafPart('text/plain', message.text));
    lines.push(`--${boundary}`, ...leafPart('text/html', message.html));
    lines.push(`--${boundary}--`, '');
  } else if (message.html !== undefined) {
    lines.push(...leafPart('text/html', message.html));
  } else {
    lines.push(...leafPart('text/plain', message.text ?? ''));
  }
  return lines.join('\r\n');
}

/** A built message as Gmail's `raw` field wants it: base64url without padding. */
export function toGmailRaw(mime: string): string {
  return bytesToBase64Url(utf8Bytes(mime));
}

/** Content headers, a blank line, the body in base64 and a final line break. */
function leafPart(type: 'text/plain' | 'text/html', text: string): string[] {
  // Text is sent in canonical form: CRLF line breaks before the base64 (RFC 2049 section 4).
  const canonical = text.replace(/\r\n|\r|\n/g, '\r\n');
  const encoded = base64Lines(utf8Bytes(canonical));
  return [
    `Content-Type: ${type}; charset=UTF-8`,
    'Content-Transfer-Encoding: base64',
    '',
    ...(encoded === '' ? [] : [encoded]),
    '',
  ];
}

function addressHeader(name: string, mailboxes: readonly Mailbox[]): string[] {
  const pieces: string[] = [];
  mailboxes.forEach((mailbox, index) => {
    const emailProblem = headerTextProblem(mailbox.email) ?? addressProblem(mailbox.email);
    if (emailProblem !== undefined) refuse(`The ${name} address ${JSON.stringify(mailbox.email)} ${emailProblem}.`);
    if (mailbox.name !== undefined) assertHeaderText(mailbox.name, `${name} display name`);
    const own = mailboxPieces({ ...mailbox, email: normalizeAddress(mailbox.email) });
    if (index < mailboxes.length - 1) own[own.length - 1] += ',';
    pieces.push(...own);
  });
  return foldPieces(name, pieces);
}

/**
 * Plain ASCII subjects are folded at their own spaces, so unfolding gives back the exact text.
 * Anything else (non-ASCII, tabs, a literal `=?`, leading or trailing spaces, a word too long
 * to fold) goes out as encoded-words, which keep every character.
 */
function subjectHeader(subject: string): string[] {
  assertHeaderText(subject, 'subject');
  const segments = unstructuredSegments(subject);
  const plain =
    /^[\x20-\x7e]*$/.test(subject) &&
    !subject.includes('=?') &&
    subject === subject.trim() &&
    segments.every((segment) => segment.length <= LINE_LIMIT - 12);
  if (!plain) return foldPieces('Subject', encodeWords(subject));
  const lines: string[] = [];
  let line = 'Subject: ';
  segments.forEach((segment, index) => {
    if (index > 0 && line.length + segment.length > LINE_LIMIT) {
      lines.push(line);
      line = '';
    }
    line += segment;
  });
  lines.push(line);
  return lines;
}

/** Splits text before each space that is followed by a non-space: the places a fold may go. */
function unstructuredSegments(text: string): string[] {
  const segments: string[] = [];
  let start = 0;
  for (let index = 1; index < text.length; index++) {
    if (text[index] === ' ' && text[index + 1] !== undefined && text[index + 1] !== ' ') {
      segments.push(text.slice(start, index));
      start = index;
    }
  }
  segments.push(text.slice(start));
  return segments;
}

/** Joins unbreakable pieces with single spaces, folding (CRLF + space) before a piece that would pass 78 characters. */
function foldPieces(name: string, pieces: readonly string[]): string[] {
  const lines: string[] = [];
  let line = `${name}:`;
  let first = true;
  for (const piece of pieces) {
    if (!first && line.length + 1 + piece.length > LINE_LIMIT) {
      lines.push(line);
      line = '';
    }
    line += ` ${piece}`;
    first = false;
  }
  lines.push(line);
  return lines;
}

function checkMessageId(id: string, header: string): string {
  assertHeaderText(id, `${header} message id`);
  if (!MESSAGE_ID.test(id)) refuse(`The ${header} message id ${JSON.stringify(id)} is not a <...> message id.`);
  return id;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 section 3.3 date-time in UTC: `Tue, 21 Apr 2026 09:05:03 +0000`. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) refuse('The Date header needs a valid date.');
  const two = (value: number) => String(value).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  // "=_" cannot start a base64 line, so the boundary never collides with a base64 body.
  return `=_plugboard_${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
