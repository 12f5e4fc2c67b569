import { base64ToBytes, bytesToBase64, utf8Bytes } from './base64.js';

/**
 * UTF-8 bytes carried by one encoded-word. 39 bytes are 52 base64 characters, so a word is
 * `=?UTF-8?B?` + 52 + `?=` = 64 characters: within the 75 of RFC 2047 section 2, and short enough
 * that `Subject: ` plus one word stays under the 76 characters section 2 asks of a line.
 */
const BYTES_PER_WORD = 39;

/**
 * Encodes text as RFC 2047 "B" encoded-words in UTF-8. Each word holds whole characters (never
 * half of a multi-byte sequence, section 5 rule 3), so each decodes on its own. Adjacent words are
 * meant to be separated by folding whitespace, which decoders drop (section 6.2).
 */
export function encodeWords(text: string): string[] {
  const words: string[] = [];
  let pending: number[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    words.push(`=?UTF-8?B?${bytesToBase64(Uint8Array.from(pending))}?=`);
    pending = [];
  };
  for (const character of text) {
    const bytes = utf8Bytes(character);
    if (pending.length + bytes.length > BYTES_PER_WORD) flush();
    pending.push(...bytes);
  }
  flush();
  return words;
}

// charset, optional RFC 2231 language, encoding, text (section 2: no spaces or "?" inside).
const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BbQq])\?([^?\s]*)\?=/g;
const BETWEEN_WORDS = /(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)[ \t\r\n]+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g;

/**
 * Decodes RFC 2047 encoded-words in a header value ("B" and "Q", any charset the runtime's
 * TextDecoder knows), dropping the whitespace between adjacent words. Malformed words are left
 * as they are.
 */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value
    .replace(BETWEEN_WORDS, '$1')
    .replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? base64ToBytes(text) : decodeQ(text);
      if (bytes === undefined) return word;
      return decodeCharset(bytes, charset) ?? word;
    });
}

function decodeQ(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (character === '_') {
      bytes.push(0x20);
    } else if (character === '=') {
      const hex = text.slice(index + 1, index + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(character.charCodeAt(0) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/** Bytes in a named charset as text, or undefined when the runtime does not know the charset. */
export function decodeCharset(bytes: Uint8Array, charset: string): string | undefined {
  try {
    return new TextDecoder(charset.trim().toLowerCase()).decode(bytes);
  } catch {
    return undefined;
  }
}
