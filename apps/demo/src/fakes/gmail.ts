// A local Gmail API (gmail.googleapis.com/gmail/v1): messages.list and messages.get for one
// mailbox, with Google's error shape for a token it does not accept.

import { bearerToken, startServer, type LocalServer } from './http.js';

export interface FakeGmail {
  server: LocalServer;
  /** Accepts a Google access token for the mailbox (what Google does when the user grants access). */
  acceptToken(token: string): void;
  close(): Promise<void>;
}

interface Mail {
  id: string;
  threadId: string;
  labelIds: string[];
  from: string;
  subject: string;
  date: string;
  body: string;
}

const MAILBOX: Mail[] = [
  {
    id: '18c1f2a3b4c5d6e7',
    threadId: '18c1f2a3b4c5d6e7',
    labelIds: ['INBOX', 'UNREAD'],
    from: 'Mona Lisa <mona@widgets.example>',
    subject: 'PR #42 is ready for review',
    date: 'Sun, 22 Nov 2026 08:55:00 +0000',
    body: 'Hi Ada, the plugboard pull request is ready. Could you take a look today?',
  },
  {
    id: '18c1f29e8d7c6b5a',
    threadId: '18c1f29e8d7c6b5a',
    labelIds: ['INBOX', 'UNREAD'],
    from: 'Acme Widgets <orders@acme-widgets.example>',
    subject: 'New order #1001 from Grace Hopper',
    date: 'Sun, 22 Nov 2026 08:20:00 +0000',
    body: 'Grace Hopper ordered 3 x Deluxe Widget.',
  },
  {
    id: '18c1f1000a0b0c0d',
    threadId: '18c1f1000a0b0c0d',
    labelIds: ['INBOX'],
    from: 'Newsletter <news@widgets.example>',
    subject: 'Widget weekly',
    date: 'Sat, 21 Nov 2026 07:00:00 +0000',
    body: 'This week in widgets.',
  },
];

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function asGmailMessage(mail: Mail, format: string) {
  const headers = [
    { name: 'From', value: mail.from },
    { name: 'To', value: 'Ada Lovelace <ada@example.com>' },
    { name: 'Subject', value: mail.subject },
    { name: 'Date', value: mail.date },
  ];
  return {
    id: mail.id,
    threadId: mail.threadId,
    labelIds: mail.labelIds,
    snippet: mail.body.slice(0, 60),
    internalDate: String(Date.parse(mail.date)),
    payload:
      format === 'full'
        ? {
            partId: '',
            mimeType: 'text/plain',
            filename: '',
            headers,
            body: { size: mail.body.length, data: base64url(mail.body) },
          }
        : { partId: '', mimeType: 'text/plain', filename: '', headers },
  };
}

const UNAUTHENTICATED = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  json: {
    error: {
      code: 401,
      message:
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      status: 'UNAUTHENTICATED',
    },
  },
};

export async function startFakeGmail(): Promise<FakeGmail> {
  const tokens = new Set<string>();
  const server = await startServer((request) => {
    const token = bearerToken(request);
    if (token === undefined || !tokens.has(token)) return UNAUTHENTICATED;
    if (request.method === 'GET' && request.path === '/gmail/v1/users/me/messages') {
      const query = request.query.get('q') ?? '';
      const labels = request.query.getAll('labelIds');
      const maxResults = Number(request.query.get('maxResults') ?? '100');
      const matching = MAILBOX.filter(
        (mail) =>
          (!query.includes('is:unread') || mail.labelIds.includes('UNREAD')) &&
          labels.every((label) => mail.labelIds.includes(label)),
      );
      return {
        json: {
          messages: matching.slice(0, maxResults).map(({ id, threadId }) => ({ id, threadId })),
          resultSizeEstimate: matching.length,
        },
      };
    }
    const get = /^\/gmail\/v1\/users\/me\/messages\/([^/]+)$/.exec(request.path);
    const mail = get ? MAILBOX.find((candidate) => candidate.id === get[1]) : undefined;
    if (request.method === 'GET' && mail) return { json: asGmailMessage(mail, request.query.get('format') ?? 'full') };
    return {
      status: 404,
      json: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } },
    };
  });
  return {
    server,
    acceptToken: (token) => tokens.add(token),
    close: () => server.close(),
  };
}
