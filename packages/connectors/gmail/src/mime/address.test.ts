import { describe, expect, it } from 'vitest';
import { addressProblem, mailboxPieces, parseMailbox, splitAddressList } from './address.js';

describe('parseMailbox', () => {
  it.each([
    ['ada@example.com', { email: 'ada@example.com' }],
    ['  ada@example.com  ', { email: 'ada@example.com' }],
    ['Ada Lovelace <ada@example.com>', { email: 'ada@example.com', name: 'Ada Lovelace' }],
    ['"Lovelace, Ada" <ada@example.com>', { email: 'ada@example.com', name: 'Lovelace, Ada' }],
    ['"Say \\"hi\\"" <ada@example.com>', { email: 'ada@example.com', name: 'Say "hi"' }],
    ['<ada@example.com>', { email: 'ada@example.com' }],
    ["o'brien+tag@Mail.Example.COM", { email: "o'brien+tag@mail.example.com" }],
    ['zoe@exämple.com', { email: 'zoe@xn--exmple-cua.com' }],
    [
      { email: 'ada@example.com', name: '  Ada  ' },
      { email: 'ada@example.com', name: 'Ada' },
    ],
    [{ email: 'ada@example.com', name: '' }, { email: 'ada@example.com' }],
  ] as const)('accepts %j', (input, expected) => {
    expect(parseMailbox(input, 'recipient')).toEqual(expected);
  });

  it.each([
    'no-at-sign',
    'ada@localhost',
    'ada@',
    '@example.com',
    'a b@example.com',
    'ada@@example.com',
    '.ada@example.com',
    'ada.@example.com',
    'a..b@example.com',
    '"quoted"@example.com',
    'zoë@example.com',
    'ada@-example.com',
    'ada@example-.com',
    'ada@exa_mple.com',
    'ada@example.123',
    'ada@[192.168.0.1]',
    'ada@example.com, bob@example.com',
    'Ada <ada@example.com',
    `${'x'.repeat(65)}@example.com`,
    `ada@${'x'.repeat(64)}.com`,
  ])('refuses the malformed address %j', (input) => {
    expect(() => parseMailbox(input, 'recipient')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
  });

  it('refuses line breaks and control characters anywhere, naming the field', () => {
    for (const input of [
      'ada@example.com\r\nBcc: x@example.com',
      'Ada\n <ada@example.com>',
      'Ada\u0000 <ada@example.com>',
      { email: 'ada@example.com', name: 'A\rB' },
      { email: 'ada@example.com\n' },
    ]) {
      expect(() => parseMailbox(input, 'Cc recipient')).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMS', message: expect.stringContaining('Cc recipient') }),
      );
    }
  });

  it('names the problem of a bad address', () => {
    expect(addressProblem('a..b@example.com')).toMatch(/local part/);
    expect(addressProblem('ada@example')).toMatch(/domain/);
    expect(addressProblem('ada@example.com')).toBeUndefined();
  });
});

describe('mailboxPieces and splitAddressList', () => {
  it('quotes plain ASCII names and encodes the rest', () => {
    expect(mailboxPieces({ email: 'ada@example.com' })).toEqual(['ada@example.com']);
    expect(mailboxPieces({ email: 'ada@example.com', name: 'Ada "A" L' })).toEqual([
      '"Ada \\"A\\" L"',
      '<ada@example.com>',
    ]);
    expect(mailboxPieces({ email: 'zoe@example.fr', name: 'Zoë' })).toEqual([
      '=?UTF-8?B?Wm/Dqw==?=',
      '<zoe@example.fr>',
    ]);
  });

  it('splits a header value at the commas between mailboxes only', () => {
    expect(
      splitAddressList(
        'Ada <ada@example.com>, "Doe, John" <john@example.com>,bob@example.com , "a \\" , b" <c@example.com>',
      ),
    ).toEqual([
      'Ada <ada@example.com>',
      '"Doe, John" <john@example.com>',
      'bob@example.com',
      '"a \\" , b" <c@example.com>',
    ]);
    expect(splitAddressList('')).toEqual([]);
  });
});
