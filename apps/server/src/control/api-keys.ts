import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyScope, ControlStore, ProjectRecord } from './control-store.js';

// `pbk_<id>_<secret>`: the id finds the record, the secret (32 random bytes) proves possession.
const KEY_PATTERN = /^pbk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random lower-case id; 16 characters of 36 give about 82 bits, ample for record ids. */
export function randomId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let id = '';
  // 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps every character equally likely.
  for (const byte of bytes) if (byte < 252) id += ID_ALPHABET[byte % 36];
  return id.length === length ? `${prefix}${id}` : randomId(prefix, length);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A new key, and the record that stores it hashed. The key itself is returned once and kept nowhere. */
export function newApiKey(params: { projectId: string; name: string; scope: ApiKeyScope; now?: Date }): {
  key: string;
  record: ApiKeyRecord;
} {
  const idPart = randomId('');
  const secret = randomBytes(32).toString('base64url');
  const key = `pbk_${idPart}_${secret}`;
  return {
    key,
    record: {
      id: `key_${idPart}`,
      projectId: params.projectId,
      name: params.name,
      scope: params.scope,
      secretHash: sha256(secret),
      prefix: key.slice(0, 12),
      createdAt: (params.now ?? new Date()).toISOString(),
    },
  };
}

/** The key id a presented key claims, or `undefined` when it is not shaped like a key. */
function parseKey(key: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: `key_${match[1]}`, secret: match[2] as string } : undefined;
}

/**
 * The record of a presented key when it is genuine, current (not revoked, not past a rotation's
 * grace period) and its project exists; otherwise `undefined`, with no hint of which check failed.
 * The hashes are compared in constant time.
 */
export async function verifyApiKey(
  store: ControlStore,
  presented: string,
  now = Date.now(),
): Promise<{ key: ApiKeyRecord; project: ProjectRecord } | undefined> {
  const parsed = parseKey(presented);
  if (!parsed) return undefined;
  const record = await store.getApiKey(parsed.id);
  // Hash even when there is no record, so an unknown id costs the same as a wrong secret.
  const presentedHash = Buffer.from(sha256(parsed.secret), 'hex');
  const storedHash = Buffer.from(record?.secretHash ?? '0'.repeat(64), 'hex');
  const matches = storedHash.length === presentedHash.length && timingSafeEqual(storedHash, presentedHash);
  if (!record || !matches) return undefined;
  if (record.revokedAt !== undefined) return undefined;
  if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now) return undefined;
  const project = await store.getProject(record.projectId);
  return project ? { key: record, project } : undefined;
}

/** An API key as the API shows it: no hash. */
export function showApiKey(record: ApiKeyRecord) {
  return {
    id: record.id,
    name: record.name,
    scope: record.scope,
    prefix: record.prefix,
    createdAt: record.createdAt,
    revokedAt: record.revokedAt ?? null,
    expiresAt: record.expiresAt ?? null,
  };
}

/** Creates a project and its first admin key; what `plugboard-server bootstrap` and tests use. */
export async function createProject(
  store: ControlStore,
  params: { name: string; keyName?: string },
): Promise<{ project: ProjectRecord; key: string; keyRecord: ApiKeyRecord }> {
  const project: ProjectRecord = { id: randomId('proj_'), name: params.name, createdAt: new Date().toISOString() };
  await store.createProject(project);
  const { key, record } = newApiKey({ projectId: project.id, name: params.keyName ?? 'admin', scope: 'admin' });
  await store.saveApiKey(record);
  return { project, key, keyRecord: record };
}
