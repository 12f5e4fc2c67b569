import { createHash } from 'node:crypto';
import {
  PlugboardError,
  type ConnectionChanges,
  type ConnectionFilter,
  type ConnectionRecord,
  type IntegrationRecord,
  type Store,
  type StoreLock,
} from '@plugboard/core';
import {
  createKeyring,
  createSecretCipher,
  openConnection,
  openIntegration,
  openPendingAuth,
  resealIfStale,
  sealConnection,
  sealContexts,
  sealIntegration,
  sealPendingAuth,
  type Keyring,
  type SecretCipher,
} from '@plugboard/store-kit';
import pg from 'pg';
import { createAdvisoryLocks, type LockSession } from './advisory-locks.js';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations.js';
import { toStoreError } from './store-errors.js';

/** A row as the driver returns it. */
export type PostgresRow = Record<string, unknown>;

/** What the store needs of a query runner; `pg`'s `Pool` and `PoolClient` have it. */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: PostgresRow[]; rowCount: number | null }>;
}

/** `pg`'s query with a statement name: parsed once per connection, then only bound and run. */
interface PreparedQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{
    rows: PostgresRow[];
    rowCount: number | null;
  }>;
}

/** A connection checked out of a pool (`pg`'s `PoolClient`). */
export interface PostgresPoolClient extends PostgresQueryable {
  /** Returns the connection to the pool; with an error (or `true`) the pool closes it instead. */
  release(destroy?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool (`pg`'s `Pool`). */
export interface PostgresPool extends PostgresQueryable {
  connect(): Promise<PostgresPoolClient>;
  end(): Promise<void>;
}

/** Where the database is: a connection string (the store makes and owns the pool) or your pool. */
export type PostgresConnectionOptions =
  | {
      /** @example process.env.DATABASE_URL // postgres://user:password@db.internal:5432/app */
      connectionString: string;
    }
  | {
      /**
       * Your own `pg` pool. The store neither configures it (pool size and statement timeout are
       * yours to set) nor ends it on `close()`. It checks one connection out for as long as it
       * holds locks.
       */
      pool: PostgresPool;
    };

export interface PostgresStoreOptions {
  /**
   * The keys secrets are sealed and opened with (store-kit's `createKeyring`).
   * @default PLUGBOARD_SECRET_KEY, with PLUGBOARD_PREVIOUS_SECRET_KEYS (comma-separated) during a rotation
   */
  keyring?: Keyring;
  /**
   * The PostgreSQL schema holding the tables; created by `migrate()`. Letters, digits and `_`.
   * @default 'plugboard'
   */
  schema?: string;
  /**
   * The most connections the store's pool opens (not counting the one that holds locks).
   * Only for `connectionString`.
   * @default 10
   */
  max?: number;
  /**
   * Statements running longer are cancelled by the server and reported as a retryable
   * `STORE_ERROR`; a cancelled write is rolled back whole. Only for `connectionString`.
   * @default 30_000
   */
  statementTimeoutMs?: number;
  /**
   * How long to wait for a connection (to open, or to come free in the pool) before reporting a
   * retryable `STORE_ERROR`. Only for `connectionString`.
   * @default 10_000
   */
  connectTimeoutMs?: number;
  /**
   * Whether the reads every execution makes (a connection, an entity's connections, an
   * integration) are named prepared statements, parsed and planned once per database connection
   * instead of on every call (the database then spends about a third of the CPU on a read). Set
   * false behind a pooler in transaction mode that does not keep prepared statements (PgBouncer
   * before 1.21, or with `max_prepared_statements = 0`), or with a pool that is not `pg`'s.
   * @default true
   */
  preparedStatements?: boolean;
  /** The clock pending-authorization and lock-lease expiry are judged by. @default Date.now */
  now?: () => number;
  /** Where the default keyring is read from. @default process.env */
  env?: Record<string, string | undefined>;
}

/** What `migrate()` did. */
export interface MigrateResult {
  /** The versions applied by this call, oldest first; empty when the schema was up to date. */
  applied: number[];
  /** The schema version the database is at now. */
  version: number;
}

/** A `Store` on PostgreSQL, plus what the persistent stores share. */
export interface PostgresStore extends Store {
  /** The connection joined with its integration: one query where the separate reads take two. */
  findConnectionWithIntegration: NonNullable<Store['findConnectionWithIntegration']>;
  /**
   * Creates or upgrades the schema: applies the migrations the database does not have yet.
   * Safe to call from several processes at once (they take turns on an advisory lock) and a
   * no-op when the schema is current. Call it once at startup or from a deploy step.
   */
  migrate(): Promise<MigrateResult>;
  /**
   * Seals every secret that an older key sealed with the current key. Idempotent; safe to
   * interrupt and run again, and to run while other processes use the store.
   */
  rotateSecrets(): Promise<{ resealed: number }>;
  /** Releases the store's locks and ends its pool (not a pool you passed in). */
  close(): Promise<void>;
  /** The schema holding the tables. */
  readonly schema: string;
  /** Where the keys came from: your `keyring` option or the environment. */
  readonly keySource: 'option' | 'env';
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/**
 * A select list: `fields` as they are, then `times` as ISO text, each read from `table` (an alias
 * and a dot, or nothing) and, with a `prefix`, named with it (the integration's columns in a join).
 */
function columnList(fields: readonly string[], times: readonly string[], table = '', prefix = ''): string {
  return [
    ...fields.map((column) => `${table}${column}${prefix ? ` AS ${prefix}${column}` : ''}`),
    ...times.map((column) => `${iso(`${table}${column}`)} AS ${prefix}${column}`),
  ].join(', ');
}
const INTEGRATION_FIELDS = ['id', 'app', 'auth_mode', 'name', 'auth_config', 'uses_default_oauth_app'];
const INTEGRATION_TIMES = ['created_at', 'updated_at'];
const CONNECTION_FIELDS = [
  'id',
  'integration_id',
  'app',
  'auth_mode',
  'entity_id',
  'status',
  'status_reason',
  'credentials',
  'version',
];
const CONNECTION_TIMES = ['expires_at', 'created_at', 'updated_at'];
const INTEGRATION_COLUMNS = columnList(INTEGRATION_FIELDS, INTEGRATION_TIMES);
const CONNECTION_COLUMNS = columnList(CONNECTION_FIELDS, CONNECTION_TIMES);
// A connection (alias c, its columns named as in CONNECTION_COLUMNS) joined with its integration (alias i, prefixed i_).
const JOINED_INTEGRATION_PREFIX = 'i_';
const JOINED_COLUMNS = `${columnList(CONNECTION_FIELDS, CONNECTION_TIMES, 'c.')}, ${columnList(INTEGRATION_FIELDS, INTEGRATION_TIMES, 'i.', JOINED_INTEGRATION_PREFIX)}`;
const PENDING_AUTH_COLUMNS = `state, connection_id, integration_id, redirect_uri, secrets, ${iso('expires_at')} AS expires_at`;
// Pending authorizations nobody came back for are swept this long after they expired.
const PENDING_AUTH_SWEEP_MS = 60 * 60 * 1000;
const ROTATION_BATCH = 200;

/**
 * A store on PostgreSQL, shared by every process that points at the same database: web servers,
 * workers and serverless instances see the same integrations and connections, an OAuth callback
 * may land on any of them, and a token is refreshed by one process at a time.
 *
 * Secrets (an integration's `authConfig`, a connection's `credentials`, a PKCE verifier) are
 * sealed with AES-256-GCM exactly as the embedded store seals them; ids, apps, entity ids,
 * statuses, versions and timestamps stay plain columns you can query.
 *
 * @example
 * const store = await postgresStore({ connectionString: process.env.DATABASE_URL! });
 * await store.migrate();
 * const toolset = createToolset({ connectors: [github], store });
 */
export async function postgresStore(
  connection: PostgresConnectionOptions,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const schemaName = options.schema ?? 'plugboard';
  if (!SCHEMA_NAME.test(schemaName)) {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      `The schema name "${schemaName}" is not usable: use letters, digits and underscores, starting with a letter or underscore (at most 63).`,
    );
  }
  const schema = `"${schemaName}"`;
  const now = options.now ?? Date.now;
  const keySource = options.keyring ? 'option' : 'env';
  const cipher: SecretCipher = createSecretCipher(
    options.keyring ?? (await keyringFromEnv(options.env ?? process.env)),
  );

  const ownsPool = 'connectionString' in connection;
  let closed = false;
  let clientConfig: pg.ClientConfig | undefined;
  let pool: PostgresPool;
  if ('connectionString' in connection) {
    if (typeof connection.connectionString !== 'string' || connection.connectionString === '') {
      throw new PlugboardError(
        'CONFIGURATION_ERROR',
        'postgresStore needs a connectionString (postgres://user:password@host:5432/database) or a pool.',
      );
    }
    clientConfig = {
      connectionString: connection.connectionString,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      // Probes an idle connection after 10 s, so a lock session cut off by the network is noticed
      // in seconds rather than after the system's two hours.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: 'plugboard',
    };
    const ownPool = new pg.Pool({ ...clientConfig, max: options.max ?? 10 });
    // An idle connection that breaks (a database restart) is dropped by the pool; without a
    // listener the 'error' event would end the process.
    ownPool.on('error', () => undefined);
    pool = ownPool;
  } else {
    pool = connection.pool;
  }

  const locks = createAdvisoryLocks({
    namespace: `plugboard:${schemaName}`,
    now,
    async connect(onLost): Promise<LockSession> {
      if (clientConfig !== undefined) {
        // Its own connection, outside the pool, so holding locks never takes a pool slot that
        // the lock holder itself needs to finish its refresh.
        const client = new pg.Client(clientConfig);
        client.on('error', onLost);
        client.on('end', onLost);
        await client.connect();
        return { query: (text, values) => client.query(text, values), close: () => client.end() };
      }
      const client = await pool.connect();
      let released = false;
      client.on('error', (error) => {
        onLost();
        if (!released) client.release(error);
        released = true;
      });
      return {
        query: (text, values) => client.query(text, values),
        async close() {
          // Destroyed rather than returned, so the server drops the session's locks.
          if (!released) client.release(true);
          released = true;
        },
      };
    },
  });

  // Statement names by text: the schema is in the text, so stores on one pool never share a name
  // for two texts (pg refuses that). A store has a handful of read texts; the map stays small.
  const statementNames = new Map<string, string>();
  /** A hot read, as a named prepared statement unless `preparedStatements` is false. */
  const read = (text: string, values: unknown[]) => {
    if (options.preparedStatements === false) return pool.query(text, values);
    let name = statementNames.get(text);
    if (name === undefined) {
      name = `plugboard_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
      statementNames.set(text, name);
    }
    return (pool as unknown as PreparedQueryable).query({ name, text, values });
  };

  async function run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }

  /** Runs `work` in one transaction: all of it is written, or none of it. */
  async function transaction<T>(operation: string, work: (client: PostgresQueryable) => Promise<T>): Promise<T> {
    return run(operation, async () => {
      const client = await pool.connect();
      let failure: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        failure = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        // A connection that failed outside the server's control is not reused.
        client.release(
          failure !== undefined && !(failure instanceof pg.DatabaseError) && !PlugboardError.isInstance(failure)
            ? (failure as Error)
            : undefined,
        );
      }
    });
  }

  const integrationOf = async (row: PostgresRow): Promise<IntegrationRecord> =>
    openIntegration(cipher, {
      id: row['id'] as string,
      app: row['app'] as string,
      authMode: row['auth_mode'] as IntegrationRecord['authMode'],
      name: row['name'] as string,
      authConfig: row['auth_config'] as string,
      usesDefaultOAuthApp: row['uses_default_oauth_app'] as boolean,
      createdAt: row['created_at'] as string,
      updatedAt: row['updated_at'] as string,
    });

  const connectionOf = async (row: PostgresRow): Promise<ConnectionRecord> => {
    const record = await openConnection(cipher, {
      id: row['id'] as string,
      integrationId: row['integration_id'] as string,
      app: row['app'] as string,
      authMode: row['auth_mode'] as ConnectionRecord['authMode'],
      entityId: row['entity_id'] as string,
      status: row['status'] as ConnectionRecord['status'],
      credentials: row['credentials'] as string,
      version: Number(row['version']),
      createdAt: row['created_at'] as string,
      updatedAt: row['updated_at'] as string,
    });
    const reason = row['status_reason'];
    if (reason !== null && reason !== undefined)
      record.statusReason = (
        typeof reason === 'string' ? JSON.parse(reason) : reason
      ) as ConnectionRecord['statusReason'];
    if (typeof row['expires_at'] === 'string') record.expiresAt = row['expires_at'];
    return record;
  };

  const store: PostgresStore = {
    schema: schemaName,
    keySource,

    async migrate() {
      return run('migrating the schema', async () => {
        const client = await pool.connect();
        let failure: unknown;
        try {
          // Session level and without a timeout: a second process waits here while the first
          // applies the migrations, then finds nothing left to do.
          await client.query('SET statement_timeout = 0');
          await client.query('SELECT pg_advisory_lock($1::bigint)', [advisoryKey(`plugboard:migrate:${schemaName}`)]);
          try {
            // Only when missing: CREATE SCHEMA needs the CREATE privilege on the database, which a
            // role given a schema made by an administrator may not have.
            const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schemaName]);
            if (exists.rows.length === 0) await client.query(`CREATE SCHEMA ${schema}`);
            await client.query(
              `CREATE TABLE IF NOT EXISTS ${schema}.plugboard_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
            );
            const done = new Set(
              (await client.query(`SELECT version FROM ${schema}.plugboard_migrations`)).rows.map((row) =>
                Number(row['version']),
              ),
            );
            const applied: number[] = [];
            for (const migration of migrations) {
              if (done.has(migration.version)) continue;
              await client.query('BEGIN');
              try {
                await client.query(migration.sql(schema));
                await client.query(`INSERT INTO ${schema}.plugboard_migrations (version, name) VALUES ($1, $2)`, [
                  migration.version,
                  migration.name,
                ]);
                await client.query('COMMIT');
              } catch (error) {
                await client.query('ROLLBACK').catch(() => undefined);
                throw error;
              }
              applied.push(migration.version);
              done.add(migration.version);
            }
            return { applied, version: Math.max(LATEST_SCHEMA_VERSION, ...done) };
          } finally {
            await client
              .query('SELECT pg_advisory_unlock($1::bigint)', [advisoryKey(`plugboard:migrate:${schemaName}`)])
              .catch(() => undefined);
            await client.query('RESET statement_timeout').catch(() => undefined);
          }
        } catch (error) {
          failure = error;
          throw error;
        } finally {
          client.release(
            failure !== undefined && !(failure instanceof pg.DatabaseError) ? (failure as Error) : undefined,
          );
        }
      });
    },

    async saveIntegration(record) {
      const sealed = await sealIntegration(cipher, record);
      await run(`saving integration ${record.id}`, () =>
        pool.query(
          `INSERT INTO ${schema}.integrations (id, app, auth_mode, name, auth_config, uses_default_oauth_app, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO UPDATE SET app = EXCLUDED.app, auth_mode = EXCLUDED.auth_mode, name = EXCLUDED.name, auth_config = EXCLUDED.auth_config,
             uses_default_oauth_app = EXCLUDED.uses_default_oauth_app, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
          [
            sealed.id,
            sealed.app,
            sealed.authMode,
            sealed.name,
            sealed.authConfig,
            sealed.usesDefaultOAuthApp,
            sealed.createdAt,
            sealed.updatedAt,
          ],
        ),
      );
    },
    async getIntegration(id) {
      const { rows } = await run(`reading integration ${id}`, () =>
        read(`SELECT ${INTEGRATION_COLUMNS} FROM ${schema}.integrations WHERE id = $1`, [id]),
      );
      return rows[0] === undefined ? undefined : integrationOf(rows[0]);
    },
    async listIntegrations(filter = {}) {
      const { rows } = await run('listing integrations', () =>
        filter.app === undefined
          ? pool.query(`SELECT ${INTEGRATION_COLUMNS} FROM ${schema}.integrations ORDER BY created_at, id COLLATE "C"`)
          : pool.query(
              `SELECT ${INTEGRATION_COLUMNS} FROM ${schema}.integrations WHERE app = $1 ORDER BY created_at, id COLLATE "C"`,
              [filter.app],
            ),
      );
      return Promise.all(rows.map(integrationOf));
    },
    async deleteIntegration(id) {
      return transaction(`deleting integration ${id}`, async (client) => {
        await client.query(`DELETE FROM ${schema}.connections WHERE integration_id = $1`, [id]);
        const { rowCount } = await client.query(`DELETE FROM ${schema}.integrations WHERE id = $1`, [id]);
        return (rowCount ?? 0) > 0;
      });
    },

    async createConnection(record) {
      const sealed = await sealConnection(cipher, record);
      const { rowCount } = await run(`creating connection ${record.id}`, () =>
        pool.query(
          `INSERT INTO ${schema}.connections (id, integration_id, app, auth_mode, entity_id, status, status_reason, credentials, expires_at, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (id) DO NOTHING`,
          [
            sealed.id,
            sealed.integrationId,
            sealed.app,
            sealed.authMode,
            sealed.entityId,
            sealed.status,
            sealed.statusReason === undefined ? null : JSON.stringify(sealed.statusReason),
            sealed.credentials,
            sealed.expiresAt ?? null,
            sealed.version,
            sealed.createdAt,
            sealed.updatedAt,
          ],
        ),
      );
      if (rowCount === 0)
        throw new PlugboardError('STORE_CONFLICT', `A connection with id ${record.id} already exists.`);
    },
    async getConnection(id) {
      const { rows } = await run(`reading connection ${id}`, () =>
        read(`SELECT ${CONNECTION_COLUMNS} FROM ${schema}.connections WHERE id = $1`, [id]),
      );
      return rows[0] === undefined ? undefined : connectionOf(rows[0]);
    },
    async listConnections(filter: ConnectionFilter = {}) {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const where = (column: string, value: unknown) => {
        values.push(value);
        conditions.push(
          Array.isArray(value) ? `${column} = ANY($${values.length}::text[])` : `${column} = $${values.length}`,
        );
      };
      if (filter.app !== undefined) where('app', filter.app);
      if (filter.entityId !== undefined) where('entity_id', filter.entityId);
      if (filter.integrationId !== undefined) where('integration_id', filter.integrationId);
      if (filter.status !== undefined)
        where('status', typeof filter.status === 'string' ? [filter.status] : [...filter.status]);
      const { rows } = await run('listing connections', () =>
        read(
          `SELECT ${CONNECTION_COLUMNS} FROM ${schema}.connections ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY updated_at DESC, id COLLATE "C" DESC`,
          values,
        ),
      );
      return Promise.all(rows.map(connectionOf));
    },
    async findConnectionWithIntegration(lookup) {
      // One round trip (a join) where getConnection or listConnections and then getIntegration take two.
      const { rows } = await run('reading a connection with its integration', () =>
        'connectionId' in lookup
          ? read(
              `SELECT ${JOINED_COLUMNS} FROM ${schema}.connections c LEFT JOIN ${schema}.integrations i ON i.id = c.integration_id WHERE c.id = $1`,
              [lookup.connectionId],
            )
          : read(
              `SELECT ${JOINED_COLUMNS} FROM ${schema}.connections c LEFT JOIN ${schema}.integrations i ON i.id = c.integration_id WHERE c.app = $1 AND c.entity_id = $2 AND c.status = 'ACTIVE' ORDER BY c.updated_at DESC, c.id COLLATE "C" DESC LIMIT 1`,
              [lookup.app, lookup.entityId],
            ),
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      const [connection, integration] = await Promise.all([
        connectionOf(row),
        row['i_id'] === null || row['i_id'] === undefined
          ? undefined
          : integrationOf(
              Object.fromEntries(
                [...INTEGRATION_FIELDS, ...INTEGRATION_TIMES].map((column) => [
                  column,
                  row[`${JOINED_INTEGRATION_PREFIX}${column}`],
                ]),
              ),
            ),
      ]);
      return { connection, integration };
    },
    async updateConnection(id, changes: ConnectionChanges, updateOptions = {}) {
      const assignments: string[] = [];
      const values: unknown[] = [id];
      const set = (column: string, value: unknown, cast = '') => {
        values.push(value);
        assignments.push(`${column} = $${values.length}${cast}`);
      };
      const has = (key: keyof ConnectionChanges) => Object.hasOwn(changes, key);
      if (changes.entityId !== undefined) set('entity_id', changes.entityId);
      if (changes.status !== undefined) set('status', changes.status);
      if (has('statusReason'))
        set(
          'status_reason',
          changes.statusReason === undefined ? null : JSON.stringify(changes.statusReason),
          '::jsonb',
        );
      if (changes.credentials !== undefined)
        set('credentials', await cipher.sealJson(changes.credentials, sealContexts.connection(id)));
      if (has('expiresAt')) set('expires_at', changes.expiresAt ?? null, '::timestamptz');
      if (changes.updatedAt !== undefined) set('updated_at', changes.updatedAt);
      let versionCheck = '';
      if (updateOptions.expectedVersion !== undefined) {
        values.push(updateOptions.expectedVersion);
        versionCheck = ` AND version = $${values.length}`;
      }
      const { rows } = await run(`updating connection ${id}`, () =>
        pool.query(
          `UPDATE ${schema}.connections SET ${[...assignments, 'version = version + 1'].join(', ')} WHERE id = $1${versionCheck} RETURNING ${CONNECTION_COLUMNS}`,
          values,
        ),
      );
      if (rows[0] !== undefined) return connectionOf(rows[0]);
      const current = await run(`reading connection ${id}`, () =>
        pool.query(`SELECT version FROM ${schema}.connections WHERE id = $1`, [id]),
      );
      const stored = current.rows[0];
      if (stored === undefined) throw new PlugboardError('CONNECTION_NOT_FOUND', `No connection with id ${id}.`);
      throw new PlugboardError(
        'STORE_CONFLICT',
        `Connection ${id} changed concurrently (version ${Number(stored['version'])}, expected ${updateOptions.expectedVersion}).`,
      );
    },
    async deleteConnection(id) {
      const { rowCount } = await run(`deleting connection ${id}`, () =>
        pool.query(`DELETE FROM ${schema}.connections WHERE id = $1`, [id]),
      );
      return (rowCount ?? 0) > 0;
    },

    async savePendingAuth(record) {
      const sealed = await sealPendingAuth(cipher, record);
      await run('saving a pending authorization', () =>
        pool.query(
          `WITH swept AS (DELETE FROM ${schema}.pending_auth WHERE expires_at < $7::timestamptz AND state <> $1)
           INSERT INTO ${schema}.pending_auth (state, connection_id, integration_id, redirect_uri, secrets, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (state) DO UPDATE SET connection_id = EXCLUDED.connection_id, integration_id = EXCLUDED.integration_id,
             redirect_uri = EXCLUDED.redirect_uri, secrets = EXCLUDED.secrets, expires_at = EXCLUDED.expires_at`,
          [
            sealed.state,
            sealed.connectionId,
            sealed.integrationId,
            sealed.redirectUri ?? null,
            sealed.secrets,
            sealed.expiresAt,
            new Date(now() - PENDING_AUTH_SWEEP_MS).toISOString(),
          ],
        ),
      );
    },
    async takePendingAuth(state) {
      // DELETE ... RETURNING: of two processes taking the same state, exactly one gets the row.
      const { rows } = await run('taking a pending authorization', () =>
        pool.query(`DELETE FROM ${schema}.pending_auth WHERE state = $1 RETURNING ${PENDING_AUTH_COLUMNS}`, [state]),
      );
      const row = rows[0];
      if (row === undefined || Date.parse(row['expires_at'] as string) <= now()) return undefined;
      const sealed = {
        state: row['state'] as string,
        connectionId: row['connection_id'] as string,
        integrationId: row['integration_id'] as string,
        expiresAt: row['expires_at'] as string,
        secrets: row['secrets'] as string,
        ...(typeof row['redirect_uri'] === 'string' ? { redirectUri: row['redirect_uri'] } : {}),
      };
      return openPendingAuth(cipher, sealed);
    },

    acquireLock(name, ttlMs): Promise<StoreLock | undefined> {
      return locks.acquireLock(name, ttlMs);
    },

    async rotateSecrets() {
      let resealed = 0;
      const tables = [
        { table: 'integrations', key: 'id', column: 'auth_config', context: sealContexts.integration },
        { table: 'connections', key: 'id', column: 'credentials', context: sealContexts.connection },
        { table: 'pending_auth', key: 'state', column: 'secrets', context: sealContexts.pendingAuth },
      ];
      const current = `pb1.${cipher.currentKeyId}.`;
      for (const { table, key, column, context } of tables) {
        // A row a concurrent writer changed between our read and our write is left to the next
        // pass (its new value may already be current); a few passes settle it.
        for (let pass = 0; pass < 5; pass++) {
          let conflicts = 0;
          let after = '';
          for (;;) {
            const { rows } = await run(`reading ${table} to re-seal`, () =>
              pool.query(
                `SELECT ${key} AS key, ${column} AS sealed FROM ${schema}.${table}
                 WHERE left(${column}, $1) <> $2 AND ${key} COLLATE "C" > $3 ORDER BY ${key} COLLATE "C" LIMIT ${ROTATION_BATCH}`,
                [current.length, current, after],
              ),
            );
            for (const row of rows) {
              const id = row['key'] as string;
              const sealed = row['sealed'] as string;
              const fresh = await resealIfStale(cipher, sealed, context(id));
              if (fresh === undefined) continue;
              // Compare-and-swap on the sealed text: the record's content does not change, so
              // neither does its version.
              const { rowCount } = await run(`re-sealing ${table} ${id}`, () =>
                pool.query(`UPDATE ${schema}.${table} SET ${column} = $1 WHERE ${key} = $2 AND ${column} = $3`, [
                  fresh,
                  id,
                  sealed,
                ]),
              );
              if ((rowCount ?? 0) > 0) resealed += 1;
              else conflicts += 1;
            }
            if (rows.length < ROTATION_BATCH) break;
            after = rows[rows.length - 1]?.['key'] as string;
          }
          if (conflicts === 0) break;
        }
      }
      return { resealed };
    },

    async close() {
      if (closed) return;
      closed = true;
      await locks.close();
      if (ownsPool) await pool.end().catch(() => undefined);
    },
  };
  return store;
}

async function keyringFromEnv(env: Record<string, string | undefined>): Promise<Keyring> {
  const current = env['PLUGBOARD_SECRET_KEY'];
  if (current === undefined || current.trim() === '') {
    throw new PlugboardError(
      'SECRET_KEY_INVALID',
      'No secret key: the PostgreSQL store seals secrets with PLUGBOARD_SECRET_KEY, which is not set. Generate one with `plugboard keys generate` (or generateSecretKey() from @plugboard/store-kit), or pass a keyring.',
    );
  }
  const previous = (env['PLUGBOARD_PREVIOUS_SECRET_KEYS'] ?? '').split(/[\s,]+/).filter((text) => text !== '');
  return createKeyring(current, previous);
}

/** A 64-bit advisory lock key for a name. */
function advisoryKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
