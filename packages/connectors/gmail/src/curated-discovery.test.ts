import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conformanceProblems, methodOf } from '../test/discovery-conformance.js';
import { bearer, startHarness, type Harness } from '../test/harness.js';
import { IDS } from '../test/mailbox-fixtures.js';

// The curated actions build their requests by hand; each one they send must still be a request the
// discovery document describes (generated actions: src/generated/gmail-methods.test.ts).
let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

const CASES: Array<[string, Record<string, unknown>, string[]]> = [
  [
    'GMAIL_FETCH_EMAILS',
    { q: 'from:ada', labelIds: ['INBOX'], maxResults: 3, includeSpamTrash: true },
    ['gmail.users.messages.list', 'gmail.users.messages.get'],
  ],
  ['GMAIL_FETCH_EMAILS', { includePayload: false }, ['gmail.users.messages.list', 'gmail.users.messages.get']],
  [
    'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
    { messageId: IDS.zoe, format: 'metadata', metadataHeaders: ['Subject', 'From'] },
    ['gmail.users.messages.get'],
  ],
  [
    'GMAIL_SEND_EMAIL',
    { to: 'ada@example.com', subject: 'Hi', body: 'Hello', threadId: IDS.ada },
    ['gmail.users.messages.send'],
  ],
  ['GMAIL_CREATE_EMAIL_DRAFT', { subject: 'Later', htmlBody: '<p>Later</p>' }, ['gmail.users.drafts.create']],
  [
    'GMAIL_REPLY_TO_THREAD',
    { threadId: IDS.zoe, body: 'Oui' },
    ['gmail.users.threads.get', 'gmail.users.messages.send'],
  ],
  [
    'GMAIL_REPLY_TO_THREAD',
    { threadId: IDS.zoe, messageId: IDS.zoe, body: 'Oui' },
    ['gmail.users.messages.get', 'gmail.users.messages.send'],
  ],
  ['GMAIL_LIST_LABELS', {}, ['gmail.users.labels.list']],
  [
    'GMAIL_ADD_LABEL_TO_EMAIL',
    { messageId: IDS.ada, addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] },
    ['gmail.users.messages.modify'],
  ],
  ['GMAIL_LIST_THREADS', { q: 'is:unread', maxResults: 2 }, ['gmail.users.threads.list']],
  ['GMAIL_MOVE_TO_TRASH', { messageId: IDS.invoice }, ['gmail.users.messages.trash']],
  ['GMAIL_GET_PROFILE', {}, ['gmail.users.getProfile']],
  [
    'GMAIL_GET_ATTACHMENT',
    { messageId: IDS.invoice, id: 'ANGjdJ9fkTs-Invoice', decode: 'base64' },
    ['gmail.users.messages.attachments.get'],
  ],
];

describe('every request of the curated actions conforms to the discovery document', () => {
  it.each(CASES)('%s %j', async (name, input, methods) => {
    const result = await harness.toolset.executeAction(name, input, bearer());
    expect(result.error).toBeNull();
    expect(harness.api.requests.length).toBeGreaterThan(0);
    for (const request of harness.api.requests) expect(conformanceProblems(request), request.url).toEqual([]);
    expect([...new Set(harness.api.requests.map((request) => methodOf(request)?.method.id))]).toEqual(methods);
  });
});
