// The last part of the tour: where the store lives, and proof that its secrets are encrypted.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Store } from '@plugboard/core';
import { check, say, show, step } from './narrate.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? filesUnder(join(dir, entry.name))
        : Promise.resolve(entry.isFile() ? [join(dir, entry.name)] : []),
    ),
  );
  return nested.flat();
}

/** The first sealed value (`pb1.<kid>.<iv>.<ct>`) in the files, with a little context, shortened. */
function sealedExcerpt(text: string): string | undefined {
  const match = /pb1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(text);
  if (!match) return undefined;
  const lineStart = text.lastIndexOf('\n', match.index) + 1;
  const before = text.slice(Math.max(lineStart, match.index - 60), match.index).replace(/[^\x20-\x7e]/g, '.');
  const sealed = match[0].length > 48 ? `${match[0].slice(0, 48)}…` : match[0];
  return `${lineStart < match.index - 60 ? '…' : ''}${before}${sealed}`;
}

export interface StoreOnDiskOptions {
  dir: string;
  kind: string;
  secrets: Array<string | undefined>;
  /** The connections the tour made, and a way to open the same directory again. */
  connections: number;
  reopen?: () => Promise<{ store: Store; close(): Promise<void> }>;
}

export async function showStoreOnDisk(options: StoreOnDiskOptions): Promise<void> {
  step('', 'Where the store lives');
  const files = await filesUnder(options.dir);
  show('store', `${options.kind} in ${options.dir}`);
  if (files.length === 0) {
    say('This store keeps everything in memory: nothing was written to disk.');
    return;
  }
  const contents = await Promise.all(
    files.map(async (file) => ({ file, data: await readFile(file), mode: (await stat(file)).mode & 0o777 })),
  );
  for (const { file, data, mode } of contents)
    show(relative(options.dir, file), `${data.length} bytes, mode ${mode.toString(8).padStart(4, '0')}`);
  const excerpt = contents
    .map(({ data }) => sealedExcerpt(data.toString('latin1')))
    .find((found) => found !== undefined);
  if (excerpt !== undefined) show('a stored credential, as it is on disk', excerpt);
  check(excerpt !== undefined, 'credentials are stored sealed (AES-256-GCM, "pb1.<key id>.<iv>.<ciphertext>")');
  const secrets = options.secrets.filter((secret): secret is string => secret !== undefined);
  const leaked = secrets.filter((secret) =>
    contents.some(({ data }) => data.includes(secret) || data.includes(Buffer.from(secret).toString('base64'))),
  );
  check(
    leaked.length === 0,
    `none of the ${secrets.length} secrets of this tour (client secret, tokens, API key) is in any file, in clear or base64`,
  );
  check(
    contents.every(({ mode }) => (mode & 0o077) === 0),
    'every file is readable by its owner only (0600)',
  );
  if (options.reopen) {
    const again = await options.reopen();
    try {
      const connections = await again.store.listConnections({ status: 'ACTIVE' });
      show(
        'the same directory opened again, as another process would',
        `${connections.length} ACTIVE connections: ${connections.map((connection) => `${connection.entityId}/${connection.app}`).join(', ')}`,
      );
      check(
        connections.length === options.connections,
        'the connections are still there: the store is durable across processes',
      );
    } finally {
      await again.close();
    }
  }
}
