// Printing for the tour: numbered steps, short explanations, the values shown, and checks that
// fail the tour when the library does not do what the narration claims. Colors only on a terminal.
// Every line goes through one place that refuses to print a secret the tour registered.

import { inspect } from 'node:util';

const useColor =
  process.env['FORCE_COLOR'] !== undefined
    ? process.env['FORCE_COLOR'] !== '0'
    : process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
const paint = (code: string) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const green = paint('32');
export const red = paint('31');
export const cyan = paint('36');
export const yellow = paint('33');

const secrets = new Set<string>();
let checks = 0;

/** The tour stopped because a claim did not hold. */
export class DemoCheckFailed extends Error {
  override name = 'DemoCheckFailed';
}

/** Remembers a secret: it is never printed, and `mask` shows only its kind. */
export function protect<T extends string | undefined>(secret: T): T {
  if (secret !== undefined && secret.length >= 6) secrets.add(secret);
  return secret;
}

/** `ghu_…x7Qz (40 chars)`: the prefix that says what kind of token it is and the last 4 characters, as GitHub shows tokens. */
export function mask(secret: string | undefined): string {
  if (secret === undefined) return '(none)';
  const prefix = /^[A-Za-z0-9]{2,6}[_.]/.exec(secret)?.[0] ?? '';
  return secret.length < 16 ? `…(${secret.length} chars)` : `${prefix}…${secret.slice(-4)} (${secret.length} chars)`;
}

function emit(text: string): void {
  for (const secret of secrets) {
    if (text.includes(secret)) throw new DemoCheckFailed('the tour was about to print a secret; the line was withheld');
  }
  console.log(text);
}

export function step(number: number | string, title: string): void {
  const heading = `${number === '' ? '' : `${number}. `}${title}`;
  emit(`\n${bold(cyan(heading))}\n${dim('─'.repeat(Math.min(heading.length, 100)))}`);
}

/** A sentence of explanation. */
export function say(text: string): void {
  emit(text.replace(/^(?=.)/gm, '  '));
}

/** The call the tour makes, as you would write it. */
export function code(text: string): void {
  emit(dim(text.replace(/^/gm, '  │ ')));
}

export function show(label: string, value: unknown): void {
  const rendered =
    typeof value === 'string' ? value : inspect(value, { depth: 6, colors: useColor, breakLength: 100, compact: 4 });
  emit(`  ${yellow(label)}: ${rendered.replace(/\n/g, '\n    ')}`);
}

/** Fails the tour when the claim does not hold; prints it with a tick when it does. */
export function check(condition: unknown, claim: string): asserts condition {
  if (!condition) throw new DemoCheckFailed(`expected that ${claim}, but it did not happen`);
  checks += 1;
  emit(`  ${green('✓')} ${claim}`);
}

export function checkCount(): number {
  return checks;
}

/** Printed to stderr, with any registered secret replaced by its mask. */
export function fail(text: string): void {
  let scrubbed = text;
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join(mask(secret));
  console.error(`\n${red(bold('✗'))} ${scrubbed}`);
}

export function done(text: string): void {
  emit(`\n${green(bold('✓'))} ${text}`);
}
