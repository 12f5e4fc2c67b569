import { describe, expect, it } from 'vitest';
import type { GmailMessagePart } from './gmail-types.js';
import { extractText, headerValue, htmlToText, simplifyMessage } from './read-message.js';

const data = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const leaf = (
  mimeType: string,
  text: string,
  headers: Array<{ name: string; value: string }> = [],
): GmailMessagePart => ({
  mimeType,
  filename: '',
  headers: [{ name: 'Content-Type', value: `${mimeType}; charset="UTF-8"` }, ...headers],
  body: { size: Buffer.byteLength(text), data: data(text) },
});

describe('extractText', () => {
  it('prefers text/plain in multipart/alternative and falls back to stripped HTML', () => {
    const alternative: GmailMessagePart = {
      mimeType: 'multipart/alternative',
      parts: [leaf('text/plain', 'Plain wins'), leaf('text/html', '<p>HTML</p>')],
    };
    expect(extractText(alternative)).toEqual({ text: 'Plain wins', html: '<p>HTML</p>' });
    const htmlOnly = simplifyMessage({
      id: '1',
      payload: {
        mimeType: 'multipart/alternative',
        parts: [leaf('text/html', '<p>Only&nbsp;<b>HTML</b></p><p>here</p>')],
      },
    });
    expect(htmlOnly.body).toBe('Only HTML\nhere');
  });

  it('reads the body of nested multipart/mixed and lists attachments, whose content is never read as text', () => {
    const mixed: GmailMessagePart = {
      mimeType: 'multipart/mixed',
      parts: [
        {
          partId: '0',
          mimeType: 'multipart/alternative',
          parts: [leaf('text/plain', 'See the report.'), leaf('text/html', '<p>See the report.</p>')],
        },
        {
          partId: '1',
          mimeType: 'text/plain',
          filename: 'notes.txt',
          headers: [],
          body: { size: 5, data: data('NOTES') },
        },
        {
          partId: '2',
          mimeType: 'application/pdf',
          filename: 'report.pdf',
          headers: [],
          body: { size: 51200, attachmentId: 'ANGjdJ8' },
        },
      ],
    };
    const email = simplifyMessage({ id: 'a', threadId: 't', labelIds: ['INBOX'], payload: mixed });
    expect(email.body).toBe('See the report.');
    expect(email.attachments).toEqual([
      { filename: 'notes.txt', mimeType: 'text/plain', size: 5, attachmentId: undefined, partId: '1' },
      { filename: 'report.pdf', mimeType: 'application/pdf', size: 51200, attachmentId: 'ANGjdJ8', partId: '2' },
    ]);
  });

  it('joins the inline text parts of multipart/mixed in order', () => {
    const mixed: GmailMessagePart = {
      mimeType: 'multipart/mixed',
      parts: [leaf('text/plain', 'First.'), leaf('text/plain', 'Second.')],
    };
    expect(extractText(mixed)).toEqual({ text: 'First.\nSecond.' });
  });

  it('decodes UTF-8 data whatever charset the part declares, and the declared charset only for bytes that are not UTF-8', () => {
    const declaredLatin1 = leaf('text/plain', 'Zoë ☕');
    declaredLatin1.headers = [{ name: 'Content-Type', value: 'text/plain; charset=ISO-8859-1' }];
    expect(extractText(declaredLatin1).text).toBe('Zoë ☕');
    const latin1Bytes: GmailMessagePart = {
      mimeType: 'text/plain',
      headers: [{ name: 'Content-Type', value: 'text/plain; charset="iso-8859-1"' }],
      body: { data: Buffer.from([0x5a, 0x6f, 0xeb]).toString('base64url') },
    };
    expect(extractText(latin1Bytes).text).toBe('Zoë');
  });

  it('returns an empty body for metadata-only messages', () => {
    const email = simplifyMessage({
      id: 'm',
      payload: { mimeType: 'text/plain', headers: [{ name: 'Subject', value: 'Hi' }] },
    });
    expect(email).toMatchObject({ subject: 'Hi', body: '', attachments: [], labelIds: [], snippet: '' });
  });
});

describe('headers and HTML', () => {
  it('finds headers case-insensitively and decodes encoded-words left in them', () => {
    const part: GmailMessagePart = {
      headers: [
        { name: 'SUBJECT', value: '=?UTF-8?B?UsOpdW5pb24=?= demain' },
        { name: 'Message-Id', value: '<a@b>' },
      ],
    };
    expect(headerValue(part, 'Subject')).toBe('Réunion demain');
    expect(headerValue(part, 'Message-ID')).toBe('<a@b>');
    expect(headerValue(part, 'From')).toBeUndefined();
  });

  it('turns HTML into readable text', () => {
    const html =
      '<html><head><style>p{color:red}</style><title>T</title></head><body><!-- hidden --><h1>Title</h1>\n<p>One\n two</p><ul><li>a</li><li>b</li></ul>Fish &amp; chips &lt;3 &#233;&#x263A;<br>end<script>alert(1)</script></body></html>';
    expect(htmlToText(html)).toBe('Title\nOne two\n- a\n- b\n\nFish & chips <3 é☺\nend');
  });
});
