// The GitHub catalogue (19 curated + every generated REST operation): how long listing it takes
// once warm and the heap it holds, in a fresh `node --expose-gc` process; and the connector's
// unpacked size next to what Octokit ships for the same API (@octokit/plugin-rest-endpoint-methods
// + @octokit/openapi-types, as @octokit/rest installs them).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GitHubCatalogueResult {
  listing: {
    actions: number;
    firstListMs: number;
    warmListMedianMs: number;
    warmListMaxMs: number;
    heapAfterImportBytes: number;
    heapAfterListingBytes: number;
  };
  sizes: Array<{ name: string; unpackedBytes: number; files: number }>;
}

const BENCH_DIRECTORY = fileURLToPath(new URL('../../', import.meta.url));
const GITHUB_PACKAGE = fileURLToPath(new URL('../../../../packages/connectors/github/', import.meta.url));

function folderSize(folder: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      const inner = folderSize(full);
      bytes += inner.bytes;
      files += inner.files;
    } else if (entry.isFile()) {
      bytes += statSync(full).size;
      files += 1;
    }
  }
  return { bytes, files };
}

/**
 * The folder of the package `name` as the package in `from` would find it: the nearest
 * node_modules/NAME going up, with links followed (pnpm puts a package's dependencies beside it).
 * By folder rather than by resolve, as these packages export no ./package.json.
 */
function packageFolder(name: string, from: string): string {
  for (let folder = from; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'node_modules', name);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (path.dirname(folder) === folder) throw new Error(`${name} is not installed where ${from} can see it`);
  }
}

export function runGitHubCatalogue(log: (line: string) => void): GitHubCatalogueResult {
  log('github-catalogue: listing in a fresh process');
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(BENCH_DIRECTORY, 'cold-start', 'github-listing.mjs')],
    {
      cwd: BENCH_DIRECTORY,
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) throw new Error(`github-listing.mjs failed: ${child.stderr}`);
  const listing = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as GitHubCatalogueResult['listing'];

  log('github-catalogue: sizes');
  // What npm would publish: `npm pack --dry-run` lists the files of the built package.
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: GITHUB_PACKAGE, encoding: 'utf8' }),
  ) as Array<{ unpackedSize: number; entryCount: number }>;
  const restFolder = packageFolder('@octokit/rest', BENCH_DIRECTORY);
  const core = packageFolder('@octokit/core', restFolder);
  const endpointMethods = packageFolder('@octokit/plugin-rest-endpoint-methods', restFolder);
  const types = packageFolder('@octokit/openapi-types', packageFolder('@octokit/types', core));
  const endpointSize = folderSize(endpointMethods);
  const typesSize = folderSize(types);
  return {
    listing,
    sizes: [
      {
        name: '@plugboard/github (npm pack)',
        unpackedBytes: packed[0]?.unpackedSize ?? 0,
        files: packed[0]?.entryCount ?? 0,
      },
      { name: '@octokit/plugin-rest-endpoint-methods', unpackedBytes: endpointSize.bytes, files: endpointSize.files },
      { name: '@octokit/openapi-types', unpackedBytes: typesSize.bytes, files: typesSize.files },
      {
        name: 'the two @octokit packages together',
        unpackedBytes: endpointSize.bytes + typesSize.bytes,
        files: endpointSize.files + typesSize.files,
      },
    ],
  };
}
