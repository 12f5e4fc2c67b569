/** A plain-text table: by default the first column left-aligned and the others right-aligned. */
export function table(
  headers: string[],
  rows: string[][],
  align: Array<'left' | 'right'> = headers.map((_, column) => (column === 0 ? 'left' : 'right')),
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        align[column] === 'right' ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function ms(value: number, digits = 2): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : '-';
}

export function micros(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} µs` : '-';
}

export function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '-';
}

export function perSecond(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')}/s` : '-';
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function heading(title: string): string {
  return `\n${title}\n${'='.repeat(title.length)}`;
}
