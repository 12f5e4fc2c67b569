// Cold start: the wall time of a fresh `node` process, from spawn to exit, repeated and
// interleaved (every variant once per round), reported as the median. The OS file cache is warm
// after the first round, as it is for a server that restarts or a CLI run twice.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, percentile } from '../stats.js';
import { BENCH_CREDENTIALS } from '../upstream/credentials.js';

export type ColdStartGroup = 'baseline' | 'headline' | 'dependency' | 'schemas';

export interface ColdStartVariant {
  name: string;
  group: ColdStartGroup;
  description: string;
  args: string[];
}

export interface ColdStartResult {
  runs: number;
  variants: Array<{
    name: string;
    group: ColdStartGroup;
    description: string;
    medianMs: number;
    minMs: number;
    p90Ms: number;
    /** Median minus the median of `node -e 0`: what the imports and the work cost. */
    overBaselineMs: number;
    /** ES modules loaded from files (the scripts in cold-start/ not counted), from one extra run with a loader hook. */
    modules: number | null;
  }>;
}

const COLD_START_DIRECTORY = fileURLToPath(new URL('../../cold-start/', import.meta.url));
const script = (name: string, ...args: string[]) => [`${COLD_START_DIRECTORY}${name}`, ...args];
const importOf = (specifier: string) => script('import.mjs', specifier);

export const COLD_START_VARIANTS: ColdStartVariant[] = [
  { name: 'node -e 0', group: 'baseline', description: 'a bare Node process', args: ['-e', '0'] },
  {
    name: 'ESM entry, no package',
    group: 'baseline',
    description:
      'import.mjs importing node:os: the ESM loader start-up every dependency row below also pays; subtract it to get the package alone',
    args: importOf('node:os'),
  },
  {
    name: '@octokit/rest: import',
    group: 'headline',
    description: "import { Octokit } from '@octokit/rest'",
    args: script('octokit-rest-import.mjs'),
  },
  {
    name: '@octokit/rest: import + 1 call',
    group: 'headline',
    description: 'import, then octokit.rest.pulls.get against the fake upstream',
    args: script('octokit-rest-call.mjs'),
  },
  {
    name: 'octokit: import',
    group: 'headline',
    description: "import { Octokit } from 'octokit' (the batteries-included package)",
    args: script('octokit-import.mjs'),
  },
  {
    name: 'plugboard: import',
    group: 'headline',
    description: 'import @plugboard/core and @plugboard/github',
    args: script('plugboard-import.mjs'),
  },
  {
    name: 'plugboard: import + 1 action',
    group: 'headline',
    description:
      'import both, createToolset, connect a token, executeAction(GITHUB_GET_A_PULL_REQUEST) against the fake upstream',
    args: script('plugboard-call.mjs'),
  },
  {
    name: 'plugboard, four connectors, all actions listed by listApps: import + 1 action',
    group: 'headline',
    description:
      "import core, GitHub, Gmail, Shopify and Trello, listApps (all 2,100+ actions counted: each connector's generated count, no catalogue built), executeAction(GITHUB_GET_A_PULL_REQUEST)",
    args: script('plugboard-all-call.mjs'),
  },
  {
    name: 'plugboard, four connectors, every catalogue built: import + 1 action',
    group: 'headline',
    description:
      'the same, and one generated action of GitHub, Gmail and Shopify looked up first, which builds their 2,100+ generated action objects (what listApps did before the counts)',
    args: script('plugboard-all-call.mjs', 'build-catalogues'),
  },
  {
    name: 'plugboard, 19-action GitHub package: import + 1 action',
    group: 'headline',
    description:
      'the same with @plugboard/github as it was before its generated catalogue (a compiled copy of commit d8cf605)',
    args: script('plugboard-19-call.mjs'),
  },
  {
    name: 'plugboard: import + 1 generated action',
    group: 'headline',
    description:
      'import both, connect a token, executeAction(GITHUB_LIST_RELEASES): reads the generated operations and one schema file',
    args: script('plugboard-generated-call.mjs'),
  },
  {
    name: '@plugboard/core',
    group: 'dependency',
    description:
      'core alone: its bundled dist (ky and oauth-1.0a inside) and zod/v4/core; jose and MiniSearch load on first use',
    args: importOf('@plugboard/core'),
  },
  {
    name: '@plugboard/github',
    group: 'dependency',
    description: "the connector alone (it brings core, and zod's full API; its action schemas are built on first use)",
    args: importOf('@plugboard/github'),
  },
  {
    name: 'zod',
    group: 'dependency',
    description: "zod 4's full (classic) API, what connectors import (`import { z } from 'zod'`)",
    args: importOf('zod'),
  },
  {
    name: 'zod/mini',
    group: 'dependency',
    description: "zod 4's tree-shakable functional API",
    args: importOf('zod/mini'),
  },
  {
    name: 'zod/v4/core',
    group: 'dependency',
    description: 'the core zod entry point, the only one @plugboard/core imports',
    args: importOf('zod/v4/core'),
  },
  {
    name: 'ky',
    group: 'dependency',
    description:
      "the HTTP client core sends with, bundled into core's dist (not imported as a package); its import runs a Request feature check that starts undici's fetch",
    args: importOf('ky'),
  },
  {
    name: 'jose/jwt/decode',
    group: 'dependency',
    description: 'the jose module core imports on first use (Basic with JWT)',
    args: importOf('jose/jwt/decode'),
  },
  { name: 'jose', group: 'dependency', description: 'all of jose, for comparison', args: importOf('jose') },
  {
    name: 'oauth-1.0a',
    group: 'dependency',
    description: "the OAuth 1.0a helper core signs with (base string, signing key, header), bundled into core's dist",
    args: importOf('oauth-1.0a'),
  },
  {
    name: 'zod: 30 schemas',
    group: 'schemas',
    description:
      "import zod's full API, build 30 GitHub-like input schemas (6 described fields each), parse one input with each",
    args: script('zod-schemas.mjs', 'classic'),
  },
  {
    name: 'zod/mini: 30 schemas',
    group: 'schemas',
    description: 'the same 30 schemas with zod/mini (functional checks, descriptions through the global registry)',
    args: script('zod-schemas.mjs', 'mini'),
  },
];

export function runColdStart(upstreamUrl: string, runs: number, log: (line: string) => void): ColdStartResult {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_UPSTREAM_URL: upstreamUrl,
    BENCH_GITHUB_TOKEN: BENCH_CREDENTIALS.githubToken,
  };
  delete environment['NODE_OPTIONS'];
  const samples = COLD_START_VARIANTS.map(() => [] as number[]);
  // One untimed round first: the first spawn of each script pays for reading files from disk.
  for (const variant of COLD_START_VARIANTS) spawnOnce(variant, environment);
  for (let run = 0; run < runs; run++) {
    for (let turn = 0; turn < COLD_START_VARIANTS.length; turn++) {
      const index = (turn + run) % COLD_START_VARIANTS.length;
      (samples[index] as number[]).push(spawnOnce(COLD_START_VARIANTS[index] as ColdStartVariant, environment));
    }
    log(`cold start: round ${run + 1}/${runs}`);
  }
  const modules = COLD_START_VARIANTS.map((variant) =>
    variant.args[0] === '-e' ? null : countModules(variant, environment),
  );
  const baseline = median(samples[0] as number[]);
  return {
    runs,
    variants: COLD_START_VARIANTS.map((variant, index) => {
      const values = samples[index] as number[];
      const medianMs = median(values);
      return {
        name: variant.name,
        group: variant.group,
        description: variant.description,
        medianMs,
        minMs: Math.min(...values),
        p90Ms: percentile(values, 90),
        overBaselineMs: medianMs - baseline,
        modules: modules[index] ?? null,
      };
    }),
  };
}

function countModules(variant: ColdStartVariant, environment: NodeJS.ProcessEnv): number {
  const child = spawnSync(process.execPath, ['--import', `${COLD_START_DIRECTORY}count-modules.mjs`, ...variant.args], {
    env: environment,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 30_000,
  });
  if (child.status !== 0)
    throw new Error(
      `counting the modules of "${variant.name}" failed: ${child.stderr.toString().trim().slice(0, 500)}`,
    );
  const directory = new URL(`file://${COLD_START_DIRECTORY}`).href;
  return child.stderr
    .toString()
    .split('\n')
    .filter((line) => line.startsWith('BENCH_MODULE ') && !line.slice('BENCH_MODULE '.length).startsWith(directory))
    .length;
}

function spawnOnce(variant: ColdStartVariant, environment: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, variant.args, {
    env: environment,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 30_000,
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0)
    throw new Error(
      `cold start "${variant.name}" exited with ${child.status ?? child.signal}: ${child.stderr.toString().trim().slice(0, 500)}`,
    );
  return elapsedMs;
}
