import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDS, MY_REPLY_MESSAGE_ID, ZOE_MESSAGE_ID } from '../../test/mailbox-fixtures.js';
import { USER_TOKEN, bearer, startHarness, type Harness } from '../../test/harness.js';
import type { RecordedRequest } from '@plugboard/testkit';
import { field, readRaw } from '../../test/raw-message.js';

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(async () => {
  await harness.close();
});

/** The request's JSON body, after checking the headers every Gmail call carries. */
function jsonBody(request: RecordedRequest | undefined, method: string, url: string): Record<string, unknown> {
  expect(request).toBeDefined();
  expect({ method: request?.method, url: request?.url }).toEqual({ method, url });
  expect(request?.headers['authorization']).toBe(`Bearer ${USER_TOKEN}`);
  expect(request?.headers['accept']).toBe('application/json');
  expect(request?.headers['content-type']).toBe('application/json');
  return JSON.parse(request?.body ?? '') as Record<string, unknown>;
}

async function expectRefusedOffline(action: string, inputs: unknown[]): Promise<void> {
  for (const input of inputs) {
    const result = await harness.toolset.executeAction(action, input, bearer());
    expect(result.error, JSON.stringify(input)).toMatchObject({ code: 'INVALID_PARAMS' });
  }
  expect(harness.api.requests).toHaveLength(0);
  expect(harness.calls).toHaveLength(0);
}

describe('GMAIL_SEND_EMAIL', () => {
  it('sends an RFC 5322 message as base64url `raw`, with every recipient kind, a non-ASCII subject and both bodies', async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_SEND_EMAIL',
      {
        to: ['Ada Lovelace <ada@example.com>', { email: 'zoe@example.fr', name: 'Zoë Dupré' }],
        cc: 'bob@example.com',
        bcc: [{ email: 'audit@example.com' }],
        subject: 'Réunion demain ☕ — ordre du jour',
        body: 'Bonjour à tous,\nvoici l’ordre du jour.',
        htmlBody: '<p>Bonjour à tous,<br>voici <b>l’ordre du jour</b>.</p>',
      },
      bearer(),
    );
    expect(result.error).toBeNull();
    expect(result.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      threadId: expect.stringMatching(/^[0-9a-f]{16}$/),
      labelIds: ['SENT'],
    });

    const body = jsonBody(harness.api.requests[0], 'POST', '/gmail/v1/users/me/messages/send');
    expect(Object.keys(body)).toEqual(['raw']);
    const { split, parsed } = await readRaw(body['raw'] as string);
    expect(split.fields.map((entry) => entry.name)).toEqual([
      'To',
      'Cc',
      'Bcc',
      'Subject',
      'Date',
      'MIME-Version',
      'Content-Type',
    ]);
    expect(field(split, 'Content-Type')).toMatch(/^multipart\/alternative; boundary="=_plugboard_[0-9a-f]{24}"$/);
    expect(Date.now() - Date.parse(field(split, 'Date') as string)).toBeLessThan(60_000);
    expect(parsed.to).toEqual([
      { name: 'Ada Lovelace', address: 'ada@example.com' },
      { name: 'Zoë Dupré', address: 'zoe@example.fr' },
    ]);
    expect(parsed.cc).toEqual([{ name: '', address: 'bob@example.com' }]);
    expect(parsed.bcc).toEqual([{ name: '', address: 'audit@example.com' }]);
    expect(parsed.subject).toBe('Réunion demain ☕ — ordre du jour');
    expect(parsed.text).toBe('Bonjour à tous,\r\nvoici l’ordre du jour.');
    expect(parsed.html).toBe('<p>Bonjour à tous,<br>voici <b>l’ordre du jour</b>.</p>');
  });

  it('sends a plain-text message from a send-as alias into a thread', async () => {
    await harness.toolset.executeAction(
      'GMAIL_SEND_EMAIL',
      {
        to: 'ada@example.com',
        from: 'Me at Work <me.work@example.com>',
        subject: 'Notes on the Analytical Engine',
        body: 'Thanks!',
        threadId: IDS.ada,
        userId: 'me@example.com',
      },
      bearer(),
    );
    const body = jsonBody(harness.api.requests[0], 'POST', '/gmail/v1/users/me%40example.com/messages/send');
    expect(body['threadId']).toBe(IDS.ada);
    const { split, parsed } = await readRaw(body['raw'] as string);
    expect(field(split, 'From')).toBe('"Me at Work" <me.work@example.com>');
    expect(field(split, 'Content-Type')).toBe('text/plain; charset=UTF-8');
    expect(field(split, 'Content-Transfer-Encoding')).toBe('base64');
    expect(parsed.text).toBe('Thanks!');
  });

  it('answers 404 for a thread id the mailbox does not have', async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_SEND_EMAIL',
      { to: 'ada@example.com', subject: 'x', threadId: 'zz' },
      bearer(),
    );
    expect(result.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 404 });
  });

  it('refuses header injection, malformed addresses and a message without recipients before anything is sent', async () => {
    await expectRefusedOffline('GMAIL_SEND_EMAIL', [
      { to: 'ada@example.com', subject: 'Hello\r\nBcc: victim@example.com' },
      { to: 'ada@example.com', subject: 'Hello\nBcc: victim@example.com' },
      { to: 'ada@example.com\r\nBcc: victim@example.com', subject: 'x' },
      { to: 'Ada\r\nBcc: victim@example.com <ada@example.com>', subject: 'x' },
      { to: { email: 'ada@example.com', name: 'Ada\nBcc: victim@example.com' } },
      { to: 'ada@example.com', cc: ['ok@example.com', 'bad\u0000@example.com'] },
      { to: 'ada@example.com', from: 'me@example.com\r\nReply-To: evil@example.com' },
      { to: 'not an address' },
      { to: 'ada@example.com, bob@example.com' },
      { to: [] },
      { subject: 'nobody to send to', body: 'x' },
      { to: 'ada@example.com', body: 'x\ud800' },
      { to: 'ada@example.com', subject: 42 },
    ]);
  });
});

describe('GMAIL_SEND_EMAIL with arbitrary input (property)', () => {
  const FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f]|\p{Cs}/u;
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('\r\n', '\n', '\r', '\r\nBcc: victim@example.com', '\u0000'),
        fc.string({ maxLength: 10 }),
      )
      .map((parts) => parts.join('')),
  );

  it('either refuses the input without a request, or Gmail receives exactly To, Cc, Subject and the MIME headers', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, text, async (subject, toName, ccName) => {
        harness.api.requests.length = 0;
        const input = {
          to: { email: 'ada@example.com', name: toName },
          cc: `${ccName} <cc@example.org>`,
          subject,
          body: subject,
        };
        const result = await harness.toolset.executeAction('GMAIL_SEND_EMAIL', input, bearer());
        if (!result.successful) {
          expect(result.error?.code).toBe('INVALID_PARAMS');
          expect(harness.api.requests).toHaveLength(0);
          // Refused only for a character that could break a header line, or a name the Name <address> form cannot hold.
          expect(
            FORBIDDEN.test(subject) || FORBIDDEN.test(toName) || FORBIDDEN.test(ccName) || /[<>]/.test(ccName),
          ).toBe(true);
          return;
        }
        expect([subject, toName, ccName].some((value) => FORBIDDEN.test(value))).toBe(false);
        const { split, parsed } = await readRaw(JSON.parse(harness.api.requests[0]?.body ?? '').raw);
        expect(split.fields.map((entry) => entry.name)).toEqual([
          'To',
          'Cc',
          ...(subject === '' ? [] : ['Subject']),
          'Date',
          'MIME-Version',
          'Content-Type',
          'Content-Transfer-Encoding',
        ]);
        expect(parsed.bcc).toBeUndefined();
        expect(parsed.to?.[0]).toMatchObject({ address: 'ada@example.com' });
        expect(parsed.cc?.[0]).toMatchObject({ address: 'cc@example.org' });
      }),
      { numRuns: 60 },
    );
  });
});

describe('GMAIL_CREATE_EMAIL_DRAFT', () => {
  it('saves a draft as { message: { raw, threadId } }, recipients optional', async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_CREATE_EMAIL_DRAFT',
      { subject: 'Idées 💡', htmlBody: '<p>À compléter</p>', threadId: IDS.zoe },
      bearer(),
    );
    expect(result.data).toEqual({
      id: expect.stringMatching(/^r\d+$/),
      message: { id: expect.any(String), threadId: expect.any(String), labelIds: ['DRAFT'] },
    });
    const body = jsonBody(harness.api.requests[0], 'POST', '/gmail/v1/users/me/drafts');
    expect(Object.keys(body)).toEqual(['message']);
    const message = body['message'] as Record<string, unknown>;
    expect(message['threadId']).toBe(IDS.zoe);
    const { split, parsed } = await readRaw(message['raw'] as string);
    expect(split.fields.map((entry) => entry.name)).toEqual([
      'Subject',
      'Date',
      'MIME-Version',
      'Content-Type',
      'Content-Transfer-Encoding',
    ]);
    expect(parsed.subject).toBe('Idées 💡');
    expect(parsed.html).toBe('<p>À compléter</p>');
    expect(harness.api.drafts.size).toBe(1);
  });

  it('refuses injection before anything is sent', async () => {
    await expectRefusedOffline('GMAIL_CREATE_EMAIL_DRAFT', [
      { subject: 'a\r\nb' },
      { to: 'x@y' },
      { cc: 'Zoë\n <zoe@example.fr>' },
    ]);
  });
});

describe('GMAIL_REPLY_TO_THREAD', () => {
  it("answers the thread's latest message: Re: subject, In-Reply-To, References, its recipients when the user wrote it", async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_REPLY_TO_THREAD',
      { threadId: IDS.zoe, body: 'Une dernière chose…' },
      bearer(),
    );
    expect(result.error).toBeNull();
    expect(result.data).toEqual({ id: expect.any(String), threadId: IDS.zoe, labelIds: ['SENT'] });

    const [threadGet, send] = harness.api.requests;
    expect(threadGet).toMatchObject({
      method: 'GET',
      url: `/gmail/v1/users/me/threads/${IDS.zoe}?format=metadata&metadataHeaders=Subject&metadataHeaders=From&metadataHeaders=Reply-To&metadataHeaders=To&metadataHeaders=Cc&metadataHeaders=Message-ID&metadataHeaders=References`,
      body: '',
    });
    expect(threadGet?.headers['authorization']).toBe(`Bearer ${USER_TOKEN}`);
    const body = jsonBody(send, 'POST', '/gmail/v1/users/me/messages/send');
    expect(body['threadId']).toBe(IDS.zoe);
    const { split, parsed } = await readRaw(body['raw'] as string);
    expect(field(split, 'In-Reply-To')).toBe(MY_REPLY_MESSAGE_ID);
    expect(field(split, 'References')).toBe(`${ZOE_MESSAGE_ID} ${MY_REPLY_MESSAGE_ID}`);
    // The latest message is the user's own (SENT): the reply goes to its recipients, and the subject keeps its single "Re: ".
    expect(parsed.to).toEqual([
      { name: 'Zoë Dupré', address: 'zoe@example.fr' },
      { name: 'Dupont, Jean', address: 'jean@example.fr' },
    ]);
    expect(parsed.subject).toBe('Re: Réunion demain ☕');
    expect(parsed.text).toBe('Une dernière chose…');
    // Gmail threaded it: same thread, Re: subject.
    expect(harness.api.messages.get((result.data as { id: string }).id)?.threadId).toBe(IDS.zoe);
  });

  it('answers a given message: fetches its Message-ID, replies to Reply-To, prefixes "Re: "', async () => {
    await harness.toolset.executeAction(
      'GMAIL_REPLY_TO_THREAD',
      { threadId: IDS.zoe, messageId: IDS.zoe, body: 'Oui !', htmlBody: '<p>Oui&nbsp;!</p>', cc: 'bob@example.com' },
      bearer(),
    );
    const [messageGet, send] = harness.api.requests;
    expect(messageGet).toMatchObject({
      method: 'GET',
      url: `/gmail/v1/users/me/messages/${IDS.zoe}?format=metadata&metadataHeaders=Subject&metadataHeaders=From&metadataHeaders=Reply-To&metadataHeaders=To&metadataHeaders=Cc&metadataHeaders=Message-ID&metadataHeaders=References`,
    });
    const body = jsonBody(send, 'POST', '/gmail/v1/users/me/messages/send');
    const { split, parsed } = await readRaw(body['raw'] as string);
    expect(field(split, 'In-Reply-To')).toBe(ZOE_MESSAGE_ID);
    expect(field(split, 'References')).toBe(ZOE_MESSAGE_ID);
    expect(parsed.to).toEqual([{ name: 'Zoë (bureau)', address: 'zoe.bureau@example.fr' }]);
    expect(parsed.cc).toEqual([{ name: '', address: 'bob@example.com' }]);
    expect(parsed.subject).toBe('Re: Réunion demain ☕');
    expect(parsed.html).toBe('<p>Oui&nbsp;!</p>');
  });

  it('replies to the From address and to an explicit `to`', async () => {
    await harness.toolset.executeAction('GMAIL_REPLY_TO_THREAD', { threadId: IDS.ada, body: 'Fascinating.' }, bearer());
    let parsed = (await readRaw(JSON.parse(harness.api.requests[1]?.body ?? '').raw)).parsed;
    expect(parsed.to).toEqual([{ name: 'Ada Lovelace', address: 'ada@example.com' }]);
    expect(parsed.subject).toBe('Re: Notes on the Analytical Engine');
    harness.api.requests.length = 0;
    await harness.toolset.executeAction(
      'GMAIL_REPLY_TO_THREAD',
      { threadId: IDS.ada, to: 'charles@example.com', body: 'FYI' },
      bearer(),
    );
    parsed = (await readRaw(JSON.parse(harness.api.requests[1]?.body ?? '').raw)).parsed;
    expect(parsed.to).toEqual([{ name: '', address: 'charles@example.com' }]);
  });

  it('refuses a message from another thread, and bad input before anything is sent', async () => {
    const wrongThread = await harness.toolset.executeAction(
      'GMAIL_REPLY_TO_THREAD',
      { threadId: IDS.zoe, messageId: IDS.ada, body: 'x' },
      bearer(),
    );
    expect(wrongThread.error).toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining(`belongs to thread ${IDS.ada}`),
    });
    expect(harness.api.requests.map((request) => request.method)).toEqual(['GET']);
    harness.api.requests.length = 0;
    harness.calls.length = 0;
    await expectRefusedOffline('GMAIL_REPLY_TO_THREAD', [
      { body: 'no thread' },
      { threadId: IDS.ada, to: 'x\r\nBcc: y@example.com' },
      { threadId: IDS.ada, cc: 'nope' },
    ]);
  });

  it("answers Gmail's 404 for an unknown thread", async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_REPLY_TO_THREAD',
      { threadId: '18f1a0b2c3d4ffff', body: 'x' },
      bearer(),
    );
    expect(result.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 404 });
    expect(harness.api.requests).toHaveLength(1);
  });
});

describe('GMAIL_ADD_LABEL_TO_EMAIL', () => {
  it('adds and removes labels', async () => {
    const result = await harness.toolset.executeAction(
      'GMAIL_ADD_LABEL_TO_EMAIL',
      { messageId: IDS.ada, addLabelIds: ['STARRED', 'Label_1'], removeLabelIds: ['UNREAD'] },
      bearer(),
    );
    expect(result.data).toEqual({
      id: IDS.ada,
      threadId: IDS.ada,
      labelIds: ['IMPORTANT', 'INBOX', 'STARRED', 'Label_1'],
    });
    expect(jsonBody(harness.api.requests[0], 'POST', `/gmail/v1/users/me/messages/${IDS.ada}/modify`)).toEqual({
      addLabelIds: ['STARRED', 'Label_1'],
      removeLabelIds: ['UNREAD'],
    });
  });

  it('answers to its alias, reports an unknown label, and refuses an empty change before any request', async () => {
    const unknown = await harness.toolset.executeAction(
      'GMAIL_MODIFY_EMAIL_LABELS',
      { messageId: IDS.ada, addLabelIds: ['Label_99'] },
      bearer(),
    );
    expect(unknown.error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      status: 400,
      message: expect.stringContaining('Invalid label: Label_99'),
    });
    expect(jsonBody(harness.api.requests[0], 'POST', `/gmail/v1/users/me/messages/${IDS.ada}/modify`)).toEqual({
      addLabelIds: ['Label_99'],
    });
    harness.api.requests.length = 0;
    harness.calls.length = 0;
    await expectRefusedOffline('GMAIL_ADD_LABEL_TO_EMAIL', [
      { messageId: IDS.ada },
      { messageId: IDS.ada, addLabelIds: [] },
      { addLabelIds: ['STARRED'] },
      { messageId: IDS.ada, removeLabelIds: [''] },
    ]);
  });
});

describe('GMAIL_MOVE_TO_TRASH', () => {
  it('trashes a message with an empty POST', async () => {
    const result = await harness.toolset.executeAction('GMAIL_MOVE_TO_TRASH', { messageId: IDS.invoice }, bearer());
    expect(result.data).toEqual({ id: IDS.invoice, threadId: IDS.invoice, labelIds: ['Label_1', 'TRASH'] });
    const request = harness.api.requests[0];
    expect(request).toMatchObject({
      method: 'POST',
      url: `/gmail/v1/users/me/messages/${IDS.invoice}/trash`,
      body: '',
    });
    expect(request?.headers['authorization']).toBe(`Bearer ${USER_TOKEN}`);
    expect(request?.headers['content-type']).toBeUndefined();
    const listed = await harness.toolset.executeAction('GMAIL_FETCH_EMAILS', { includePayload: false }, bearer());
    expect((listed.data as { messages: Array<{ id: string }> }).messages.map((message) => message.id)).not.toContain(
      IDS.invoice,
    );
  });

  it('refuses a missing id before any request', async () => {
    await expectRefusedOffline('GMAIL_MOVE_TO_TRASH', [{}, { messageId: '' }]);
  });
});
