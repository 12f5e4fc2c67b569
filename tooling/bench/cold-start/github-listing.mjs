// Run with node --expose-gc: the GitHub catalogue listed through a toolset, first and warm, and
// the heap before and after. Prints one JSON line.
const gc = globalThis.gc ?? (() => undefined);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const baseHeap = heap();
const { createToolset } = await import('@plugboard/core');
const { github } = await import('@plugboard/github');
const toolset = createToolset({ connectors: [github] });
const importedHeap = heap();
let started = performance.now();
const actions = toolset.listActions({ app: 'github' }).length;
const firstMs = performance.now() - started;
const listedHeap = heap();
const warm = [];
for (let run = 0; run < 21; run++) {
  started = performance.now();
  toolset.listActions({ app: 'github' });
  warm.push(performance.now() - started);
}
warm.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    actions,
    firstListMs: firstMs,
    warmListMedianMs: warm[Math.floor(warm.length / 2)],
    warmListMaxMs: warm[warm.length - 1],
    heapAfterImportBytes: importedHeap - baseHeap,
    heapAfterListingBytes: listedHeap - baseHeap,
  })}\n`,
);
