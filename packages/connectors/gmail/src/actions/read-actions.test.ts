import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LABELS, IDS } from '../../test/mailbox-fixtures.js';
import { USER_TOKEN, bearer, startHarness, type Harness } from '../../test/harness.js';
import type { RecordedRequest } from '@plugboard/testkit';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

function only(): RecordedRequest {
  expect(harness.api.requests).toHaveLength(1);
  const request = harness.api.requests[0] as RecordedRequest;
  expect(request.headers['authorization']).toBe(`Bearer ${USER_TOKEN}`);
  expect(request.headers['accept']).toBe('application/json');
  expect(request.body).toBe('');
  return request;
}

describe('GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID', () => {
  it('reads one message in full, with its MIME part tree', async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: IDS.zoe },
      bearer(),
    );
    expect(result.error).toBeNull();
    expect(result.data).toMatchObject({
      id: IDS.zoe,
      threadId: IDS.zoe,
      subject: 'Réunion demain ☕',
      sender: 'Zoë Dupré <zoe@example.fr>',
      body: 'On se voit demain à 10 h ?\r\n\r\nZoë\r\n',
      historyId: '900102',
      sizeEstimate: 4100,
      payload: { mimeType: 'multipart/alternative', parts: [{ mimeType: 'text/plain' }, { mimeType: 'text/html' }] },
    });
    expect(only()).toMatchObject({ method: 'GET', url: `/gmail/v1/users/me/messages/${IDS.zoe}?format=full` });
  });

  it('passes format=metadata with metadataHeaders, and format=raw', async () => {
    const metadata = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: IDS.ada, format: 'metadata', metadataHeaders: ['Subject', 'message-id'] },
      bearer(),
    );
    expect(metadata.data).toMatchObject({ subject: 'Notes on the Analytical Engine', sender: '', body: '' });
    expect(metadata.data).not.toHaveProperty('payload');
    expect(only()).toMatchObject({
      method: 'GET',
      url: `/gmail/v1/users/me/messages/${IDS.ada}?format=metadata&metadataHeaders=Subject&metadataHeaders=message-id`,
    });

    harness.api.requests.length = 0;
    const raw = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: IDS.ada, format: 'raw' },
      bearer(),
    );
    expect(Buffer.from((raw.data as { raw: string }).raw, 'base64url').toString('utf8')).toContain(
      'Subject: Notes on the Analytical Engine',
    );
    expect(only()).toMatchObject({ url: `/gmail/v1/users/me/messages/${IDS.ada}?format=raw` });
  });

  it("answers Gmail's 404 and 400 as failed results", async () => {
    const missing = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: '18f1a0b2c3d4ffff' },
      bearer(),
    );
    expect(missing.error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 404,
      message: expect.stringContaining('Requested entity was not found.'),
    });
    expect((missing.error!.details as { body: unknown }).body).toEqual({
      error: {
        code: 404,
        message: 'Requested entity was not found.',
        errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }],
        status: 'NOT_FOUND',
      },
    });
    const malformed = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: 'not-an-id' },
      bearer(),
    );
    expect(malformed.error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 400,
      message: expect.stringContaining('Invalid id value'),
    });
  });

  it('encodes the message id as one path segment and refuses bad input before any request', async () => {
    const traversal = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: '../../profile' },
      bearer(),
    );
    expect(traversal.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 400 });
    expect(harness.api.requests[0]?.url).toBe('/gmail/v1/users/me/messages/..%2F..%2Fprofile?format=full');
    harness.api.requests.length = 0;
    for (const input of [
      {},
      { messageId: '' },
      { messageId: IDS.ada, format: 'html' },
      { messageId: IDS.ada, metadataHeaders: 'Subject' },
    ]) {
      expect(
        (await harness.toolset.executeAction('GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID', input, bearer())).error,
        JSON.stringify(input),
      ).toMatchObject({ code: 'INVALID_PARAMS' });
    }
    expect(harness.api.requests).toHaveLength(0);
  });

  it("is refused with Google's 403 for another user's mailbox", async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: IDS.ada, userId: 'someone.else@example.com' },
      bearer(),
    );
    expect(result.error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 403,
      message: expect.stringContaining('Delegation denied for someone.else@example.com'),
    });
  });
});

describe('GMAIL_LIST_LABELS', () => {
  it('lists system and user labels', async () => {
    const result = await harness.toolset.executeAction('GMAIL_LIST_LABELS', {}, bearer());
    expect(result.data).toEqual({ labels: LABELS });
    expect(only()).toMatchObject({ method: 'GET', url: '/gmail/v1/users/me/labels' });
    expect((await harness.toolset.executeAction('GMAIL_LIST_LABELS', { userId: 42 }, bearer())).error).toMatchObject({
      code: 'INVALID_PARAMS',
    });
    expect(harness.api.requests).toHaveLength(1);
  });
});

describe('GMAIL_LIST_THREADS', () => {
  it('lists threads newest first, page by page', async () => {
    const first = await harness.toolset.executeAction(
      'GMAIL_LIST_THREADS',
      { maxResults: 2, labelIds: ['INBOX'] },
      bearer(),
    );
    expect(first.data).toEqual({
      threads: [
        { id: IDS.ada, snippet: 'Dear friend, the engine computes Bernoulli numbers.', historyId: '900101' },
        { id: IDS.zoe, snippet: 'On se voit demain à 10 h ?', historyId: '900102' },
      ],
      nextPageToken: expect.any(String),
      resultSizeEstimate: 4,
    });
    expect(only()).toMatchObject({ method: 'GET', url: '/gmail/v1/users/me/threads?labelIds=INBOX&maxResults=2' });
    const token = (first.data as { nextPageToken: string }).nextPageToken;
    harness.api.requests.length = 0;
    const second = await harness.toolset.executeAction(
      'GMAIL_LIST_THREADS',
      { maxResults: 2, labelIds: ['INBOX'], pageToken: token, q: 'invoice OR digest', includeSpamTrash: false },
      bearer(),
    );
    expect(only()).toMatchObject({
      url: `/gmail/v1/users/me/threads?q=invoice+OR+digest&labelIds=INBOX&pageToken=${token}&includeSpamTrash=false&maxResults=2`,
    });
    expect(second.successful).toBe(true);
  });

  it('returns an empty list when nothing matches, and refuses bad input before any request', async () => {
    expect(
      (await harness.toolset.executeAction('GMAIL_LIST_THREADS', { q: 'subject:nothing-here' }, bearer())).data,
    ).toEqual({ threads: [], nextPageToken: null, resultSizeEstimate: 0 });
    harness.api.requests.length = 0;
    expect(
      (await harness.toolset.executeAction('GMAIL_LIST_THREADS', { maxResults: 1000 }, bearer())).error,
    ).toMatchObject({ code: 'INVALID_PARAMS' });
    expect(harness.api.requests).toHaveLength(0);
  });
});

describe('GMAIL_GET_PROFILE', () => {
  it("gets the mailbox's address and totals", async () => {
    const result = await harness.toolset.executeAction('GMAIL_GET_PROFILE', {}, bearer());
    expect(result.data).toEqual({
      emailAddress: 'me@example.com',
      messagesTotal: 7,
      threadsTotal: 6,
      historyId: '900200',
    });
    expect(only()).toMatchObject({ method: 'GET', url: '/gmail/v1/users/me/profile' });
  });
});
