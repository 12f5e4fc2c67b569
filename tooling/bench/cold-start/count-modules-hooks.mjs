// Module loader hooks (they run on the loader thread): one stderr line per file module loaded.
import { writeSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) writeSync(2, `BENCH_MODULE ${url}\n`);
  return nextLoad(url, context);
}
