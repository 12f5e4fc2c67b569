import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, readFile, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { abortableDelay, PlugboardError } from '@plugboard/core';

// The on-disk format: one JSON value per line, each line prefixed by the first 16 hex digits of the
// SHA-256 of its JSON text and a space. A line without its newline (a write torn by a crash) or with
// a checksum that does not match is never applied.

const CHECKSUM_CHARS = 16;

export function checksumOf(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, CHECKSUM_CHARS);
}

export function encodeLine(entry: unknown): string {
  const json = JSON.stringify(entry);
  return `${checksumOf(json)} ${json}\n`;
}

/** The entries of the complete, intact lines in `buffer`, and how many bytes they span. */
export function decodeLines(buffer: Buffer): { entries: unknown[]; consumed: number; damaged: number } {
  const entries: unknown[] = [];
  let consumed = 0;
  let damaged = 0;
  for (;;) {
    const end = buffer.indexOf(0x0a, consumed);
    if (end === -1) break;
    const line = buffer.subarray(consumed, end).toString('utf8');
    consumed = end + 1;
    const space = line.indexOf(' ');
    const json = line.slice(space + 1);
    if (space !== CHECKSUM_CHARS || checksumOf(json) !== line.slice(0, space)) {
      damaged += 1;
      continue;
    }
    try {
      entries.push(JSON.parse(json));
    } catch {
      damaged += 1;
    }
  }
  return { entries, consumed, damaged };
}

/** Writes the whole buffer and flushes it to disk before returning. */
export async function appendDurably(path: string, data: string, truncateTo: number | undefined): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600);
  try {
    if (truncateTo !== undefined) await handle.truncate(truncateTo);
    await handle.write(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` with `data` atomically: temporary file, fsync, rename, directory fsync. */
export async function replaceDurably(path: string, data: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.write(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

/**
 * Reads `path` from `offset` to its end, and its first `headLength` bytes (the header line, which
 * names the file's generation); `undefined` when the file does not exist.
 */
export async function readFrom(
  path: string,
  offset: number,
  headLength = 0,
): Promise<{ data: Buffer; head: Buffer; ino: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    const length = Math.max(0, info.size - offset);
    const data = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(data, read, length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const head = Buffer.alloc(Math.min(headLength, info.size));
    if (head.length > 0) await handle.read(head, 0, head.length, 0);
    return { data: data.subarray(0, read), head, ino: info.ino };
  } finally {
    await handle.close();
  }
}

export async function inodeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * A cross-process writer lock: a file created with O_EXCL holding the owner's pid and host. A lock
 * whose owner on this host no longer runs (killed mid-write) is taken over.
 */
export async function acquireFileLock(lockPath: string, timeoutMs: number): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  const owner = `${process.pid}\n${hostname()}\n${randomBytes(8).toString('hex')}\n`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await createWhole(lockPath, owner);
      return async () => {
        // Only remove the lock if it is still ours.
        const current = await readFile(lockPath, 'utf8').catch(() => undefined);
        if (current === owner) await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new PlugboardError(
          'STORE_ERROR',
          `Embedded store: cannot create the lock file ${lockPath} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
        );
      }
    }
    await removeIfStale(lockPath);
    if (Date.now() > deadline) {
      throw new PlugboardError(
        'STORE_ERROR',
        `Embedded store: another process has held ${lockPath} for more than ${timeoutMs} ms.`,
        { retryable: true },
      );
    }
    await abortableDelay(Math.min(2 + attempt, 25) * (0.5 + Math.random()));
  }
}

const STALE_AFTER_MS = 120_000;

/**
 * Creates `path` holding `text`, or fails with EEXIST, without ever showing an empty or partial
 * file: a process killed between creating a lock file and writing its pid would otherwise leave
 * a lock nobody could tell was stale. The text goes to a private file first, which is then linked
 * into place (link fails atomically when the name exists).
 */
async function createWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text, { flag: 'wx', mode: 0o600 });
  try {
    await link(temporary, path);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function removeIfStale(lockPath: string): Promise<void> {
  const text = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const [pidText, host] = text.split('\n');
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && pid > 0 && !isRunning(pid)) {
    // Re-check right before removing, so a lock that was taken over meanwhile is left alone.
    const again = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (again === text) await unlink(lockPath).catch(() => undefined);
    return;
  }
  // Writers hold the lock for milliseconds. One held for minutes belongs to a process on another
  // host, was left half-written, or names a pid the system has since given to another process.
  const info = await stat(lockPath).catch(() => undefined);
  if (info && Date.now() - info.mtimeMs > STALE_AFTER_MS) {
    const again = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (again === text) await unlink(lockPath).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
