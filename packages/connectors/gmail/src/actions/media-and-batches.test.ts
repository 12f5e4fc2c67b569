import { afterEach, describe, expect, it } from 'vitest';
import { conformanceProblems, splitMultipart } from '../../test/discovery-conformance.js';
import { INVOICE_PDF } from '../../test/fake-gmail-api.js';
import { bearer, startHarness, type Harness } from '../../test/harness.js';
import { IDS } from '../../test/mailbox-fixtures.js';
import { gmailConnector } from '../index.js';

let harness: Harness;
afterEach(async () => {
  await harness.close();
});

/** An RFC 822 message with a text attachment of `size` bytes, base64url as `raw` takes it. */
function rawMessage(size: number): { raw: string; attachment: string } {
  const attachment = `${'Ligne de données, été 2026; '.repeat(Math.ceil(size / 30))}`.slice(0, size);
  const mime = [
    'From: me@example.com',
    'To: Ada Lovelace <ada@example.com>',
    'Subject: Report',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'The report is attached.',
    '--b1',
    'Content-Type: text/csv; charset=UTF-8; name="report.csv"',
    'Content-Disposition: attachment; filename="report.csv"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(attachment).toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
  return { raw: Buffer.from(mime).toString('base64url'), attachment };
}

describe('GMAIL_GET_ATTACHMENT', () => {
  it("returns Gmail's base64url by default, standard base64 or UTF-8 text on request", async () => {
    harness = await startHarness();
    const input = { messageId: IDS.invoice, id: 'ANGjdJ9fkTs-Invoice' };
    const asSent = await harness.toolset.executeAction('GMAIL_GET_ATTACHMENT', input, bearer());
    expect(asSent.data).toEqual({
      attachmentId: 'ANGjdJ9fkTs-Invoice',
      size: 51234,
      encoding: 'base64url',
      data: Buffer.from(INVOICE_PDF).toString('base64url'),
    });
    const base64 = await harness.toolset.executeAction(
      'GMAIL_GET_ATTACHMENT',
      { ...input, decode: 'base64' },
      bearer(),
    );
    expect(base64.data).toMatchObject({ encoding: 'base64', size: 51234 });
    expect(Buffer.from((base64.data as { data: string }).data, 'base64')).toEqual(Buffer.from(INVOICE_PDF));
    expect((base64.data as { data: string }).data).toMatch(/^[A-Za-z0-9+/]+=*$/);
    for (const request of harness.api.requests) {
      expect(request.url).toBe(`/gmail/v1/users/me/messages/${IDS.invoice}/attachments/ANGjdJ9fkTs-Invoice`);
      expect(conformanceProblems(request)).toEqual([]);
    }
  });

  it('decodes a text attachment, and refuses to call a PDF text', async () => {
    harness = await startHarness({ connector: gmailConnector({ uploadThresholdBytes: 100 }) });
    const { raw, attachment } = rawMessage(300);
    const sent = await harness.toolset.executeAction('GMAIL_SEND_MESSAGE', { raw }, bearer());
    const id = (sent.data as { id: string }).id;
    const message = await harness.toolset.executeAction(
      'GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID',
      { messageId: id },
      bearer(),
    );
    const [file] = (message.data as { attachments: Array<{ attachmentId: string; filename: string }> }).attachments;
    expect(file?.filename).toBe('report.csv');
    const text = await harness.toolset.executeAction(
      'GMAIL_GET_ATTACHMENT',
      { messageId: id, id: file?.attachmentId, decode: 'text' },
      bearer(),
    );
    expect(text.data).toEqual({
      attachmentId: file?.attachmentId,
      size: Buffer.byteLength(attachment),
      encoding: 'text',
      data: attachment,
    });
    const pdf = await harness.toolset.executeAction(
      'GMAIL_GET_ATTACHMENT',
      { messageId: IDS.invoice, id: 'ANGjdJ9fkTs-Invoice', decode: 'text' },
      bearer(),
    );
    expect(pdf.error).toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining("decode: 'base64'") });
  });
});

describe('GMAIL_SEND_MESSAGE with raw RFC 822', () => {
  it('sends a small message as JSON and a large one through the upload endpoint (multipart)', async () => {
    harness = await startHarness({
      api: { jsonBodyLimitBytes: 4_000 },
      connector: gmailConnector({ uploadThresholdBytes: 2_000 }),
    });
    const small = rawMessage(200);
    const smallResult = await harness.toolset.executeAction('GMAIL_SEND_MESSAGE', { raw: small.raw }, bearer());
    expect(smallResult.error).toBeNull();
    expect(harness.api.requests[0]).toMatchObject({ method: 'POST', url: '/gmail/v1/users/me/messages/send' });
    expect(JSON.parse(harness.api.requests[0]?.body ?? '')).toEqual({ raw: small.raw });

    const large = rawMessage(6_000);
    const largeResult = await harness.toolset.executeAction(
      'GMAIL_SEND_MESSAGE',
      { raw: large.raw, threadId: IDS.ada },
      bearer(),
    );
    expect(largeResult.error).toBeNull();
    const upload = harness.api.requests[1]!;
    expect(upload).toMatchObject({
      method: 'POST',
      url: '/upload/gmail/v1/users/me/messages/send?uploadType=multipart',
    });
    expect(upload.headers['authorization']).toBe(bearer().auth.parameters[0]?.value);
    expect(upload.headers['content-type']).toMatch(/^multipart\/related; boundary=plugboard_[A-Za-z0-9_-]+$/);
    expect(conformanceProblems(upload)).toEqual([]);
    const parts = splitMultipart(upload);
    expect(JSON.parse(parts?.metadata ?? '')).toEqual({ threadId: IDS.ada });
    expect(parts?.mediaHeaders).toBe('Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64');
    expect(Buffer.from(parts?.media.replace(/\r\n/g, '') ?? '', 'base64')).toEqual(Buffer.from(large.raw, 'base64url'));
    // Gmail stored it whole: the attachment reads back as sent.
    const stored = harness.api.messages.get((largeResult.data as { id: string }).id);
    expect(stored?.labelIds).toEqual(['SENT']);
    const attachmentId = stored?.payload?.parts?.find((part) => part.filename === 'report.csv')?.body?.attachmentId;
    expect(Buffer.from(harness.api.attachments.get(attachmentId ?? '') ?? []).toString('utf8')).toBe(large.attachment);
  });

  it('fails with Google’s 413 when a large message goes as JSON, which the threshold avoids', async () => {
    harness = await startHarness({
      api: { jsonBodyLimitBytes: 4_000 },
      connector: gmailConnector({ uploadThresholdBytes: 1_000_000 }),
    });
    const result = await harness.toolset.executeAction('GMAIL_SEND_MESSAGE', { raw: rawMessage(6_000).raw }, bearer());
    expect(result.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 413 });
  });

  it('refuses a raw message that is not base64url text before anything is sent', async () => {
    harness = await startHarness();
    const result = await harness.toolset.executeAction('GMAIL_SEND_MESSAGE', { raw: 42 }, bearer());
    expect(result.error).toMatchObject({ code: 'INVALID_PARAMS' });
    expect(harness.api.requests).toHaveLength(0);
  });
});

describe('GMAIL_BATCH_MODIFY_MESSAGES and GMAIL_BATCH_DELETE_MESSAGES', () => {
  it('change the labels of several messages in one request', async () => {
    harness = await startHarness();
    const result = await harness.toolset.executeAction(
      'GMAIL_BATCH_MODIFY_MESSAGES',
      { ids: [IDS.ada, IDS.invoice], addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] },
      bearer(),
    );
    expect(result).toEqual({ successful: true, data: null, error: null });
    const [request] = harness.api.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/gmail/v1/users/me/messages/batchModify' });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      addLabelIds: ['STARRED'],
      ids: [IDS.ada, IDS.invoice],
      removeLabelIds: ['UNREAD'],
    });
    expect(conformanceProblems(request!)).toEqual([]);
    for (const id of [IDS.ada, IDS.invoice]) {
      expect(harness.api.messages.get(id)?.labelIds).toContain('STARRED');
      expect(harness.api.messages.get(id)?.labelIds).not.toContain('UNREAD');
    }
  });

  it('delete several messages for good, and report Gmail’s refusal of an unknown label', async () => {
    harness = await startHarness();
    const deleted = await harness.toolset.executeAction(
      'GMAIL_BATCH_DELETE_MESSAGES',
      { ids: [IDS.spam, IDS.trashed] },
      bearer(),
    );
    expect(deleted.successful).toBe(true);
    expect(JSON.parse(harness.api.requests[0]?.body ?? '')).toEqual({ ids: [IDS.spam, IDS.trashed] });
    expect(harness.api.messages.has(IDS.spam)).toBe(false);
    expect(harness.api.messages.has(IDS.trashed)).toBe(false);
    const refused = await harness.toolset.executeAction(
      'GMAIL_BATCH_MODIFY_MESSAGES',
      { ids: [IDS.ada], addLabelIds: ['Label_99'] },
      bearer(),
    );
    expect(refused.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 400 });
  });
});

describe('polling with GMAIL_LIST_HISTORY', () => {
  it('fetches what changed since a saved historyId, page by page, then only what is newer', async () => {
    harness = await startHarness();
    const profile = await harness.toolset.executeAction('GMAIL_GET_PROFILE', {}, bearer());
    const saved = (profile.data as { historyId: string }).historyId;

    await harness.toolset.executeAction(
      'GMAIL_SEND_EMAIL',
      { to: 'ada@example.com', subject: 'Hello', body: 'Hi' },
      bearer(),
    );
    await harness.toolset.executeAction(
      'GMAIL_ADD_LABEL_TO_EMAIL',
      { messageId: IDS.ada, addLabelIds: ['STARRED'] },
      bearer(),
    );
    await harness.toolset.executeAction('GMAIL_MOVE_TO_TRASH', { messageId: IDS.invoice }, bearer());

    type HistoryPage = {
      history?: Array<{ id: string; messagesAdded?: unknown[]; labelsAdded?: Array<{ labelIds: string[] }> }>;
      nextPageToken?: string;
      historyId: string;
    };
    const first = await harness.toolset.executeAction(
      'GMAIL_LIST_HISTORY',
      { startHistoryId: saved, maxResults: 2 },
      bearer(),
    );
    const firstPage = first.data as HistoryPage;
    expect(firstPage.history).toHaveLength(2);
    expect(firstPage.nextPageToken).toEqual(expect.any(String));
    const second = await harness.toolset.executeAction(
      'GMAIL_LIST_HISTORY',
      { startHistoryId: saved, maxResults: 2, pageToken: firstPage.nextPageToken },
      bearer(),
    );
    const records = [...(firstPage.history ?? []), ...((second.data as HistoryPage).history ?? [])];
    expect(records.map((record) => Object.keys(record).filter((key) => key !== 'id' && key !== 'messages'))).toEqual([
      ['messagesAdded'],
      ['labelsAdded'],
      ['labelsAdded'],
      ['labelsRemoved'],
    ]);
    expect(records.map((record) => Number(record.id))).toEqual(
      [...records.map((record) => Number(record.id))].sort((a, b) => a - b),
    );

    // Only label changes, as a trigger on "starred" would ask.
    const labels = await harness.toolset.executeAction(
      'GMAIL_LIST_HISTORY',
      { startHistoryId: saved, historyTypes: ['labelAdded'], labelId: 'STARRED' },
      bearer(),
    );
    expect((labels.data as HistoryPage).history?.map((record) => record.labelsAdded?.[0]?.labelIds)).toEqual([
      ['STARRED'],
    ]);

    // The answer's historyId is the next saved point: nothing changed since.
    const latest = (second.data as HistoryPage).historyId;
    const nothing = await harness.toolset.executeAction('GMAIL_LIST_HISTORY', { startHistoryId: latest }, bearer());
    expect(nothing.data).toEqual({ historyId: latest });
    for (const request of harness.api.requests.filter((entry) => entry.path.endsWith('/history')))
      expect(conformanceProblems(request)).toEqual([]);
    expect(harness.api.requests.at(-2)?.url).toBe(
      `/gmail/v1/users/me/history?historyTypes=labelAdded&labelId=STARRED&startHistoryId=${saved}`,
    );
  });

  it('answers 404 for a historyId too old to sync from (do a full sync then), and needs startHistoryId', async () => {
    harness = await startHarness();
    const old = await harness.toolset.executeAction('GMAIL_LIST_HISTORY', { startHistoryId: '12' }, bearer());
    expect(old.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 404 });
    const missing = await harness.toolset.executeAction('GMAIL_LIST_HISTORY', {}, bearer());
    expect(missing.error).toMatchObject({ code: 'INVALID_PARAMS' });
    expect(harness.api.requests).toHaveLength(1);
  });
});

describe('generated settings actions against the fake Gmail', () => {
  it('create, list, get and delete a filter', async () => {
    harness = await startHarness();
    const created = await harness.toolset.executeAction(
      'GMAIL_CREATE_FILTER',
      { criteria: { from: 'billing@example.com' }, action: { addLabelIds: ['Label_1'], removeLabelIds: ['INBOX'] } },
      bearer(),
    );
    expect(created.error).toBeNull();
    const filter = created.data as { id: string };
    expect(created.data).toEqual({
      id: expect.any(String),
      criteria: { from: 'billing@example.com' },
      action: { addLabelIds: ['Label_1'], removeLabelIds: ['INBOX'] },
    });
    const listed = await harness.toolset.executeAction('GMAIL_LIST_FILTERS', {}, bearer());
    expect(listed.data).toEqual({ filter: [created.data] });
    const got = await harness.toolset.executeAction('GMAIL_GET_FILTER', { id: filter.id }, bearer());
    expect(got.data).toEqual(created.data);
    const deleted = await harness.toolset.executeAction('GMAIL_DELETE_FILTER', { id: filter.id }, bearer());
    expect(deleted).toEqual({ successful: true, data: null, error: null });
    expect((await harness.toolset.executeAction('GMAIL_LIST_FILTERS', {}, bearer())).data).toEqual({});
    const gone = await harness.toolset.executeAction('GMAIL_GET_FILTER', { id: filter.id }, bearer());
    expect(gone.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 404 });
    expect(harness.api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /gmail/v1/users/me/settings/filters',
      'GET /gmail/v1/users/me/settings/filters',
      `GET /gmail/v1/users/me/settings/filters/${filter.id}`,
      `DELETE /gmail/v1/users/me/settings/filters/${filter.id}`,
      'GET /gmail/v1/users/me/settings/filters',
      `GET /gmail/v1/users/me/settings/filters/${filter.id}`,
    ]);
    for (const request of harness.api.requests) expect(conformanceProblems(request)).toEqual([]);
  });

  it('turn the vacation responder on with GMAIL_UPDATE_VACATION_SETTINGS', async () => {
    harness = await startHarness();
    const settings = {
      enableAutoReply: true,
      responseSubject: 'Absent',
      responseBodyPlainText: 'Back on Monday.',
      restrictToContacts: true,
      startTime: '1767225600000',
    };
    const updated = await harness.toolset.executeAction('GMAIL_UPDATE_VACATION_SETTINGS', settings, bearer());
    expect(updated.data).toEqual(settings);
    expect(harness.api.requests[0]).toMatchObject({ method: 'PUT', path: '/gmail/v1/users/me/settings/vacation' });
    expect(JSON.parse(harness.api.requests[0]?.body ?? '')).toEqual(settings);
    expect((await harness.toolset.executeAction('GMAIL_GET_VACATION_SETTINGS', {}, bearer())).data).toEqual(settings);
    const refused = await harness.toolset.executeAction(
      'GMAIL_UPDATE_VACATION_SETTINGS',
      { enableAutoReply: true },
      bearer(),
    );
    expect(refused.error).toMatchObject({ code: 'UPSTREAM_ERROR', status: 400 });
    // startTime is an int64 carried as a string: a number is refused before sending.
    const wrongType = await harness.toolset.executeAction(
      'GMAIL_UPDATE_VACATION_SETTINGS',
      { enableAutoReply: true, startTime: 1767225600000 },
      bearer(),
    );
    expect(wrongType.error).toMatchObject({ code: 'INVALID_PARAMS' });
    expect(harness.api.requests).toHaveLength(3);
  });
});
