/** What an API key may do: everything in its project, or only run actions (execute, proxy, agent tools, catalogue). */
export type ApiKeyScope = 'admin' | 'execute';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['admin', 'execute'];

/** A project: the unit of isolation. Its integrations and connections live in a store of its own. */
export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: string;
}

/** An API key as stored: the SHA-256 of its secret part, never the key itself. */
export interface ApiKeyRecord {
  id: string;
  projectId: string;
  name: string;
  scope: ApiKeyScope;
  /** Hex SHA-256 of the key's secret part. */
  secretHash: string;
  /** The key's first characters, shown so a person can tell keys apart (`pbk_abcd1234…`). */
  prefix: string;
  createdAt: string;
  /** Set when the key was revoked; a revoked key is refused. */
  revokedAt?: string | undefined;
  /** Set on a rotated key that keeps working for a grace period; refused after this time. */
  expiresAt?: string | undefined;
}

/**
 * Where the server keeps projects and API keys: a file beside the embedded store, or tables in
 * PostgreSQL. Integrations and connections are not here: they live in each project's own store.
 */
export interface ControlStore {
  createProject(record: ProjectRecord): Promise<void>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  listProjects(): Promise<ProjectRecord[]>;
  saveApiKey(record: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Oldest first. */
  listApiKeys(projectId: string): Promise<ApiKeyRecord[]>;
  /** Sets `revokedAt` and/or `expiresAt` on a key of the project; `undefined` when it has no such key. */
  updateApiKey(
    projectId: string,
    id: string,
    changes: Pick<ApiKeyRecord, 'revokedAt' | 'expiresAt'>,
  ): Promise<ApiKeyRecord | undefined>;
  /** Throws when the store cannot be read (the readiness check). */
  check(): Promise<void>;
  close(): Promise<void>;
}
