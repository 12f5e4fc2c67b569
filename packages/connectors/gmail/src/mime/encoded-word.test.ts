import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64Url, utf8Bytes } from './base64.js';
import { decodeWords, encodeWords } from './encoded-word.js';

describe('encoded-words', () => {
  it('encodes and decodes back, dropping the folding whitespace between words', () => {
    const text = 'Réunion 日本語 🎉 and plain text that is long enough to need several words';
    const words = encodeWords(text);
    expect(words.length).toBeGreaterThan(2);
    expect(decodeWords(words.join('\r\n '))).toBe(text);
    expect(encodeWords('')).toEqual([]);
  });

  it('decodes Q and B words in other charsets, and leaves malformed words alone', () => {
    expect(decodeWords('=?ISO-8859-1?Q?Andr=E9_Pirard?= <pirard@example.be>')).toBe('André Pirard <pirard@example.be>');
    expect(decodeWords('=?utf-8?q?caf=C3=A9?= =?UTF-8?B?IGNyw6htZQ==?=')).toBe('café crème');
    expect(decodeWords('=?UTF-8*en?B?SGk=?=')).toBe('Hi');
    expect(decodeWords('plain =?bogus-charset?B?SGk=?= text')).toBe('plain =?bogus-charset?B?SGk=?= text');
    expect(decodeWords('=?UTF-8?Q?bad=Zescape?=')).toBe('=?UTF-8?Q?bad=Zescape?=');
    expect(decodeWords('no words here')).toBe('no words here');
  });
});

describe('base64 helpers', () => {
  it('encodes base64url without padding and decodes either alphabet, padded or not', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xfe, 0x00, 0x41]);
    expect(bytesToBase64Url(bytes)).toBe('-__-AEE');
    expect(base64ToBytes('-__-AEE')).toEqual(bytes);
    expect(base64ToBytes('+//+AEE=')).toEqual(bytes);
    expect(base64ToBytes('not base64!')).toBeUndefined();
    expect(base64ToBytes('abcde')).toBeUndefined();
    expect(new TextDecoder().decode(base64ToBytes(bytesToBase64Url(utf8Bytes('Zoë ☕'))))).toBe('Zoë ☕');
  });
});
