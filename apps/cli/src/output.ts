/** Writes lines to stdout: what a command produces (its result), never progress or prompts. */
export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** Progress and notes for the person at the terminal: stderr, so stdout stays pipeable. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** A plain table with padded columns; the last column is not padded. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  print(line(headers));
  for (const row of rows) print(line(row));
}

/** The first sentence of a description, cut to `max` characters for a table. */
export function summary(text: string, max = 80): string {
  const first = /^.*?[.!?](\s|$)/.exec(text)?.[0]?.trim() ?? text;
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/** What a secret value looks like on screen: its presence, never its content. */
export const MASK = '••••••••';
