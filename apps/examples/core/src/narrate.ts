// Printing helpers for the tour. `--quiet` silences them, so `pnpm test` can run the tour as a
// check without the narration.

import { inspect } from 'node:util';

const quiet = process.argv.includes('--quiet');
let sectionNumber = 0;

export function section(title: string): void {
  if (quiet) return;
  sectionNumber += 1;
  console.log(`\n${sectionNumber}. ${title}\n${'-'.repeat(title.length + String(sectionNumber).length + 2)}`);
}

export function say(text: string): void {
  if (!quiet) console.log(text);
}

export function show(label: string, value: unknown): void {
  if (quiet) return;
  const rendered =
    typeof value === 'string' ? value : inspect(value, { depth: 6, colors: false, breakLength: 110, compact: 4 });
  console.log(`  ${label}: ${rendered.replace(/\n/g, '\n  ')}`);
}

/** Fails the tour when the library does not do what the narration claims. */
export function expect(condition: unknown, claim: string): asserts condition {
  if (!condition) throw new Error(`The example expected that ${claim}, but it did not happen.`);
}
