import { runConnectorConformance } from '@plugboard/testkit';
import { gmail } from './index.js';

// The shared conformance suite of @plugboard/testkit, as third-party connectors run it. Composed
// messages carry a random MIME boundary, so their bodies are checked by decoding the raw message.
const mime = (raw: unknown) => Buffer.from(String(raw), 'base64url').toString('utf8');
/** A text part is sent base64-encoded. */
const encoded = (text: string) => new RegExp(Buffer.from(text).toString('base64'));
const sentMessage = (expected: RegExp[]) => (body: unknown) => {
  const raw =
    (body as { raw?: unknown; message?: { raw?: unknown } } | undefined)?.raw ??
    (body as { message?: { raw?: unknown } } | undefined)?.message?.raw;
  return typeof raw === 'string' && expected.every((pattern) => pattern.test(mime(raw)));
};
const original = {
  id: 'm1',
  threadId: 't1',
  labelIds: ['INBOX'],
  payload: {
    headers: [
      { name: 'Message-ID', value: '<abc@mail.example>' },
      { name: 'Subject', value: 'Lunch' },
      { name: 'From', value: 'Bob <bob@example.com>' },
    ],
  },
};

runConnectorConformance(gmail, {
  actions: {
    GMAIL_FETCH_EMAILS: {
      input: { q: 'from:bob', maxResults: 1 },
      request: [
        { method: 'GET', path: '/users/me/messages', query: { q: 'from:bob', maxResults: '1' } },
        { method: 'GET', path: '/users/me/messages/m1', query: { format: 'full' } },
      ],
      response: [{ json: { messages: [{ id: 'm1', threadId: 't1' }], resultSizeEstimate: 1 } }, { json: original }],
      invalidInputs: [{ maxResults: 0 }, { maxResults: 501 }],
    },
    GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID: {
      input: { messageId: 'm1', format: 'metadata', metadataHeaders: ['Subject', 'From'] },
      request: {
        method: 'GET',
        path: '/users/me/messages/m1',
        query: { format: 'metadata', metadataHeaders: ['Subject', 'From'] },
      },
      response: { json: original },
    },
    GMAIL_SEND_EMAIL: {
      input: { to: 'bob@example.com', subject: 'Hello', body: 'Hi Bob' },
      request: {
        method: 'POST',
        path: '/users/me/messages/send',
        body: sentMessage([/^To: bob@example\.com\r$/m, /^Subject: Hello\r$/m, encoded('Hi Bob')]),
      },
      response: { json: { id: 'm2', threadId: 't2', labelIds: ['SENT'] } },
      invalidInputs: [
        { subject: 'No recipient', body: 'x' },
        { to: 'not an address', body: 'x' },
        { to: 'bob@example.com', subject: 'Bcc:\r\nx', body: 'x' },
      ],
    },
    GMAIL_CREATE_EMAIL_DRAFT: {
      input: { subject: 'Draft', body: 'Later' },
      request: {
        method: 'POST',
        path: '/users/me/drafts',
        body: sentMessage([/^Subject: Draft\r$/m, encoded('Later')]),
      },
      response: { json: { id: 'd1', message: { id: 'm3', threadId: 't3', labelIds: ['DRAFT'] } } },
    },
    GMAIL_REPLY_TO_THREAD: {
      input: { threadId: 't1', messageId: 'm1', body: 'On my way' },
      request: [
        {
          method: 'GET',
          path: '/users/me/messages/m1',
          query: {
            format: 'metadata',
            metadataHeaders: ['Subject', 'From', 'Reply-To', 'To', 'Cc', 'Message-ID', 'References'],
          },
        },
        {
          method: 'POST',
          path: '/users/me/messages/send',
          body: (body: unknown) =>
            sentMessage([
              /^In-Reply-To: <abc@mail\.example>\r$/m,
              /^Subject: Re: Lunch\r$/m,
              /^To: .*bob@example\.com/m,
              encoded('On my way'),
            ])(body) && (body as { threadId?: string }).threadId === 't1',
        },
      ],
      response: [{ json: original }, { json: { id: 'm4', threadId: 't1', labelIds: ['SENT'] } }],
    },
    GMAIL_LIST_LABELS: {
      input: {},
      request: { method: 'GET', path: '/users/me/labels' },
      response: { json: { labels: [{ id: 'INBOX', name: 'INBOX', type: 'system' }] } },
    },
    GMAIL_ADD_LABEL_TO_EMAIL: {
      input: { messageId: 'm1', addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] },
      request: {
        method: 'POST',
        path: '/users/me/messages/m1/modify',
        body: { addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] },
      },
      response: { json: { id: 'm1', labelIds: ['INBOX', 'STARRED'] } },
    },
    GMAIL_LIST_THREADS: {
      input: { labelIds: ['INBOX'], maxResults: 5 },
      request: { method: 'GET', path: '/users/me/threads', query: { labelIds: 'INBOX', maxResults: '5' } },
      response: { json: { threads: [], resultSizeEstimate: 0 } },
    },
    GMAIL_MOVE_TO_TRASH: {
      input: { messageId: 'm1' },
      request: { method: 'POST', path: '/users/me/messages/m1/trash' },
      response: { json: { id: 'm1', labelIds: ['TRASH'] } },
    },
    GMAIL_GET_PROFILE: {
      input: {},
      request: { method: 'GET', path: '/users/me/profile' },
      response: { json: { emailAddress: 'jane@example.com', messagesTotal: 1 } },
    },
    GMAIL_GET_ATTACHMENT: {
      input: { messageId: 'm1', id: 'att1', decode: 'text' },
      request: { method: 'GET', path: '/users/me/messages/m1/attachments/att1' },
      response: { json: { size: 5, data: Buffer.from('héllo').toString('base64url') } },
      invalidInputs: [{ messageId: 'm1', id: 'att1', decode: 'binary' }],
    },
  },
});
