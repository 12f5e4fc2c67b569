import { PlugboardError } from '@plugboard/core';
import fc from 'fast-check';
import { decodeWords as postalDecodeWords } from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { decodeRaw, field, parseMime, splitMessage } from '../../test/raw-message.js';
import { parseMailbox, type Mailbox } from './address.js';
import { buildMimeMessage, formatDate, toGmailRaw, type MimeMessageInput } from './build-message.js';

const DATE = new Date(Date.UTC(2026, 3, 21, 9, 5, 3));
const ada: Mailbox = { email: 'ada@example.com', name: 'Ada Lovelace' };
const zoe: Mailbox = { email: 'zoe@example.fr', name: 'Zoë Dupré' };

function build(message: MimeMessageInput, boundary?: string): string {
  return buildMimeMessage(message, { date: DATE, ...(boundary ? { boundary } : {}) });
}

function base64Body(body: string): string {
  return Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8');
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function expectRefused(run: () => unknown, message?: RegExp): void {
  const error = errorOf(run);
  expect(PlugboardError.isInstance(error), String(error)).toBe(true);
  expect(error).toMatchObject({ code: 'INVALID_PARAMS' });
  if (message) expect((error as Error).message).toMatch(message);
}

describe('buildMimeMessage: structure', () => {
  it('builds a plain-text message with exactly the expected headers, CRLF lines and a base64 UTF-8 body', async () => {
    const mime = build({ to: [ada], subject: 'Notes on the engine', text: 'Hello Ada,\nsee you at 5.\n' });
    const split = splitMessage(mime);
    expect(split.fields.map((entry) => entry.name)).toEqual([
      'To',
      'Subject',
      'Date',
      'MIME-Version',
      'Content-Type',
      'Content-Transfer-Encoding',
    ]);
    expect(field(split, 'To')).toBe('"Ada Lovelace" <ada@example.com>');
    expect(field(split, 'Subject')).toBe('Notes on the engine');
    expect(field(split, 'Date')).toBe('Tue, 21 Apr 2026 09:05:03 +0000');
    expect(field(split, 'MIME-Version')).toBe('1.0');
    expect(field(split, 'Content-Type')).toBe('text/plain; charset=UTF-8');
    expect(field(split, 'Content-Transfer-Encoding')).toBe('base64');
    expect(mime).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    // Text goes out in canonical form: CRLF line breaks.
    expect(base64Body(split.body)).toBe('Hello Ada,\r\nsee you at 5.\r\n');
    const parsed = await parseMime(mime);
    expect(parsed.to).toEqual([{ name: 'Ada Lovelace', address: 'ada@example.com' }]);
    expect(parsed.subject).toBe('Notes on the engine');
    expect(parsed.text).toBe('Hello Ada,\r\nsee you at 5.\r\n');
  });

  it('writes From, To, Cc and Bcc with several recipients, and no Message-ID (Gmail adds one)', async () => {
    const mime = build({
      from: { email: 'me@example.com', name: 'Me Myself' },
      to: [ada, { email: 'bob@example.com' }],
      cc: [zoe],
      bcc: [{ email: 'audit@example.com' }],
      subject: 'Hi',
      text: 'x',
    });
    const split = splitMessage(mime);
    expect(split.fields.map((entry) => entry.name)).toEqual([
      'From',
      'To',
      'Cc',
      'Bcc',
      'Subject',
      'Date',
      'MIME-Version',
      'Content-Type',
      'Content-Transfer-Encoding',
    ]);
    expect(field(split, 'To')).toBe('"Ada Lovelace" <ada@example.com>, bob@example.com');
    const parsed = await parseMime(mime);
    expect(parsed.from).toEqual({ name: 'Me Myself', address: 'me@example.com' });
    expect(parsed.to).toEqual([
      { name: 'Ada Lovelace', address: 'ada@example.com' },
      { name: '', address: 'bob@example.com' },
    ]);
    expect(parsed.cc).toEqual([{ name: 'Zoë Dupré', address: 'zoe@example.fr' }]);
    expect(parsed.bcc).toEqual([{ name: '', address: 'audit@example.com' }]);
    expect(parsed.messageId).toBeUndefined();
  });

  it('omits the Subject header for an empty subject and sends an empty text body when there is none', () => {
    const split = splitMessage(build({ to: [ada] }));
    expect(field(split, 'Subject')).toBeUndefined();
    expect(field(split, 'Content-Type')).toBe('text/plain; charset=UTF-8');
    expect(split.body).toBe('');
    expect(field(splitMessage(build({ to: [ada], subject: '' })), 'Subject')).toBeUndefined();
  });

  it('sends an HTML-only body as text/html', async () => {
    const mime = build({ to: [ada], subject: 'x', html: '<p>Bonjour <b>Zoë</b></p>' });
    expect(field(splitMessage(mime), 'Content-Type')).toBe('text/html; charset=UTF-8');
    expect((await parseMime(mime)).html).toBe('<p>Bonjour <b>Zoë</b></p>');
  });

  it('builds multipart/alternative, text first, when both bodies are given', async () => {
    const mime = build(
      { to: [ada], subject: 'Menu', text: 'Café crème\n', html: '<p>Café <i>crème</i></p>\n' },
      '=_test_boundary',
    );
    const split = splitMessage(mime);
    expect(field(split, 'Content-Type')).toBe('multipart/alternative; boundary="=_test_boundary"');
    expect(field(split, 'Content-Transfer-Encoding')).toBeUndefined();
    const parts = split.body.split('--=_test_boundary');
    expect(parts).toHaveLength(4);
    expect(parts[3]).toBe('--\r\n');
    const [plain, html] = [parts[1] as string, parts[2] as string].map((part) =>
      splitMessage(part.replace(/^\r\n/, '')),
    );
    expect(field(plain as ReturnType<typeof splitMessage>, 'Content-Type')).toBe('text/plain; charset=UTF-8');
    expect(field(html as ReturnType<typeof splitMessage>, 'Content-Type')).toBe('text/html; charset=UTF-8');
    expect(base64Body((plain as ReturnType<typeof splitMessage>).body)).toBe('Café crème\r\n');
    const parsed = await parseMime(mime);
    expect(parsed.text).toBe('Café crème\r\n');
    expect(parsed.html).toBe('<p>Café <i>crème</i></p>\r\n');
  });

  it('uses a fresh random boundary for each message, which a base64 line cannot contain', () => {
    const boundaries = new Set(
      Array.from(
        { length: 20 },
        () => /boundary="([^"]+)"/.exec(buildMimeMessage({ to: [ada], text: 'a', html: 'b' }))?.[1],
      ),
    );
    expect(boundaries.size).toBe(20);
    for (const boundary of boundaries) expect(boundary).toMatch(/^=_plugboard_[0-9a-f]{24}$/);
    expectRefused(() => build({ to: [ada], text: 'a', html: 'b' }, 'has space'), /boundary/);
  });

  it('breaks base64 body lines at 76 characters', () => {
    const split = splitMessage(build({ to: [ada], text: 'é'.repeat(500) }));
    const lines = split.body.split('\r\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
    expect(base64Body(split.body)).toBe('é'.repeat(500));
  });

  it('formats the Date header as an RFC 5322 date-time in UTC', () => {
    expect(formatDate(new Date(Date.UTC(2024, 0, 5, 23, 59, 7)))).toBe('Fri, 5 Jan 2024 23:59:07 +0000');
    expectRefused(() => formatDate(new Date(Number.NaN)), /valid date/);
  });
});

describe('buildMimeMessage: RFC 2047 and folding', () => {
  const subjects = [
    'Réunion demain ☕',
    '日本語の件名です、よろしくお願いします。これは長い件名で、いくつかのエンコードされた単語に分割されます',
    '🎉'.repeat(40),
    'e\u0301'.repeat(30),
    'Mixed ASCII and ünïcödé with a long tail that goes on and on and on past the line limit',
  ];

  it.each(subjects)(
    'encodes the non-ASCII subject %j in UTF-8 B words of at most 75 characters, each a whole number of characters',
    async (subject) => {
      const mime = build({ to: [ada], subject, text: 'x' });
      const split = splitMessage(mime);
      const subjectLines = split.lines
        .slice(split.lines.findIndex((line) => line.startsWith('Subject:')))
        .filter((line, index) => index === 0 || /^ /.test(line));
      const words = subjectLines.join(' ').match(/=\?[^?]+\?[BQ]\?[^?]*\?=/g) ?? [];
      expect(words.length).toBeGreaterThan(0);
      for (const word of words) {
        expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
        expect(word.length).toBeLessThanOrEqual(75);
        // Every word decodes to valid UTF-8 on its own (RFC 2047 section 5: no split characters).
        expect(() =>
          new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(word.slice(10, -2), 'base64')),
        ).not.toThrow();
      }
      for (const line of split.lines) expect(line.length).toBeLessThanOrEqual(76);
      expect((await parseMime(mime)).subject).toBe(subject);
      expect(postalDecodeWords(field(split, 'Subject') as string)).toBe(subject);
    },
  );

  it('keeps a long ASCII subject readable: folded at its own spaces, unfolding gives back the exact text', async () => {
    const subject =
      'Quarterly report:  revenue, costs, and the long list of action items we agreed on in the meeting last Tuesday';
    const split = splitMessage(build({ to: [ada], subject }));
    const lines = split.lines.filter(
      (line, index, all) =>
        line.startsWith('Subject:') ||
        (/^ /.test(line) && all.slice(0, index).some((earlier) => earlier.startsWith('Subject:'))),
    );
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    expect(field(split, 'Subject')).toBe(subject);
    expect(field(split, 'Subject')).not.toContain('=?');
  });

  it.each([
    ['a literal encoded-word', '=?UTF-8?B?SGk=?= is not Hi'],
    ['leading spaces', '  indented'],
    ['a tab', 'tab\there'],
    ['a word longer than a line', `x${'y'.repeat(90)}`],
  ])('encodes an ASCII subject with %s so that it is read back exactly', async (_label, subject) => {
    const mime = build({ to: [ada], subject });
    expect(field(splitMessage(mime), 'Subject')).toMatch(/^=\?UTF-8\?B\?/);
    expect((await parseMime(mime)).subject).toBe(subject);
  });

  it('encodes non-ASCII display names, quotes ASCII ones with escapes, and keeps the address ASCII', async () => {
    const mime = build({
      to: [
        { email: 'zoe@example.fr', name: 'Zoë Dupré' },
        { email: 'jj@example.com', name: 'Doe, "JJ" \\ John' },
        { email: 'tricky@example.com', name: '=?UTF-8?B?SGk=?=' },
        { email: 'mei@example.cn', name: '王美丽，工程部门负责人兼任技术委员会主席以及产品规划小组的长期成员之一' },
      ],
      text: 'x',
    });
    const split = splitMessage(mime);
    const to = field(split, 'To') as string;
    expect(to).toContain('"Doe, \\"JJ\\" \\\\ John" <jj@example.com>');
    expect(to).toMatch(/^=\?UTF-8\?B\?[^?]+\?= <zoe@example\.fr>,/);
    for (const line of split.lines) expect(line.length).toBeLessThanOrEqual(78);
    expect((await parseMime(mime)).to).toEqual([
      { name: 'Zoë Dupré', address: 'zoe@example.fr' },
      { name: 'Doe, "JJ" \\ John', address: 'jj@example.com' },
      { name: '=?UTF-8?B?SGk=?=', address: 'tricky@example.com' },
      { name: '王美丽，工程部门负责人兼任技术委员会主席以及产品规划小组的长期成员之一', address: 'mei@example.cn' },
    ]);
  });

  it('folds long recipient lists between addresses', async () => {
    const to = Array.from({ length: 12 }, (_, index) => ({
      email: `person.number.${index}@example.com`,
      name: `Person ${index}`,
    }));
    const mime = build({ to, text: 'x' });
    const split = splitMessage(mime);
    expect(split.lines.filter((line) => /^ /.test(line)).length).toBeGreaterThan(3);
    for (const line of split.lines) expect(line.length).toBeLessThanOrEqual(78);
    expect((await parseMime(mime)).to).toEqual(to.map((mailbox) => ({ name: mailbox.name, address: mailbox.email })));
  });

  it('writes In-Reply-To and References for a reply', async () => {
    const references = Array.from(
      { length: 6 },
      (_, index) => `<message.${index}.with.a.rather.long.identifier@mail.example.com>`,
    );
    const mime = build({ to: [ada], subject: 'Re: Plans', text: 'ok', inReplyTo: references.at(-1), references });
    const split = splitMessage(mime);
    expect(field(split, 'In-Reply-To')).toBe(references.at(-1));
    expect(field(split, 'References')).toBe(references.join(' '));
    for (const line of split.lines) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await parseMime(mime);
    expect(parsed.inReplyTo).toBe(references.at(-1));
    expect(parsed.references).toBe(references.join(' '));
  });

  it('encodes the whole message for Gmail as unpadded base64url', () => {
    for (const text of ['a', 'ab', 'abc', 'Zoë ☕ 🎉 ~~~ ???']) {
      const mime = build({ to: [ada], subject: text, text });
      const raw = toGmailRaw(mime);
      expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeRaw(raw)).toBe(mime);
    }
  });
});

describe('buildMimeMessage: header injection is refused', () => {
  const injections = [
    '\r\nBcc: victim@example.com',
    '\nBcc: victim@example.com',
    '\rBcc: victim@example.com',
    'x\u0000y',
    'x\u001by',
    'x\u007fy',
    'x\u2028 is fine but \ud800 is not',
  ];

  it.each(injections)('refuses %j in the subject', (evil) => {
    expectRefused(() => build({ to: [ada], subject: `Hello${evil}`, text: 'x' }), /subject/);
  });

  it.each(injections.slice(0, 6))('refuses %j in a display name, an address, In-Reply-To and References', (evil) => {
    expectRefused(() => build({ to: [{ email: 'ada@example.com', name: `Ada${evil}` }] }), /display name/);
    expectRefused(() => build({ to: [{ email: `ada@example.com${evil}` }] }), /address/);
    expectRefused(() => build({ cc: [{ email: `ada${evil}@example.com` }] }), /address/);
    expectRefused(() => build({ from: { email: 'me@example.com', name: `Me${evil}` } }), /display name/);
    expectRefused(() => build({ to: [ada], inReplyTo: `<a@b>${evil}` }), /In-Reply-To/);
    expectRefused(() => build({ to: [ada], references: ['<a@b>', `<c@d>${evil}`] }), /References/);
  });

  it('refuses message ids that are not <...>, and bodies with an unpaired surrogate', () => {
    expectRefused(() => build({ to: [ada], inReplyTo: 'a@b' }), /message id/);
    expectRefused(() => build({ to: [ada], references: ['<a b@c>'] }), /message id/);
    expectRefused(() => build({ to: [ada], text: 'x\ud800y' }), /text body/);
    expectRefused(() => build({ to: [ada], html: 'x\udc00' }), /HTML body/);
  });

  it('lets CR, LF and NUL through in bodies, where base64 makes them harmless', async () => {
    const mime = build({ to: [ada], subject: 'x', text: 'line\r\nBcc: victim@example.com\r\n\r\n\u0000end' });
    expect(splitMessage(mime).fields.map((entry) => entry.name)).not.toContain('Bcc');
    expect((await parseMime(mime)).bcc).toBeUndefined();
  });
});

describe('buildMimeMessage: properties', () => {
  const FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f]|\p{Cs}/u;
  const anyText = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc
      .tuple(
        fc.string({ maxLength: 20 }),
        fc.constantFrom('\r\n', '\n', '\r', '\u0000', '\r\nBcc: victim@example.com\r\n', '\n\nbody'),
        fc.string({ maxLength: 20 }),
      )
      .map((parts) => parts.join('')),
  );
  const localPart = fc
    .stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,20}[a-z0-9])?$/)
    .filter((value) => !value.includes('..'));

  it('no input field can add a header line: any value either builds with exactly the expected headers or is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyText,
        anyText,
        anyText,
        localPart,
        fc.option(anyText, { nil: undefined }),
        async (subject, toName, ccName, local, addressSuffix) => {
          const email = `${local}@example.com${addressSuffix ?? ''}`;
          const headerValues = [subject, toName, ccName, email];
          let mime: string;
          try {
            const to = parseMailbox({ email, name: toName }, 'recipient');
            const cc = parseMailbox({ email: 'cc@example.org', name: ccName }, 'Cc recipient');
            mime = build({ to: [to], cc: [cc], subject, text: subject, html: toName });
          } catch (error) {
            expect(PlugboardError.isInstance(error), String(error)).toBe(true);
            expect(error).toMatchObject({ code: 'INVALID_PARAMS' });
            // Refused: a value that could break the header block, or a suffix that made the address malformed.
            expect(headerValues.some((value) => FORBIDDEN.test(value)) || addressSuffix !== undefined).toBe(true);
            return;
          }
          expect(headerValues.some((value) => FORBIDDEN.test(value))).toBe(false);
          const split = splitMessage(mime);
          const names = split.fields.map((entry) => entry.name);
          expect(names).toEqual([
            'To',
            'Cc',
            ...(subject === '' ? [] : ['Subject']),
            'Date',
            'MIME-Version',
            'Content-Type',
          ]);
          for (const line of split.lines) expect(line.length).toBeLessThanOrEqual(998);
          const parsed = await parseMime(mime);
          expect(parsed.to).toHaveLength(1);
          expect(parsed.cc).toEqual([{ name: ccName.trim(), address: 'cc@example.org' }]);
          expect(parsed.bcc).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a line break smuggled into the "Name <address>" form', () => {
    fc.assert(
      fc.property(anyText, anyText, (before, after) => {
        const value = `${before} <ada@example.com>${after}`;
        let refused = false;
        try {
          parseMailbox(value, 'recipient');
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_PARAMS' });
          refused = true;
        }
        if (FORBIDDEN.test(value)) expect(refused).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any header-safe subject and display name through an independent parser', async () => {
    const safeText = anyText.filter((value) => !FORBIDDEN.test(value));
    await fc.assert(
      fc.asyncProperty(safeText, safeText, async (subject, name) => {
        const trimmedName = name.trim();
        const mime = build({
          to: [{ email: 'ada@example.com', ...(trimmedName === '' ? {} : { name: trimmedName }) }],
          subject,
          text: 'x',
        });
        const split = splitMessage(mime);
        for (const line of split.lines) expect(line.length).toBeLessThanOrEqual(78);
        if (subject !== '') expect(postalDecodeWords(field(split, 'Subject') as string)).toBe(subject);
        expect((await parseMime(mime)).to).toEqual([{ name: trimmedName, address: 'ada@example.com' }]);
      }),
      { numRuns: 300 },
    );
  });
});
