import { randomBytes } from 'node:crypto';
import type { GmailMessage, GmailMessagePart } from '../src/index.js';
import { startRecordingServer, type RecordedRequest, type Reply } from '@plugboard/testkit';
import { LABELS, MAILBOX_ADDRESS, seedMessages, textPart } from './mailbox-fixtures.js';
import { parseMime, splitMessage } from './raw-message.js';

/**
 * A local stand-in for the Gmail API v1 (https://developers.google.com/workspace/gmail/api/reference/rest),
 * mounted at `/gmail/v1`, with one mailbox. It answers as Gmail does where a client can tell:
 *
 * - Bearer tokens only; a missing token is 401 "Login Required." (reason `required`), a bad or
 *   expired one 401 "Invalid Credentials" (reason `authError`), both with `WWW-Authenticate`;
 * - errors in Google's JSON shape `{ error: { code, message, errors: [{ message, domain, reason }], status } }`;
 * - `userId` is `me` or the mailbox address; another address is 403 "Delegation denied";
 * - message ids are 16 hex digits (others: 400 "Invalid id value"), unknown ones 404;
 * - lists are newest first, page with `maxResults`/`pageToken`/`nextPageToken`, leave out SPAM and
 *   TRASH unless `includeSpamTrash`, and omit `messages`/`threads` when empty;
 * - `format` full, metadata (with `metadataHeaders`, matched case-insensitively), minimal, raw;
 * - send and drafts.create take `raw` (base64url RFC 2822); sending needs a recipient; a sent message
 *   joins `threadId` only when its subject matches the thread's (Gmail's threading rule);
 * - `/upload/gmail/v1/.../messages/send` takes the message as a multipart (JSON metadata, then
 *   `message/rfc822`) or media upload, and JSON bodies over `jsonBodyLimitBytes` answer 413;
 * - attachments.get answers `{ size, data }` (base64url); batchModify and batchDelete answer 204
 *   with no body; every change is numbered, and history.list answers the records after
 *   `startHistoryId` (404 for one older than the fake keeps), filtered by `historyTypes` and `labelId`;
 * - settings: filters (list as `filter`, create, get, delete) and the vacation responder (get, and
 *   update, which replaces it).
 */

export interface StoredMessage extends GmailMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** The RFC 2822 text, when known (sent messages and drafts). */
  mime?: string;
}

export interface FakeGmailOptions {
  /** Tokens accepted as they are (the BEARER_TOKEN tests). */
  tokens?: string[];
  /** Also accept tokens this function says are valid (tokens from the fake OAuth server). */
  isTokenValid?: (token: string) => boolean;
  /**
   * JSON request bodies above this many bytes are refused with 413, as Google's front end refuses
   * large ones; messages that big go through `/upload/gmail/v1/...`. @default 5 MiB
   */
  jsonBodyLimitBytes?: number;
}

/** One mailbox change, as users.history.list reports it. */
export interface HistoryRecord {
  id: string;
  messages: Array<{ id: string; threadId: string }>;
  messagesAdded?: Array<{ message: { id: string; threadId: string; labelIds: string[] } }>;
  messagesDeleted?: Array<{ message: { id: string; threadId: string; labelIds: string[] } }>;
  labelsAdded?: Array<{ message: { id: string; threadId: string; labelIds: string[] }; labelIds: string[] }>;
  labelsRemoved?: Array<{ message: { id: string; threadId: string; labelIds: string[] }; labelIds: string[] }>;
}

export interface FakeGmail {
  url: string;
  requests: RecordedRequest[];
  /** Requests to the API, without the ones refused for auth. */
  messages: Map<string, StoredMessage>;
  drafts: Map<string, { id: string; message: StoredMessage }>;
  /** Attachment bodies by attachmentId. */
  attachments: Map<string, Uint8Array>;
  /** Every change since the fake started, oldest first. */
  history: HistoryRecord[];
  /** Make the next messages.get of this id answer 404, as if deleted in between. */
  deleteBeforeGet(id: string): void;
  close(): Promise<void>;
}

const PREFIX = '/gmail/v1/users/';
const UPLOAD_PREFIX = '/upload/gmail/v1/users/';
/** History ids below this are older than the fake keeps: history.list answers 404, as Gmail does for expired ids. */
const OLDEST_HISTORY_ID = 900100;
/** The seeded invoice PDF's bytes: not UTF-8, so decoding it as text must fail. */
export const INVOICE_PDF = Uint8Array.from({ length: 51234 }, (_, index) =>
  index < 9 ? '%PDF-1.4\n'.charCodeAt(index) : (index * 31 + 7) % 256,
);
const MESSAGE_ID = /^[0-9a-f]{16}$/;

/** A JSON answer as Google's front ends write it (pretty-printed, charset in the content type). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    text: JSON.stringify(body, null, 2),
  };
}

/** Whether a helper answered with an error instead of its value (the fake's replies always carry text). */
function isReply<T extends object>(value: T | Reply): value is Reply {
  return 'text' in value && !('id' in value) && !('items' in value);
}

export function googleError(
  code: number,
  status: string,
  message: string,
  reason: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): Reply {
  return json(
    code,
    { error: { code, message, errors: [{ message, domain: 'global', reason, ...extra }], status } },
    headers,
  );
}

const notFound = () => googleError(404, 'NOT_FOUND', 'Requested entity was not found.', 'notFound');
const invalidArgument = (message: string) => googleError(400, 'INVALID_ARGUMENT', message, 'invalidArgument');

export async function startFakeGmail(options: FakeGmailOptions = {}): Promise<FakeGmail> {
  const messages = new Map<string, StoredMessage>(
    seedMessages().map((message) => [message.id, message as StoredMessage]),
  );
  const drafts = new Map<string, { id: string; message: StoredMessage }>();
  const tokens = new Set(options.tokens ?? []);
  const deletedOnGet = new Set<string>();
  let historyId = 900200;
  const attachments = new Map<string, Uint8Array>([['ANGjdJ9fkTs-Invoice', INVOICE_PDF]]);
  const history: HistoryRecord[] = [];
  const filters = new Map<string, { id: string; criteria: unknown; action: unknown }>();
  let vacation: Record<string, unknown> = { enableAutoReply: false };
  const jsonBodyLimit = options.jsonBodyLimitBytes ?? 5 * 1024 * 1024;

  const brief = (message: StoredMessage) => ({ id: message.id, threadId: message.threadId });
  const withLabels = (message: StoredMessage) => ({ ...brief(message), labelIds: [...message.labelIds] });
  /** Records one change with a new history id, which the message takes too. */
  function recordChange(message: StoredMessage, change: Partial<Omit<HistoryRecord, 'id' | 'messages'>>): void {
    message.historyId = String(++historyId);
    history.push({ id: message.historyId, messages: [brief(message)], ...change });
  }
  function changeLabels(message: StoredMessage, add: string[], remove: string[]): void {
    const removed = remove.filter((label) => message.labelIds.includes(label));
    const added = add.filter((label) => !message.labelIds.includes(label));
    message.labelIds = [...message.labelIds.filter((label) => !removed.includes(label)), ...added];
    if (added.length > 0) recordChange(message, { labelsAdded: [{ message: withLabels(message), labelIds: added }] });
    if (removed.length > 0)
      recordChange(message, { labelsRemoved: [{ message: withLabels(message), labelIds: removed }] });
  }

  const header = (message: GmailMessage, name: string) =>
    message.payload?.headers?.find((entry) => entry.name.toLowerCase() === name.toLowerCase())?.value;

  function authenticate(request: RecordedRequest): Reply | undefined {
    const authenticate = { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' };
    const match = /^Bearer (\S+)$/.exec(request.headers['authorization'] ?? '');
    if (!match) {
      return googleError(
        401,
        'UNAUTHENTICATED',
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        'required',
        { location: 'Authorization', locationType: 'header' },
        { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
      );
    }
    const token = match[1] as string;
    if (tokens.has(token) || options.isTokenValid?.(token)) return undefined;
    return googleError(
      401,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      'authError',
      { message: 'Invalid Credentials', location: 'Authorization', locationType: 'header' },
      authenticate,
    );
  }

  function listed(request: RecordedRequest, includeSpamTrash: boolean): StoredMessage[] {
    const labelIds = request.query.getAll('labelIds');
    const q = request.query.get('q') ?? '';
    return [...messages.values()]
      .filter(
        (message) =>
          includeSpamTrash ||
          labelIds.includes('SPAM') ||
          labelIds.includes('TRASH') ||
          !message.labelIds.some((label) => label === 'SPAM' || label === 'TRASH'),
      )
      .filter((message) => !message.labelIds.includes('DRAFT'))
      .filter((message) => labelIds.every((label) => message.labelIds.includes(label)))
      .filter((message) => matchesQuery(message, q))
      .sort((a, b) => Number(b.internalDate) - Number(a.internalDate));
  }

  function matchesQuery(message: StoredMessage, q: string): boolean {
    for (const term of q.split(/\s+/).filter(Boolean)) {
      const [operator, value] = term.includes(':') ? (term.split(/:(.*)/s) as [string, string]) : ['', term];
      const has = (text: string | undefined) => (text ?? '').toLowerCase().includes(value.toLowerCase());
      if (operator === 'from' && !has(header(message, 'From'))) return false;
      if (operator === 'to' && !has(header(message, 'To'))) return false;
      if (operator === 'subject' && !has(header(message, 'Subject'))) return false;
      if (operator === 'is' && value === 'unread' && !message.labelIds.includes('UNREAD')) return false;
      if (operator === 'is' && value === 'starred' && !message.labelIds.includes('STARRED')) return false;
      if (operator === 'has' && value === 'attachment' && !JSON.stringify(message.payload).includes('"attachmentId"'))
        return false;
      if (operator === '' && !has(header(message, 'Subject')) && !has(message.snippet) && !has(header(message, 'From')))
        return false;
    }
    return true;
  }

  function page<T>(request: RecordedRequest, items: T[]): { items: T[]; nextPageToken?: string } | Reply {
    const maxResults = Number(request.query.get('maxResults') ?? '100');
    if (!Number.isInteger(maxResults) || maxResults < 0)
      return invalidArgument(`Invalid value at 'max_results' (TYPE_UINT32), "${request.query.get('maxResults')}"`);
    const token = request.query.get('pageToken');
    let offset = 0;
    if (token !== null) {
      const decoded = /^p(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
      if (!decoded) return invalidArgument('Invalid pageToken');
      offset = Number(decoded[1]);
    }
    const size = Math.min(maxResults === 0 ? 100 : maxResults, 500);
    const slice = items.slice(offset, offset + size);
    const next = offset + size < items.length ? Buffer.from(`p${offset + size}`).toString('base64url') : undefined;
    return next === undefined ? { items: slice } : { items: slice, nextPageToken: next };
  }

  function formatted(message: StoredMessage, request: RecordedRequest): Reply {
    const format = request.query.get('format') ?? 'full';
    const base = { id: message.id, threadId: message.threadId, labelIds: message.labelIds };
    const extra = {
      snippet: message.snippet,
      sizeEstimate: message.sizeEstimate,
      historyId: message.historyId,
      internalDate: message.internalDate,
    };
    if (format === 'minimal') return json(200, { ...base, ...extra });
    if (format === 'full')
      return json(200, {
        ...base,
        snippet: message.snippet,
        payload: message.payload,
        sizeEstimate: message.sizeEstimate,
        historyId: message.historyId,
        internalDate: message.internalDate,
      });
    if (format === 'metadata')
      return json(200, {
        ...base,
        ...extra,
        payload: metadataPayload(message, request.query.getAll('metadataHeaders')),
      });
    if (format === 'raw')
      return json(200, {
        ...base,
        ...extra,
        raw: Buffer.from(message.mime ?? synthesizeMime(message)).toString('base64url'),
      });
    return invalidArgument(`Invalid value at 'format' (type.googleapis.com/gmail.v1.Format), "${format}"`);
  }

  function metadataPayload(message: StoredMessage, wanted: string[]): GmailMessagePart {
    const lower = wanted.map((name) => name.toLowerCase());
    const allHeaders = message.payload?.headers ?? [];
    return {
      mimeType: message.payload?.mimeType ?? 'text/plain',
      headers: lower.length === 0 ? allHeaders : allHeaders.filter((entry) => lower.includes(entry.name.toLowerCase())),
    };
  }

  async function storeFromRaw(
    raw: unknown,
    labelIds: string[],
    threadId: unknown,
    requireRecipient: boolean,
  ): Promise<StoredMessage | Reply> {
    if (typeof raw !== 'string' || raw === '')
      return invalidArgument("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
    if (!/^[A-Za-z0-9_-]+=*$/.test(raw)) return invalidArgument('Invalid value for ByteString: raw');
    return storeMime(Buffer.from(raw, 'base64url').toString('utf8'), labelIds, threadId, requireRecipient);
  }

  async function storeMime(
    mime: string,
    labelIds: string[],
    threadId: unknown,
    requireRecipient: boolean,
  ): Promise<StoredMessage | Reply> {
    try {
      splitMessage(mime);
    } catch (error) {
      return invalidArgument(`Invalid RFC 2822 message: ${(error as Error).message}`);
    }
    const parsed = await parseMime(mime);
    const recipients = (parsed.to?.length ?? 0) + (parsed.cc?.length ?? 0) + (parsed.bcc?.length ?? 0);
    if (requireRecipient && recipients === 0) return invalidArgument('Recipient address required');
    const id = randomBytes(8).toString('hex');
    const subject = parsed.subject ?? '';
    let thread = id;
    if (threadId !== undefined) {
      if (typeof threadId !== 'string' || ![...messages.values()].some((message) => message.threadId === threadId))
        return notFound();
      const threadSubject = [...messages.values()].find(
        (message) => message.threadId === threadId && header(message, 'Subject') !== undefined,
      );
      const normalize = (value: string) => value.replace(/^((re|fwd?):\s*)+/i, '').trim();
      if (threadSubject === undefined || normalize(header(threadSubject, 'Subject') ?? '') === normalize(subject))
        thread = threadId;
    }
    const headers = parsed.headers.map((entry) => ({ name: entry.originalKey, value: entry.value }));
    if (!parsed.messageId)
      headers.push({ name: 'Message-Id', value: `<CA${randomBytes(12).toString('hex')}@mail.gmail.com>` });
    const parts: GmailMessagePart[] = [];
    if (parsed.text !== undefined) parts.push(textPart('0', 'text/plain', parsed.text));
    if (parsed.html !== undefined) parts.push(textPart(String(parts.length), 'text/html', parsed.html));
    for (const attachment of parsed.attachments) {
      const attachmentId = `ANGjdJ${randomBytes(12).toString('base64url')}`;
      const content = new Uint8Array(
        typeof attachment.content === 'string' ? Buffer.from(attachment.content) : attachment.content,
      );
      attachments.set(attachmentId, content);
      parts.push({
        partId: String(parts.length),
        mimeType: attachment.mimeType,
        filename: attachment.filename ?? '',
        headers: [{ name: 'Content-Type', value: attachment.mimeType }],
        body: { attachmentId, size: content.length },
      });
    }
    const contentType = headers.find((entry) => entry.name.toLowerCase() === 'content-type')?.value ?? 'text/plain';
    const payload: GmailMessagePart =
      parts.length === 1
        ? { ...(parts[0] as GmailMessagePart), partId: '', headers }
        : {
            partId: '',
            mimeType: contentType.split(';')[0] as string,
            filename: '',
            headers,
            body: { size: 0 },
            parts,
          };
    const stored: StoredMessage = {
      id,
      threadId: thread,
      labelIds,
      snippet: (parsed.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 100),
      historyId: String(++historyId),
      internalDate: String(Date.now()),
      sizeEstimate: mime.length,
      payload,
      mime,
    };
    messages.set(id, stored);
    history.push({
      id: stored.historyId as string,
      messages: [brief(stored)],
      messagesAdded: [{ message: withLabels(stored) }],
    });
    return stored;
  }

  function deleteMessage(messageId: string): void {
    const message = messages.get(messageId);
    if (!message) return;
    messages.delete(messageId);
    history.push({
      id: String(++historyId),
      messages: [brief(message)],
      messagesDeleted: [{ message: withLabels(message) }],
    });
  }

  function listHistory(request: RecordedRequest): Reply {
    const start = request.query.get('startHistoryId');
    if (start === null) return invalidArgument('Missing required field: startHistoryId');
    if (!/^\d+$/.test(start)) return invalidArgument(`Invalid value at 'start_history_id' (TYPE_UINT64), "${start}"`);
    if (Number(start) < OLDEST_HISTORY_ID) return notFound();
    const types = request.query.getAll('historyTypes');
    const labelId = request.query.get('labelId');
    const matches = history
      .filter((record) => Number(record.id) > Number(start))
      .map((record) => {
        if (types.length === 0) return record;
        const kept: HistoryRecord = { id: record.id, messages: record.messages };
        if (types.includes('messageAdded') && record.messagesAdded) kept.messagesAdded = record.messagesAdded;
        if (types.includes('messageDeleted') && record.messagesDeleted) kept.messagesDeleted = record.messagesDeleted;
        if (types.includes('labelAdded') && record.labelsAdded) kept.labelsAdded = record.labelsAdded;
        if (types.includes('labelRemoved') && record.labelsRemoved) kept.labelsRemoved = record.labelsRemoved;
        return Object.keys(kept).length > 2 ? kept : undefined;
      })
      .filter((record): record is HistoryRecord => record !== undefined)
      .filter(
        (record) =>
          labelId === null ||
          [record.messagesAdded, record.messagesDeleted, record.labelsAdded, record.labelsRemoved].some((changes) =>
            (changes ?? []).some((change) => change.message.labelIds.includes(labelId)),
          ),
      );
    const result = page(request, matches);
    if (isReply(result)) return result;
    return json(200, {
      ...(result.items.length > 0 ? { history: result.items } : {}),
      ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}),
      historyId: String(historyId),
    });
  }

  /** `/upload/gmail/v1/...`: the message as the media of a multipart or simple upload. */
  async function uploadRoute(request: RecordedRequest, route: string): Promise<Reply> {
    if (route !== 'POST messages/send') return notFound();
    const uploadType = request.query.get('uploadType');
    let mime: string;
    let metadata: Record<string, unknown> = {};
    if (uploadType === 'media') {
      if (!/^message\//.test(request.headers['content-type'] ?? ''))
        return invalidArgument('Media type is not supported. Valid media types: [message/*]');
      mime = request.body;
    } else if (uploadType === 'multipart') {
      const boundary = /boundary=([^;]+)/.exec(request.headers['content-type'] ?? '')?.[1];
      if (!boundary || !(request.headers['content-type'] ?? '').startsWith('multipart/related'))
        return invalidArgument('Invalid multipart request: expected multipart/related with a boundary.');
      const parts = request.body.split(`--${boundary}`).slice(1, -1);
      if (parts.length !== 2) return invalidArgument('Invalid multipart request: expected metadata and media.');
      const split = (part: string) => {
        const at = part.indexOf('\r\n\r\n');
        return { headers: part.slice(0, at).toLowerCase(), content: part.slice(at + 4).replace(/\r\n$/, '') };
      };
      const [first, second] = parts.map(split) as [ReturnType<typeof split>, ReturnType<typeof split>];
      if (!first.headers.includes('application/json')) return invalidArgument('Metadata part must be JSON.');
      if (!/content-type: message\//.test(second.headers))
        return invalidArgument('Media type is not supported. Valid media types: [message/*]');
      try {
        metadata = first.content.trim() === '' ? {} : (JSON.parse(first.content) as Record<string, unknown>);
      } catch {
        return invalidArgument('Invalid JSON payload received.');
      }
      mime = second.headers.includes('content-transfer-encoding: base64')
        ? Buffer.from(second.content.replace(/\s+/g, ''), 'base64').toString('utf8')
        : second.content;
    } else {
      return invalidArgument(`Invalid upload type: ${uploadType ?? '(none)'}`);
    }
    const stored = await storeMime(mime, ['SENT'], metadata['threadId'], true);
    return isReply(stored)
      ? stored
      : json(200, { id: stored.id, threadId: stored.threadId, labelIds: stored.labelIds });
  }

  async function route(request: RecordedRequest): Promise<Reply> {
    const upload = request.path.startsWith(UPLOAD_PREFIX);
    if (!request.path.startsWith(PREFIX) && !upload)
      return {
        status: 404,
        headers: { 'content-type': 'text/html; charset=UTF-8' },
        text: '<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>',
      };
    const refused = authenticate(request);
    if (refused) return refused;
    const [userId, ...rest] = request.path
      .slice(upload ? UPLOAD_PREFIX.length : PREFIX.length)
      .split('/')
      .map(decodeURIComponent);
    if (userId !== 'me' && userId !== MAILBOX_ADDRESS)
      return googleError(403, 'PERMISSION_DENIED', `Delegation denied for ${userId}`, 'forbidden');
    const hasId =
      (rest[0] === 'messages' || rest[0] === 'threads') &&
      rest[1] !== undefined &&
      !['send', 'batchModify', 'batchDelete'].includes(rest[1]);
    const id = hasId ? (rest[1] as string) : '';
    if (hasId && !MESSAGE_ID.test(id)) return invalidArgument('Invalid id value');
    const route = `${request.method} ${rest.map((segment, index) => (hasId && index === 1 ? ':id' : segment)).join('/')}`;
    if (upload) return uploadRoute(request, route);
    if (Buffer.byteLength(request.body) > jsonBodyLimit)
      return googleError(413, 'FAILED_PRECONDITION', 'Request payload size exceeds the limit.', 'failedPrecondition');
    let body: Record<string, unknown> = {};
    try {
      if (request.body !== '') body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return invalidArgument('Invalid JSON payload received.');
    }
    const includeSpamTrash = request.query.get('includeSpamTrash') === 'true';

    switch (route) {
      case 'GET profile':
        return json(200, {
          emailAddress: MAILBOX_ADDRESS,
          messagesTotal: [...messages.values()].filter((message) => !message.labelIds.includes('DRAFT')).length,
          threadsTotal: new Set([...messages.values()].map((message) => message.threadId)).size,
          historyId: String(historyId),
        });
      case 'GET labels':
        return json(200, { labels: LABELS });
      case 'GET messages': {
        const result = page(request, listed(request, includeSpamTrash));
        if (isReply(result)) return result;
        const all = listed(request, includeSpamTrash);
        return json(200, {
          ...(result.items.length > 0
            ? { messages: result.items.map((message) => ({ id: message.id, threadId: message.threadId })) }
            : {}),
          ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}),
          resultSizeEstimate: all.length,
        });
      }
      case 'GET messages/:id': {
        if (deletedOnGet.delete(id)) messages.delete(id);
        const message = messages.get(id);
        return message ? formatted(message, request) : notFound();
      }
      case 'POST messages/send': {
        const stored = await storeFromRaw(body['raw'], ['SENT'], body['threadId'], true);
        return isReply(stored)
          ? stored
          : json(200, { id: stored.id, threadId: stored.threadId, labelIds: stored.labelIds });
      }
      case 'POST drafts': {
        const message = (body['message'] ?? {}) as Record<string, unknown>;
        const stored = await storeFromRaw(message['raw'], ['DRAFT'], message['threadId'], false);
        if (isReply(stored)) return stored;
        const draft = { id: `r${BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 19n}`, message: stored };
        drafts.set(draft.id, draft);
        return json(200, {
          id: draft.id,
          message: { id: stored.id, threadId: stored.threadId, labelIds: stored.labelIds },
        });
      }
      case 'POST messages/:id/modify': {
        const message = messages.get(id);
        if (!message) return notFound();
        const add = (body['addLabelIds'] ?? []) as string[];
        const remove = (body['removeLabelIds'] ?? []) as string[];
        const unknown = [...add, ...remove].find((label) => !LABELS.some((known) => known.id === label));
        if (unknown) return invalidArgument(`Invalid label: ${unknown}`);
        changeLabels(message, add, remove);
        return json(200, { id: message.id, threadId: message.threadId, labelIds: message.labelIds });
      }
      case 'POST messages/:id/trash': {
        const message = messages.get(id);
        if (!message) return notFound();
        if (request.body !== '') return invalidArgument('The request body must be empty.');
        if (!message.labelIds.includes('TRASH')) changeLabels(message, ['TRASH'], ['INBOX']);
        return json(200, { id: message.id, threadId: message.threadId, labelIds: message.labelIds });
      }
      case 'GET threads': {
        const byThread = new Map<string, StoredMessage[]>();
        for (const message of listed(request, includeSpamTrash))
          byThread.set(message.threadId, [...(byThread.get(message.threadId) ?? []), message]);
        const threads = [...byThread.entries()].map(([threadId, list]) => ({
          id: threadId,
          snippet: list[0]?.snippet ?? '',
          historyId: list[0]?.historyId ?? '',
        }));
        const result = page(request, threads);
        if (isReply(result)) return result;
        return json(200, {
          ...(result.items.length > 0 ? { threads: result.items } : {}),
          ...(result.nextPageToken ? { nextPageToken: result.nextPageToken } : {}),
          resultSizeEstimate: threads.length,
        });
      }
      case 'GET threads/:id': {
        const list = [...messages.values()]
          .filter((message) => message.threadId === id)
          .sort((a, b) => Number(a.internalDate) - Number(b.internalDate));
        if (list.length === 0) return notFound();
        const format = request.query.get('format') ?? 'full';
        const wanted = request.query.getAll('metadataHeaders');
        return json(200, {
          id,
          historyId: list.at(-1)?.historyId,
          messages: list.map((message) => ({
            id: message.id,
            threadId: message.threadId,
            labelIds: message.labelIds,
            snippet: message.snippet,
            historyId: message.historyId,
            internalDate: message.internalDate,
            sizeEstimate: message.sizeEstimate,
            ...(format === 'minimal'
              ? {}
              : { payload: format === 'metadata' ? metadataPayload(message, wanted) : message.payload }),
          })),
        });
      }
      case 'POST messages/batchModify': {
        const ids = (body['ids'] ?? []) as string[];
        const add = (body['addLabelIds'] ?? []) as string[];
        const remove = (body['removeLabelIds'] ?? []) as string[];
        if (ids.length === 0) return invalidArgument('No message ids specified.');
        if (ids.length > 1000) return invalidArgument('Too many ids specified: at most 1000.');
        const unknown = [...add, ...remove].find((label) => !LABELS.some((known) => known.id === label));
        if (unknown) return invalidArgument(`Invalid label: ${unknown}`);
        if (ids.some((messageId) => !MESSAGE_ID.test(messageId))) return invalidArgument('Invalid id value');
        // Gmail skips ids it does not know and answers 204 with an empty body.
        for (const messageId of ids) {
          const message = messages.get(messageId);
          if (message) changeLabels(message, add, remove);
        }
        return { status: 204 };
      }
      case 'POST messages/batchDelete': {
        const ids = (body['ids'] ?? []) as string[];
        if (ids.length === 0) return invalidArgument('No message ids specified.');
        if (ids.some((messageId) => !MESSAGE_ID.test(messageId))) return invalidArgument('Invalid id value');
        for (const messageId of ids) deleteMessage(messageId);
        return { status: 204 };
      }
      case 'DELETE messages/:id': {
        if (!messages.has(id)) return notFound();
        deleteMessage(id);
        return { status: 204 };
      }
      case 'GET history':
        return listHistory(request);
      case 'GET settings/filters':
        // ListFiltersResponse: the array is named `filter`, and left out when there is none.
        return json(200, filters.size > 0 ? { filter: [...filters.values()] } : {});
      case 'POST settings/filters': {
        const criteria = (body['criteria'] ?? {}) as Record<string, unknown>;
        const action = (body['action'] ?? {}) as Record<string, unknown>;
        if (Object.keys(criteria).length === 0) return invalidArgument('Filter criteria must be specified.');
        if (Object.keys(action).length === 0) return invalidArgument('Filter action must be specified.');
        const unknown = [
          ...((action['addLabelIds'] ?? []) as string[]),
          ...((action['removeLabelIds'] ?? []) as string[]),
        ].find((label) => !LABELS.some((known) => known.id === label));
        if (unknown) return invalidArgument(`Invalid label: ${unknown}`);
        const filter = { id: `ANe1Bm${randomBytes(9).toString('base64url')}`, criteria, action };
        filters.set(filter.id, filter);
        return json(200, filter);
      }
      case 'GET settings/vacation':
        return json(200, vacation);
      case 'PUT settings/vacation': {
        if (body['enableAutoReply'] === true && !body['responseBodyPlainText'] && !body['responseBodyHtml'])
          return invalidArgument('Vacation responder body must be specified when enabled.');
        // An update replaces the resource: fields left out are reset.
        vacation = { enableAutoReply: false, ...body };
        return json(200, vacation);
      }
      default:
        if (rest[0] === 'settings' && rest[1] === 'filters' && rest.length === 3) {
          const filter = filters.get(rest[2] as string);
          if (!filter) return notFound();
          if (request.method === 'GET') return json(200, filter);
          if (request.method === 'DELETE') {
            filters.delete(filter.id);
            return { status: 204 };
          }
        }
        if (route.startsWith('GET messages/:id/attachments/') && rest.length === 4) {
          if (!messages.has(id)) return notFound();
          const data = attachments.get(rest[3] as string);
          if (!data) return invalidArgument('Invalid attachment token');
          return json(200, { size: data.length, data: Buffer.from(data).toString('base64url') });
        }
        return {
          status: 404,
          headers: { 'content-type': 'text/html; charset=UTF-8' },
          text: '<!DOCTYPE html><title>Error 404 (Not Found)!!1</title>',
        };
    }
  }

  const server = await startRecordingServer((request) => route(request));
  return {
    url: server.url,
    requests: server.requests,
    messages,
    drafts,
    attachments,
    history,
    deleteBeforeGet: (id) => void deletedOnGet.add(id),
    close: server.close,
  };
}

/** A minimal RFC 2822 text for a seeded message, for format=raw. */
function synthesizeMime(message: GmailMessage): string {
  const lines = (message.payload?.headers ?? []).map((entry) => `${entry.name}: ${entry.value}`);
  const text = message.payload?.body?.data ? Buffer.from(message.payload.body.data, 'base64url').toString('utf8') : '';
  return `${lines.join('\r\n')}\r\n\r\n${text}`;
}
