// A release as `pnpm version-packages` would make it, without touching the working tree: the
// workspace (sources, manifests, built dist/ folders, .changeset/) is copied to a temporary folder
// and `changeset version` runs there, applying every pending changeset (versions, CHANGELOG.md files,
// ranges between our packages). The check packs and publishes that copy.
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runOrThrow } from './run-command.mjs';

const NOT_COPIED = new Set(['node_modules', '.git', '.turbo', 'coverage', '.tmp']);

/** Copies the workspace at `root` to `destination` and versions it; resolves with the changeset output. */
export async function stageRelease(root, destination) {
  await cp(root, destination, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !NOT_COPIED.has(path.basename(source)) && !source.endsWith('.tgz'),
  });
  // pnpm packs a `workspace:` range from the linked package's manifest, so the copy gets its own
  // node_modules (hard links from pnpm's store, no scripts): the links then point at the copy's
  // versioned packages, not at the working tree's.
  await runOrThrow(
    'pnpm',
    ['install', '--frozen-lockfile', '--prefer-offline', '--ignore-scripts', '--reporter=silent'],
    {
      cwd: destination,
    },
  );
  const changeset = path.join(destination, 'node_modules/@changesets/cli/bin.js');
  const result = await runOrThrow(process.execPath, [changeset, 'version'], { cwd: destination });
  return result.output;
}

/** The manifest of a staged package. */
export async function stagedManifest(directory) {
  return JSON.parse(await readFile(path.join(directory, 'package.json'), 'utf8'));
}
