import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { renderTemplates, type TemplateContext } from './templates.js';

/** Dependency ranges of a generated package. */
export const DEFAULT_VERSIONS: TemplateContext['versions'] = {
  core: '>=0.0.0 <1.0.0',
  testkit: '>=0.0.0 <1.0.0',
  zod: '^4.0.0',
  zodDev: '^4.1.12',
  vitest: '^4.0.0',
  typescript: '^5.9.3',
  typesNode: '^20.19.0',
};

export interface ScaffoldOptions {
  /** Where the package goes; must not exist or be empty. */
  directory: string;
  /** The app id (`acme`): lower-case letters, digits, `-`, `_`. @default the directory name without `plugboard-connector-` */
  name?: string;
  /** @default the directory name */
  packageName?: string;
  /** Override dependency ranges (a `file:` tarball, a tag). */
  versions?: Partial<TemplateContext['versions']>;
}

export interface ScaffoldResult {
  directory: string;
  id: string;
  packageName: string;
  /** Relative paths of the files written. */
  files: string[];
}

/** Why a scaffold was refused: a bad name or an occupied directory. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}

const APP_ID = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** Writes a complete connector package: sources, a test on the test kit, README, changeset config. */
export async function scaffold(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const directory = path.resolve(options.directory);
  const base = path.basename(directory);
  const id = options.name ?? base.replace(/^plugboard-connector-/, '');
  if (!APP_ID.test(id)) {
    throw new ScaffoldError(
      `"${id}" is not a valid app id: use lower-case letters, digits, "-" or "_", starting with a letter (like "acme" or "acme-crm"). Pass --name.`,
    );
  }
  const packageName =
    options.packageName ?? (base.startsWith('plugboard-connector-') ? base : `plugboard-connector-${id}`);
  if (!PACKAGE_NAME.test(packageName)) throw new ScaffoldError(`"${packageName}" is not a valid npm package name.`);
  if (existsSync(directory) && readdirSync(directory).length > 0)
    throw new ScaffoldError(`${directory} exists and is not empty.`);

  const words = id.split(/[-_]/);
  const context: TemplateContext = {
    id,
    displayName: words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' '),
    prefix: id.toUpperCase().replace(/-/g, '_'),
    packageName,
    variable: words.map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join(''),
    versions: { ...DEFAULT_VERSIONS, ...options.versions },
  };
  const files = renderTemplates(context);
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(directory, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content, { flag: 'wx' });
  }
  return { directory, id, packageName, files: Object.keys(files).sort() };
}
