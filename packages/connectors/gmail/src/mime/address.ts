import { encodeWords } from './encoded-word.js';
import { headerTextProblem, refuse } from './header-text.js';

/** One mailbox: an address and an optional display name (RFC 5322 section 3.4). */
export interface Mailbox {
  /** The addr-spec, `ada@example.com`, with an internationalized domain in its ASCII (punycode) form. */
  email: string;
  /** The display name, any Unicode text; encoded as needed when the message is built. */
  name?: string;
}

/** What callers may give for a mailbox: `ada@example.com`, `Ada Lovelace <ada@example.com>` or `{ email, name }`. */
export type MailboxInput = string | { email: string; name?: string | undefined };

// atext of RFC 5322 section 3.2.3; a dot-atom is atext runs joined by single dots.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DNS_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const DOMAIN_CHARACTERS = /^[\p{L}\p{M}\p{N}.-]+$/u;
// `Display Name <addr>`; the name may be quoted.
const NAME_ADDR = /^([^<>]*)<([^<>]*)>$/s;

/**
 * Why `email` is not an address this connector sends to, or undefined when it is one: a dot-atom
 * local part (no quoted local parts, no comments) at a domain of at least two DNS labels.
 * Internationalized domains are accepted and converted to their ASCII form by `normalizeAddress`.
 */
export function addressProblem(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'is not an email address (expected local-part@domain)';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return 'has a local part longer than 64 characters';
  if (!DOT_ATOM.test(local))
    return 'has a local part with characters an address cannot have unquoted (spaces, "@", "<", quotes, leading, trailing or double dots, non-ASCII)';
  const ascii = asciiDomain(domain);
  if (ascii === undefined) return 'has an invalid domain';
  if (`${local}@${ascii}`.length > 254) return 'is longer than 254 characters';
  return undefined;
}

/** The address with its domain lower-cased and in ASCII form. Call after `addressProblem` returned undefined. */
export function normalizeAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, at)}@${asciiDomain(email.slice(at + 1)) as string}`;
}

function asciiDomain(domain: string): string | undefined {
  if (!DOMAIN_CHARACTERS.test(domain)) return undefined;
  let ascii = domain.toLowerCase();
  if (/[^\u0000-\u007f]/.test(ascii)) {
    // The WHATWG URL parser applies IDNA (UTS #46) on every runtime: a dependency-free punycode.
    try {
      ascii = new URL(`http://${domain}/`).hostname;
    } catch {
      return undefined;
    }
  }
  const labels = ascii.split('.');
  if (labels.length < 2 || ascii.length > 253) return undefined;
  if (!labels.every((label) => DNS_LABEL.test(label))) return undefined;
  // A top-level label of digits only would make this an IP address, which needs a domain literal.
  if (/^\d+$/.test(labels.at(-1) as string)) return undefined;
  return ascii;
}

/**
 * Parses and checks one mailbox. Throws INVALID_PARAMS naming `label` when the value has a line
 * break or control character anywhere, or the address is malformed.
 */
export function parseMailbox(input: MailboxInput, label: string): Mailbox {
  let email: string;
  let name: string | undefined;
  if (typeof input === 'string') {
    const problem = headerTextProblem(input);
    if (problem !== undefined) refuse(`The ${label} ${problem}.`);
    const trimmed = input.trim();
    const match = NAME_ADDR.exec(trimmed);
    if (match) {
      name = unquote((match[1] as string).trim());
      email = (match[2] as string).trim();
    } else {
      email = trimmed;
    }
  } else {
    if (typeof input !== 'object' || input === null || typeof input.email !== 'string')
      refuse(`The ${label} must be an address string or { email, name }.`);
    const emailProblem = headerTextProblem(input.email);
    if (emailProblem !== undefined) refuse(`The ${label} address ${emailProblem}.`);
    email = input.email.trim();
    if (input.name !== undefined) {
      if (typeof input.name !== 'string') refuse(`The ${label} name must be a string.`);
      const nameProblem = headerTextProblem(input.name);
      if (nameProblem !== undefined) refuse(`The ${label} name ${nameProblem}.`);
      name = input.name.trim();
    }
  }
  const problem = addressProblem(email);
  if (problem !== undefined) refuse(`The ${label} ${JSON.stringify(email)} ${problem}.`);
  const mailbox: Mailbox = { email: normalizeAddress(email) };
  if (name !== undefined && name !== '') {
    if (name.length > 256) refuse(`The ${label} display name is longer than 256 characters.`);
    mailbox.name = name;
  }
  return mailbox;
}

/** A display name given as an RFC 5322 quoted-string loses its quotes and backslash escapes. */
function unquote(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) return name.slice(1, -1).replace(/\\(.)/gs, '$1');
  return name;
}

// Printable ASCII; anything else in a display name is sent as encoded-words.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A mailbox as unbreakable pieces for a header line, to be joined by folding whitespace:
 * `["\"Ada Lovelace\"", "<ada@example.com>"]`, or encoded-words then the angle address when the
 * name is not plain ASCII. A quoted-string is never used for a name that holds `=?` (which a
 * lenient reader might decode) or that is too long to fold.
 */
export function mailboxPieces(mailbox: Mailbox): string[] {
  if (mailbox.name === undefined) return [mailbox.email];
  const name = mailbox.name;
  if (PRINTABLE_ASCII.test(name) && !name.includes('=?') && name.length <= 60) {
    return [`"${name.replace(/(["\\])/g, '\\$1')}"`, `<${mailbox.email}>`];
  }
  return [...encodeWords(name), `<${mailbox.email}>`];
}

/**
 * Splits an address-list header value (`Ada <ada@example.com>, "Doe, John" <john@example.com>`)
 * at the commas that separate mailboxes, not those inside quotes or angle brackets.
 */
export function splitAddressList(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let index = 0; index < value.length; index++) {
    const character = value[index] as string;
    if (quoted && character === '\\') {
      current += character + (value[index + 1] ?? '');
      index++;
      continue;
    }
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === '<') angle = true;
    else if (!quoted && character === '>') angle = false;
    if (character === ',' && !quoted && !angle) {
      items.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}
