import { PlugboardError } from '@plugboard/core';

// CR and LF end a header line, NUL ends strings in many mail tools; the other C0 controls and DEL
// have no place in a header either (RFC 5322 section 2.2). Refused, never stripped: a value that
// would change meaning once "cleaned" is an error for the caller to see.
const FORBIDDEN_IN_HEADER = /[\u0000-\u0008\u000a-\u001f\u007f]/;
// A lone UTF-16 surrogate has no UTF-8 form; TextEncoder would silently turn it into U+FFFD.
const LONE_SURROGATE = /\p{Cs}/u;

export function refuse(message: string): never {
  throw new PlugboardError('INVALID_PARAMS', message);
}

/** Why a header field value cannot be used, or undefined when it can. */
export function headerTextProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'contains a line break (CR or LF), which would start a new header line';
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (FORBIDDEN_IN_HEADER.test(value)) return 'contains a control character';
  if (LONE_SURROGATE.test(value)) return 'contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding';
  return undefined;
}

/** Throws INVALID_PARAMS when `value` cannot go into a header. */
export function assertHeaderText(value: string, label: string): void {
  const problem = headerTextProblem(value);
  if (problem !== undefined) refuse(`The ${label} ${problem}.`);
}

/** Why a body cannot be encoded, or undefined when it can. Bodies are base64-encoded, so any text but a lone surrogate is fine. */
export function bodyTextProblem(value: string): string | undefined {
  return LONE_SURROGATE.test(value) ? 'contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding' : undefined;
}
