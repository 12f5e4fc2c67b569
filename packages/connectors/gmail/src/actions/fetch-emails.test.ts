import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDS } from '../../test/mailbox-fixtures.js';
import { USER_TOKEN, bearer, startHarness, type Harness } from '../../test/harness.js';
import type { RecordedRequest } from '@plugboard/testkit';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

function expectApiRequest(request: RecordedRequest | undefined, method: string, url: string, token = USER_TOKEN): void {
  expect(request).toBeDefined();
  expect({ method: request?.method, url: request?.url }).toEqual({ method, url });
  expect(request?.headers['authorization']).toBe(`Bearer ${token}`);
  expect(request?.headers['accept']).toBe('application/json');
  expect(request?.body).toBe('');
}

const FULL = (id: string) => `/gmail/v1/users/me/messages/${id}?format=full`;

describe('seed flow: Gmail with a user-supplied bearer token -> GMAIL_FETCH_EMAILS', () => {
  it('connects with the token, lists the inbox and reads every message', async () => {
    const connection = await harness.toolset.initiateConnection({
      app: 'gmail',
      authMode: 'BEARER_TOKEN',
      entityId: 'user-42',
      connectedAccountParams: { token: USER_TOKEN },
    });
    expect(connection).toMatchObject({ connectionStatus: 'ACTIVE', redirectUrl: undefined });

    const result = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      { labelIds: ['INBOX'], maxResults: 3 },
      { entityId: 'user-42' },
    );
    expect(result.error).toBeNull();
    expect(result.successful).toBe(true);
    const data = result.data as {
      messages: Array<Record<string, unknown>>;
      nextPageToken: string | null;
      resultSizeEstimate: number;
    };
    expect(data.resultSizeEstimate).toBe(4);
    expect(data.nextPageToken).toEqual(expect.any(String));
    expect(data.messages.map((message) => message['id'])).toEqual([IDS.ada, IDS.zoe, IDS.invoice]);
    expect(data.messages[0]).toEqual({
      id: IDS.ada,
      threadId: IDS.ada,
      labelIds: ['IMPORTANT', 'UNREAD', 'INBOX'],
      snippet: 'Dear friend, the engine computes Bernoulli numbers.',
      subject: 'Notes on the Analytical Engine',
      sender: 'Ada Lovelace <ada@example.com>',
      to: 'me@example.com',
      cc: '',
      date: 'Mon, 20 Apr 2026 09:00:00 +0100',
      internalDate: String(Date.parse('2026-04-20T08:00:00Z')),
      body: 'Dear friend,\r\n\r\nthe engine computes Bernoulli numbers.\r\n\r\nAda\r\n',
      attachments: [],
    });
    expect(data.messages[1]).toMatchObject({
      subject: 'Réunion demain ☕',
      sender: 'Zoë Dupré <zoe@example.fr>',
      cc: 'Bob <bob@example.com>',
      body: 'On se voit demain à 10 h ?\r\n\r\nZoë\r\n',
    });
    expect(data.messages[2]).toMatchObject({
      subject: 'Your invoice',
      body: 'Your invoice for April is attached.\r\n',
      attachments: [
        {
          filename: 'invoice-2026-04.pdf',
          mimeType: 'application/pdf',
          size: 51234,
          attachmentId: 'ANGjdJ9fkTs-Invoice',
          partId: '1',
        },
      ],
    });

    const [list, ...gets] = harness.api.requests;
    expectApiRequest(list, 'GET', '/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=3');
    expect(gets).toHaveLength(3);
    // Read concurrently, so in any order; each exactly once.
    for (const request of gets) expectApiRequest(request, 'GET', request.url);
    expect(gets.map((request) => request.url).sort()).toEqual([FULL(IDS.ada), FULL(IDS.zoe), FULL(IDS.invoice)].sort());
    expect(new Set(harness.calls.map((call) => call.host))).toEqual(new Set(['gmail.googleapis.com']));
    expect(harness.calls[0]?.url).toBe(
      'https://gmail.googleapis.com/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=3',
    );
  });

  it('follows nextPageToken to the last page, which has no token', async () => {
    const first = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      { labelIds: ['INBOX'], maxResults: 3 },
      bearer(),
    );
    const token = (first.data as { nextPageToken: string }).nextPageToken;
    harness.api.requests.length = 0;
    const second = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      { labelIds: ['INBOX'], maxResults: 3, pageToken: token },
      bearer(),
    );
    expect(second.data).toMatchObject({
      nextPageToken: null,
      resultSizeEstimate: 4,
      messages: [{ id: IDS.digest, subject: 'Weekly digest', body: 'This week\nCafé culture & more\nRead on' }],
    });
    expectApiRequest(
      harness.api.requests[0],
      'GET',
      `/gmail/v1/users/me/messages?labelIds=INBOX&maxResults=3&pageToken=${token}`,
    );
  });

  it('sends q, several labelIds, includeSpamTrash, and reads headers only without the payload', async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      {
        q: 'from:ada@example.com is:unread',
        labelIds: ['INBOX', 'UNREAD'],
        includeSpamTrash: true,
        includePayload: false,
        userId: 'me@example.com',
      },
      bearer(),
    );
    expect(result.data).toEqual({
      messages: [
        expect.objectContaining({
          id: IDS.ada,
          subject: 'Notes on the Analytical Engine',
          sender: 'Ada Lovelace <ada@example.com>',
          body: '',
          attachments: [],
        }),
      ],
      nextPageToken: null,
      resultSizeEstimate: 1,
    });
    expectApiRequest(
      harness.api.requests[0],
      'GET',
      '/gmail/v1/users/me%40example.com/messages?q=from%3Aada%40example.com+is%3Aunread&labelIds=INBOX&labelIds=UNREAD&maxResults=10&includeSpamTrash=true',
    );
    expectApiRequest(
      harness.api.requests[1],
      'GET',
      `/gmail/v1/users/me%40example.com/messages/${IDS.ada}?format=metadata&metadataHeaders=Subject&metadataHeaders=From&metadataHeaders=To&metadataHeaders=Cc&metadataHeaders=Date`,
    );
  });

  it('includes SPAM and TRASH only when asked', async () => {
    const without = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      { maxResults: 50, includePayload: false },
      bearer(),
    );
    const ids = (without.data as { messages: Array<{ id: string }> }).messages.map((message) => message.id);
    expect(ids).not.toContain(IDS.spam);
    expect(ids).not.toContain(IDS.trashed);
    const withSpam = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      { maxResults: 50, includePayload: false, includeSpamTrash: true },
      bearer(),
    );
    expect((withSpam.data as { messages: Array<{ id: string }> }).messages.map((message) => message.id)).toEqual([
      IDS.spam,
      IDS.ada,
      IDS.myReply,
      IDS.zoe,
      IDS.invoice,
      IDS.digest,
      IDS.trashed,
    ]);
  });

  it('returns an empty page when nothing matches (Gmail then omits `messages`)', async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_FETCH_EMAILS',
      { q: 'subject:nothing-matches-this' },
      bearer(),
    );
    expect(result.data).toEqual({ messages: [], nextPageToken: null, resultSizeEstimate: 0 });
    expect(harness.api.requests).toHaveLength(1);
  });

  it('skips a message deleted between the list and the read (Gmail answers 404)', async () => {
    harness.api.deleteBeforeGet(IDS.zoe);
    const result = await harness.toolset.executeAction('GMAIL_FETCH_EMAILS', { labelIds: ['INBOX'] }, bearer());
    expect((result.data as { messages: Array<{ id: string }> }).messages.map((message) => message.id)).toEqual([
      IDS.ada,
      IDS.invoice,
      IDS.digest,
    ]);
  });

  it("returns Google's 401 as a failed result, with the token redacted", async () => {
    const result = await harness.toolset.executeAction('GMAIL_FETCH_EMAILS', {}, bearer('ya29.not-a-valid-token-123'));
    expect(result.successful).toBe(false);
    expect(result.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 401 });
    expect(result.error?.message).toContain('Request had invalid authentication credentials');
    expect((result.error!.details as { body: unknown }).body).toEqual({
      error: {
        code: 401,
        message: expect.stringContaining('Request had invalid authentication credentials.'),
        errors: [
          {
            message: 'Invalid Credentials',
            domain: 'global',
            reason: 'authError',
            location: 'Authorization',
            locationType: 'header',
          },
        ],
        status: 'UNAUTHENTICATED',
      },
    });
    expect(JSON.stringify(result)).not.toContain('ya29.not-a-valid-token-123');
  });

  it('refuses bad input before any request', async () => {
    for (const input of [
      { maxResults: 0 },
      { maxResults: 501 },
      { labelIds: 'INBOX' },
      { includePayload: 'yes' },
      { userId: '' },
      { pageToken: '' },
    ]) {
      const result = await harness.toolset.executeAction('GMAIL_FETCH_EMAILS', input, bearer());
      expect(result.error, JSON.stringify(input)).toMatchObject({ code: 'INVALID_PARAMS' });
    }
    expect(harness.api.requests).toHaveLength(0);
    expect(harness.calls).toHaveLength(0);
  });
});
