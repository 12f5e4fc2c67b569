import type { GmailMessage, GmailMessagePart } from '../src/index.js';

/**
 * A small mailbox in the shape Gmail's API returns messages (format=full): ids of 16 hex digits,
 * thread ids equal to the first message's id, headers as sent, part bodies as base64url with the
 * transfer encoding removed and text in UTF-8 (even where the part declares another charset).
 */

export const MAILBOX_ADDRESS = 'me@example.com';

export const IDS = {
  ada: '18f1a0b2c3d4e501',
  zoe: '18f1a0b2c3d4e502',
  myReply: '18f1a0b2c3d4e503',
  invoice: '18f1a0b2c3d4e504',
  digest: '18f1a0b2c3d4e505',
  spam: '18f1a0b2c3d4e506',
  trashed: '18f1a0b2c3d4e507',
} as const;

export const ZOE_MESSAGE_ID = '<CAF=zoe.1+reunion@mail.example.fr>';
export const MY_REPLY_MESSAGE_ID = '<CAM=me.reply.1@mail.gmail.com>';

const data = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const at = (iso: string) => String(Date.parse(iso));

export function textPart(
  partId: string,
  mimeType: 'text/plain' | 'text/html',
  text: string,
  charset = 'UTF-8',
): GmailMessagePart {
  return {
    partId,
    mimeType,
    filename: '',
    headers: [
      { name: 'Content-Type', value: `${mimeType}; charset="${charset}"` },
      { name: 'Content-Transfer-Encoding', value: 'quoted-printable' },
    ],
    body: { size: Buffer.byteLength(text), data: data(text) },
  };
}

function headers(values: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

export function seedMessages(): GmailMessage[] {
  return [
    {
      id: IDS.ada,
      threadId: IDS.ada,
      labelIds: ['IMPORTANT', 'UNREAD', 'INBOX'],
      snippet: 'Dear friend, the engine computes Bernoulli numbers.',
      historyId: '900101',
      internalDate: at('2026-04-20T08:00:00Z'),
      sizeEstimate: 2210,
      payload: {
        partId: '',
        mimeType: 'text/plain',
        filename: '',
        headers: headers({
          'Delivered-To': MAILBOX_ADDRESS,
          'MIME-Version': '1.0',
          Date: 'Mon, 20 Apr 2026 09:00:00 +0100',
          'Message-ID': '<ada.1@example.com>',
          Subject: 'Notes on the Analytical Engine',
          From: 'Ada Lovelace <ada@example.com>',
          To: MAILBOX_ADDRESS,
          'Content-Type': 'text/plain; charset="UTF-8"',
        }),
        body: { size: 71, data: data('Dear friend,\r\n\r\nthe engine computes Bernoulli numbers.\r\n\r\nAda\r\n') },
      },
    },
    {
      id: IDS.zoe,
      threadId: IDS.zoe,
      labelIds: ['CATEGORY_PERSONAL', 'INBOX'],
      snippet: 'On se voit demain à 10 h ?',
      historyId: '900102',
      internalDate: at('2026-04-19T09:00:00Z'),
      sizeEstimate: 4100,
      payload: {
        partId: '',
        mimeType: 'multipart/alternative',
        filename: '',
        headers: headers({
          'MIME-Version': '1.0',
          Date: 'Sun, 19 Apr 2026 11:00:00 +0200',
          'Message-ID': ZOE_MESSAGE_ID,
          Subject: 'Réunion demain ☕',
          From: 'Zoë Dupré <zoe@example.fr>',
          'Reply-To': '"Zoë (bureau)" <zoe.bureau@example.fr>',
          To: 'Me <me@example.com>',
          Cc: 'Bob <bob@example.com>',
          'Content-Type': 'multipart/alternative; boundary="000000000000a1b2c3"',
        }),
        body: { size: 0 },
        parts: [
          textPart('0', 'text/plain', 'On se voit demain à 10 h ?\r\n\r\nZoë\r\n'),
          textPart('1', 'text/html', '<div dir="ltr">On se voit demain à <b>10 h</b> ?<br><br>Zoë</div>\r\n'),
        ],
      },
    },
    {
      id: IDS.myReply,
      threadId: IDS.zoe,
      labelIds: ['SENT'],
      snippet: 'Parfait, à demain.',
      historyId: '900103',
      internalDate: at('2026-04-19T18:00:00Z'),
      sizeEstimate: 1800,
      payload: {
        partId: '',
        mimeType: 'text/plain',
        filename: '',
        headers: headers({
          'MIME-Version': '1.0',
          Date: 'Sun, 19 Apr 2026 20:00:00 +0200',
          References: ZOE_MESSAGE_ID,
          'In-Reply-To': ZOE_MESSAGE_ID,
          'Message-ID': MY_REPLY_MESSAGE_ID,
          Subject: 'Re: Réunion demain ☕',
          From: 'Me <me@example.com>',
          To: 'Zoë Dupré <zoe@example.fr>, "Dupont, Jean" <jean@example.fr>',
          'Content-Type': 'text/plain; charset="UTF-8"',
        }),
        body: { size: 22, data: data('Parfait, à demain.\r\n') },
      },
    },
    {
      id: IDS.invoice,
      threadId: IDS.invoice,
      labelIds: ['Label_1', 'INBOX'],
      snippet: 'Your invoice for April is attached.',
      historyId: '900104',
      internalDate: at('2026-04-18T12:00:00Z'),
      sizeEstimate: 58000,
      payload: {
        partId: '',
        mimeType: 'multipart/mixed',
        filename: '',
        headers: headers({
          'MIME-Version': '1.0',
          Date: 'Sat, 18 Apr 2026 12:00:00 +0000',
          'Message-ID': '<invoice-2026-04@vendor.example>',
          Subject: 'Your invoice',
          From: 'Billing <billing@vendor.example>',
          To: MAILBOX_ADDRESS,
          'Content-Type': 'multipart/mixed; boundary="mixed-boundary"',
        }),
        body: { size: 0 },
        parts: [
          {
            partId: '0',
            mimeType: 'multipart/alternative',
            filename: '',
            headers: [{ name: 'Content-Type', value: 'multipart/alternative; boundary="alt-boundary"' }],
            body: { size: 0 },
            parts: [
              textPart('0.0', 'text/plain', 'Your invoice for April is attached.\r\n'),
              textPart('0.1', 'text/html', '<p>Your invoice for <b>April</b> is attached.</p>'),
            ],
          },
          {
            partId: '1',
            mimeType: 'application/pdf',
            filename: 'invoice-2026-04.pdf',
            headers: headers({
              'Content-Type': 'application/pdf; name="invoice-2026-04.pdf"',
              'Content-Disposition': 'attachment; filename="invoice-2026-04.pdf"',
              'Content-Transfer-Encoding': 'base64',
            }),
            body: { attachmentId: 'ANGjdJ9fkTs-Invoice', size: 51234 },
          },
        ],
      },
    },
    {
      id: IDS.digest,
      threadId: IDS.digest,
      labelIds: ['CATEGORY_PROMOTIONS', 'INBOX'],
      snippet: 'This week: café culture &amp; more',
      historyId: '900105',
      internalDate: at('2026-04-17T07:00:00Z'),
      sizeEstimate: 9000,
      payload: {
        partId: '',
        mimeType: 'text/html',
        filename: '',
        headers: headers({
          'MIME-Version': '1.0',
          Date: 'Fri, 17 Apr 2026 07:00:00 +0000',
          'Message-ID': '<digest-17@news.example.org>',
          Subject: 'Weekly digest',
          From: 'Newsletter <news@example.org>',
          To: MAILBOX_ADDRESS,
          'Content-Type': 'text/html; charset="iso-8859-1"',
        }),
        // Declared ISO-8859-1, delivered by Gmail as UTF-8.
        body: {
          size: 120,
          data: data(
            '<html><body><h1>This week</h1><p>Caf\u00e9 culture &amp; more</p><p>Read&nbsp;on</p></body></html>',
          ),
        },
      },
    },
    {
      id: IDS.spam,
      threadId: IDS.spam,
      labelIds: ['SPAM'],
      snippet: 'You won!',
      historyId: '900106',
      internalDate: at('2026-04-21T06:00:00Z'),
      sizeEstimate: 1000,
      payload: {
        partId: '',
        mimeType: 'text/plain',
        filename: '',
        headers: headers({
          Subject: 'You won!',
          From: 'Prize <prize@spam.example>',
          To: MAILBOX_ADDRESS,
          'Message-ID': '<spam@spam.example>',
          Date: 'Tue, 21 Apr 2026 06:00:00 +0000',
        }),
        body: { size: 8, data: data('You won!') },
      },
    },
    {
      id: IDS.trashed,
      threadId: IDS.trashed,
      labelIds: ['TRASH'],
      snippet: 'Old news',
      historyId: '900107',
      internalDate: at('2026-04-10T06:00:00Z'),
      sizeEstimate: 1000,
      payload: {
        partId: '',
        mimeType: 'text/plain',
        filename: '',
        headers: headers({
          Subject: 'Old news',
          From: 'Ada Lovelace <ada@example.com>',
          To: MAILBOX_ADDRESS,
          'Message-ID': '<old@example.com>',
          Date: 'Fri, 10 Apr 2026 06:00:00 +0000',
        }),
        body: { size: 8, data: data('Old news') },
      },
    },
  ];
}

export const LABELS = [
  { id: 'CHAT', name: 'CHAT', messageListVisibility: 'hide', labelListVisibility: 'labelHide', type: 'system' },
  { id: 'SENT', name: 'SENT', type: 'system' },
  { id: 'INBOX', name: 'INBOX', type: 'system' },
  {
    id: 'IMPORTANT',
    name: 'IMPORTANT',
    messageListVisibility: 'hide',
    labelListVisibility: 'labelHide',
    type: 'system',
  },
  { id: 'TRASH', name: 'TRASH', messageListVisibility: 'hide', labelListVisibility: 'labelHide', type: 'system' },
  { id: 'DRAFT', name: 'DRAFT', type: 'system' },
  { id: 'SPAM', name: 'SPAM', messageListVisibility: 'hide', labelListVisibility: 'labelHide', type: 'system' },
  { id: 'CATEGORY_PERSONAL', name: 'CATEGORY_PERSONAL', type: 'system' },
  { id: 'CATEGORY_PROMOTIONS', name: 'CATEGORY_PROMOTIONS', type: 'system' },
  { id: 'STARRED', name: 'STARRED', type: 'system' },
  { id: 'UNREAD', name: 'UNREAD', type: 'system' },
  { id: 'Label_1', name: 'Receipts', messageListVisibility: 'show', labelListVisibility: 'labelShow', type: 'user' },
];
