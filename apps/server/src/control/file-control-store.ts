import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import type { ApiKeyRecord, ControlStore, ProjectRecord } from './control-store.js';

interface ControlFile {
  format: 'plugboard-server';
  version: 1;
  projects: ProjectRecord[];
  apiKeys: ApiKeyRecord[];
}

const empty = (): ControlFile => ({ format: 'plugboard-server', version: 1, projects: [], apiKeys: [] });

/**
 * Projects and API keys in `<dir>/server.json`, written whole and atomically (a temporary file,
 * fsynced, then renamed). Reads are served from memory and reloaded when the file changes, so a
 * key created or revoked by `plugboard-server` commands in another process is seen at once.
 * Writers in one process take turns; two processes writing in the same instant is not guarded
 * against (run several server instances on PostgreSQL).
 */
export async function fileControlStore(dir: string): Promise<ControlStore> {
  const path = join(dir, 'server.json');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let cached: ControlFile | undefined;
  let seen = '';
  let tail: Promise<unknown> = Promise.resolve();

  const load = async (): Promise<ControlFile> => {
    let signature: string;
    try {
      const info = await stat(path);
      signature = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (cached = empty());
      throw storeError(path, error);
    }
    if (cached && signature === seen) return cached;
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as ControlFile;
      if (parsed.format !== 'plugboard-server' || parsed.version !== 1)
        throw new Error(`not a plugboard-server file of a version this server reads`);
      cached = parsed;
      seen = signature;
      return parsed;
    } catch (error) {
      throw storeError(path, error);
    }
  };

  const write = <T>(change: (data: ControlFile) => T): Promise<T> => {
    const run = tail.then(async () => {
      const data = structuredClone(await load());
      const result = change(data);
      const temporary = `${path}.${process.pid}.tmp`;
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
      cached = undefined;
      return result;
    });
    tail = run.catch(() => undefined);
    return run;
  };

  return {
    async createProject(record) {
      await write((data) => {
        data.projects.push(structuredClone(record));
      });
    },
    async getProject(id) {
      const found = (await load()).projects.find((project) => project.id === id);
      return found && structuredClone(found);
    },
    async listProjects() {
      return structuredClone((await load()).projects);
    },
    async saveApiKey(record) {
      await write((data) => {
        data.apiKeys.push(structuredClone(record));
      });
    },
    async getApiKey(id) {
      const found = (await load()).apiKeys.find((key) => key.id === id);
      return found && structuredClone(found);
    },
    async listApiKeys(projectId) {
      return structuredClone((await load()).apiKeys.filter((key) => key.projectId === projectId));
    },
    updateApiKey(projectId, id, changes) {
      return write((data) => {
        const found = data.apiKeys.find((key) => key.id === id && key.projectId === projectId);
        if (!found) return undefined;
        if (changes.revokedAt !== undefined) found.revokedAt = changes.revokedAt;
        if (changes.expiresAt !== undefined) found.expiresAt = changes.expiresAt;
        return structuredClone(found);
      });
    },
    async check() {
      await load();
    },
    async close() {
      await tail;
    },
  };
}

function storeError(path: string, error: unknown): PlugboardError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new PlugboardError('STORE_ERROR', `Cannot read the server's project file ${path} (${reason}).`);
}
