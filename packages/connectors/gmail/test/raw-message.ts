import PostalMime, { type Email as ParsedEmail } from 'postal-mime';

/**
 * Test helpers that read a built message back without the connector's own code: Node's Buffer
 * for base64url, a strict split of the header block, and postal-mime (an independent MIME parser)
 * for decoded values.
 */

/** Decodes Gmail's `raw`, insisting on the base64url alphabet without padding. */
export function decodeRaw(raw: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(raw)) throw new Error(`raw is not unpadded base64url: ${raw.slice(0, 80)}`);
  return Buffer.from(raw, 'base64url').toString('utf8');
}

export interface HeaderField {
  name: string;
  /** Unfolded (CRLF removed before each continuation line, RFC 5322 section 2.2.3). */
  value: string;
}

export interface SplitMessage {
  /** The header block's physical lines. */
  lines: string[];
  fields: HeaderField[];
  body: string;
}

/**
 * Splits a message into header fields and body, failing on anything RFC 5322 does not allow in a
 * header block: a bare CR or LF, a non-ASCII byte, a line that is neither a field nor a
 * continuation, a line over 998 characters.
 */
export function splitMessage(mime: string): SplitMessage {
  const end = mime.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('no blank line between the header block and the body');
  const block = mime.slice(0, end);
  if (/\r(?!\n)|(?<!\r)\n/.test(block)) throw new Error('bare CR or LF in the header block');
  if (/[^\x00-\x7f]/.test(block)) throw new Error('non-ASCII character in the header block');
  const lines = block.split('\r\n');
  const fields: HeaderField[] = [];
  for (const line of lines) {
    if (line.length > 998) throw new Error(`header line longer than 998 characters: ${line.slice(0, 60)}...`);
    if (/^[ \t]/.test(line)) {
      const last = fields.at(-1);
      if (!last) throw new Error('continuation line before any field');
      if (line.trim() === '') throw new Error('whitespace-only continuation line');
      last.value += line;
      continue;
    }
    const match = /^([\x21-\x39\x3b-\x7e]+):(.*)$/.exec(line);
    if (!match) throw new Error(`not a header field: ${JSON.stringify(line)}`);
    fields.push({ name: match[1] as string, value: (match[2] as string).replace(/^ /, '') });
  }
  return { lines, fields, body: mime.slice(end + 4) };
}

/** The unfolded value of the only field with this name (case-insensitive); throws when repeated. */
export function field(message: SplitMessage, name: string): string | undefined {
  const found = message.fields.filter((entry) => entry.name.toLowerCase() === name.toLowerCase());
  if (found.length > 1) throw new Error(`header ${name} appears ${found.length} times`);
  return found[0]?.value;
}

export function parseMime(mime: string): Promise<ParsedEmail> {
  return PostalMime.parse(mime);
}

/** Decodes and parses Gmail's `raw`. */
export async function readRaw(raw: string): Promise<{ mime: string; split: SplitMessage; parsed: ParsedEmail }> {
  const mime = decodeRaw(raw);
  return { mime, split: splitMessage(mime), parsed: await parseMime(mime) };
}
