import { PlugboardError } from '@plugboard/core';
import type { PostgresPool, PostgresRow } from '@plugboard/store-postgres';
import type { ApiKeyRecord, ApiKeyScope, ControlStore, ProjectRecord } from './control-store.js';

/** The PostgreSQL schema of the server's own tables; each project's store has a schema of its own. */
export const CONTROL_SCHEMA = 'plugboard_server';
// Any fixed number: every instance starting at once takes turns creating the tables.
const MIGRATION_LOCK = 7_340_021;

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const KEY_COLUMNS = `id, project_id, name, scope, secret_hash, prefix, ${iso('created_at')} AS created_at, ${iso('revoked_at')} AS revoked_at, ${iso('expires_at')} AS expires_at`;

/**
 * Projects and API keys in two tables of the `plugboard_server` schema, shared by every server
 * instance on the database. Creates the tables when missing.
 */
export async function postgresControlStore(pool: PostgresPool): Promise<ControlStore> {
  const query = async (text: string, values: unknown[] = []) => {
    try {
      return await pool.query(text, values);
    } catch (error) {
      throw new PlugboardError(
        'STORE_ERROR',
        `The server's project tables could not be read or written (${(error as { code?: string }).code ?? 'database error'}).`,
        { retryable: true },
      );
    }
  };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${CONTROL_SCHEMA}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${CONTROL_SCHEMA}.projects (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${CONTROL_SCHEMA}.api_keys (
        id text PRIMARY KEY,
        project_id text NOT NULL REFERENCES ${CONTROL_SCHEMA}.projects (id),
        name text NOT NULL,
        scope text NOT NULL,
        secret_hash text NOT NULL,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        expires_at timestamptz
      )`);
    await client.query(
      `CREATE INDEX IF NOT EXISTS api_keys_project_idx ON ${CONTROL_SCHEMA}.api_keys (project_id, created_at)`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new PlugboardError(
      'STORE_ERROR',
      `Could not create the server's tables in PostgreSQL (${(error as { code?: string }).code ?? 'database error'}).`,
    );
  } finally {
    client.release();
  }

  return {
    async createProject(record) {
      await query(`INSERT INTO ${CONTROL_SCHEMA}.projects (id, name, created_at) VALUES ($1, $2, $3)`, [
        record.id,
        record.name,
        record.createdAt,
      ]);
    },
    async getProject(id) {
      const { rows } = await query(
        `SELECT id, name, ${iso('created_at')} AS created_at FROM ${CONTROL_SCHEMA}.projects WHERE id = $1`,
        [id],
      );
      return rows[0] && toProject(rows[0]);
    },
    async listProjects() {
      const { rows } = await query(
        `SELECT id, name, ${iso('created_at')} AS created_at FROM ${CONTROL_SCHEMA}.projects ORDER BY created_at, id`,
      );
      return rows.map(toProject);
    },
    async saveApiKey(record) {
      await query(
        `INSERT INTO ${CONTROL_SCHEMA}.api_keys (id, project_id, name, scope, secret_hash, prefix, created_at, revoked_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          record.id,
          record.projectId,
          record.name,
          record.scope,
          record.secretHash,
          record.prefix,
          record.createdAt,
          record.revokedAt ?? null,
          record.expiresAt ?? null,
        ],
      );
    },
    async getApiKey(id) {
      const { rows } = await query(`SELECT ${KEY_COLUMNS} FROM ${CONTROL_SCHEMA}.api_keys WHERE id = $1`, [id]);
      return rows[0] && toApiKey(rows[0]);
    },
    async listApiKeys(projectId) {
      const { rows } = await query(
        `SELECT ${KEY_COLUMNS} FROM ${CONTROL_SCHEMA}.api_keys WHERE project_id = $1 ORDER BY created_at, id`,
        [projectId],
      );
      return rows.map(toApiKey);
    },
    async updateApiKey(projectId, id, changes) {
      const { rows } = await query(
        `UPDATE ${CONTROL_SCHEMA}.api_keys
            SET revoked_at = COALESCE($3, revoked_at), expires_at = COALESCE($4, expires_at)
          WHERE id = $1 AND project_id = $2
        RETURNING ${KEY_COLUMNS}`,
        [id, projectId, changes.revokedAt ?? null, changes.expiresAt ?? null],
      );
      return rows[0] && toApiKey(rows[0]);
    },
    async check() {
      await query(`SELECT 1 FROM ${CONTROL_SCHEMA}.projects LIMIT 1`);
    },
    async close() {},
  };
}

function toProject(row: PostgresRow): ProjectRecord {
  return { id: String(row['id']), name: String(row['name']), createdAt: String(row['created_at']) };
}

function toApiKey(row: PostgresRow): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id: String(row['id']),
    projectId: String(row['project_id']),
    name: String(row['name']),
    scope: String(row['scope']) as ApiKeyScope,
    secretHash: String(row['secret_hash']),
    prefix: String(row['prefix']),
    createdAt: String(row['created_at']),
  };
  if (row['revoked_at'] !== null && row['revoked_at'] !== undefined) record.revokedAt = String(row['revoked_at']);
  if (row['expires_at'] !== null && row['expires_at'] !== undefined) record.expiresAt = String(row['expires_at']);
  return record;
}
