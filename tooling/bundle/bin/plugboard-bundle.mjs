#!/usr/bin/env node
// `plugboard-bundle`, run in a package folder after `tsc` has written dist/: bundles the compiled
// modules into one ES module per entry of the package's exports map, plus the chunks the entries
// share (esbuild, code splitting), and removes the per-file modules tsc wrote. The .d.ts files stay
// as tsc wrote them, so the exports map and the types do not change.
//
// Why: a cold process pays for every module file Node resolves, opens and reads, and on a slow file
// system that is most of an import's cost (core was 68 files, GitHub 16). The package's own
// dependencies and peer dependencies stay imports (shared with the app, deduplicated by the package
// manager, updated on their own), except those named with `--inline`; dynamic `import()`s of the
// package's own modules become chunks loaded on first use.
//
// Usage (a package's build script): tsc -p tsconfig.build.json && plugboard-bundle [--inline DEPENDENCY]...
//
// Chunks sit next to the entries in dist/, not in a sub-folder, so code that finds files relative
// to `import.meta.url` (GitHub's generated JSON) sees the same folder it saw before bundling.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const packageFolder = process.cwd();
const distribution = join(packageFolder, 'dist');
const manifest = JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8'));

/** The JavaScript files the exports map points at (`default`/`import` conditions), as dist paths. */
function entryPoints(exportsMap) {
  const entries = new Set();
  const visit = (target) => {
    if (typeof target === 'string') {
      if (target.endsWith('.js') && target.startsWith('./dist/')) entries.add(resolve(packageFolder, target));
    } else if (target && typeof target === 'object') {
      for (const [condition, value] of Object.entries(target)) if (condition !== 'types') visit(value);
    }
  };
  visit(exportsMap);
  return [...entries];
}

function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// `--inline NAME`: a dependency bundled into the package instead of imported (a small one the
// package always loads, whose own files would cost more than its code). It stays in
// `dependencies` when the .d.ts files refer to its types; its license goes to dist/THIRD_PARTY_LICENSES.md.
const inline = process.argv.flatMap((argument, index) => (process.argv[index - 1] === '--inline' ? [argument] : []));
for (const name of inline) {
  if (!manifest.dependencies?.[name])
    throw new Error(`plugboard-bundle: --inline ${name}: not a dependency of ${manifest.name}`);
}

const entries = entryPoints(manifest.exports);
if (entries.length === 0)
  throw new Error(`plugboard-bundle: ${manifest.name} has no ./dist/*.js entry in its exports map`);
// Every dependency stays an import, subpaths included (`zod/v4/core`, `jose/jwt/decode`).
const external = Object.keys({
  ...manifest.dependencies,
  ...manifest.peerDependencies,
  ...manifest.optionalDependencies,
})
  .filter((name) => !inline.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

const result = await build({
  entryPoints: entries,
  outdir: distribution,
  outbase: distribution,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: '[name]-[hash]',
  // Names stay as written (stack traces, `function.name`); nothing is minified.
  minify: false,
  keepNames: false,
  legalComments: 'inline',
  write: false,
  logLevel: 'warning',
});

// The compiled per-file modules go; the bundle replaces them. Declarations and data files stay.
for (const file of filesUnder(distribution)) if (/\.(c|m)?js$/.test(file)) rmSync(file);
for (const output of result.outputFiles) {
  mkdirSync(join(output.path, '..'), { recursive: true });
  writeFileSync(output.path, output.contents);
}
const notices = inline.map((name) => {
  const folder = join(packageFolder, 'node_modules', name);
  const license = readdirSync(folder).find((file) => /^licen[cs]e(\.(md|txt))?$/i.test(file));
  if (!license) throw new Error(`plugboard-bundle: --inline ${name}: no license file in ${folder}`);
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  return `## ${name} ${version}\n\n${readFileSync(join(folder, license), 'utf8').trim()}\n`;
});
const noticeFile = join(distribution, 'THIRD_PARTY_LICENSES.md');
if (notices.length > 0)
  writeFileSync(noticeFile, `# Third-party code bundled into ${manifest.name}\n\n${notices.join('\n')}`);
else rmSync(noticeFile, { force: true });
// Folders left with nothing but declarations are fine; folders left empty are removed.
for (const folder of readdirSync(distribution)) {
  const path = join(distribution, folder);
  if (statSync(path).isDirectory() && filesUnder(path).length === 0) rmSync(path, { recursive: true });
}
process.stdout.write(
  `plugboard-bundle: ${manifest.name}: ${result.outputFiles.map((output) => relative(packageFolder, output.path)).join(', ')}\n`,
);
