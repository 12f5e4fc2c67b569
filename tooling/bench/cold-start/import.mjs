// Cold start of one module: `node import.mjs SPECIFIER` imports it and exits.
const specifier = process.argv[2];
if (!specifier) throw new Error('usage: node import.mjs SPECIFIER');
await import(specifier);
