import { PlugboardError } from '@plugboard/core';
import type { PostgresPool, PostgresRow } from '@plugboard/store-postgres';
import { createSecretCipher, type Keyring } from '@plugboard/store-kit';
import { generateWebhookSecret, type WebhookEventType } from '@plugboard/webhooks';
import PgBoss from 'pg-boss';
import { randomId } from '../control/api-keys.js';
import { CONTROL_SCHEMA } from '../control/postgres-control-store.js';
import { attemptDelivery, type DeliveryContext, resendDelivery, type SigningEndpoint } from './attempt-delivery.js';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookOutbox } from './webhook-outbox.js';

/** pg-boss's own schema: its queue, job and archive tables. */
export const JOB_SCHEMA = 'plugboard_jobs';
/** The pg-boss queue whose jobs are delivery attempts. */
export const DELIVERY_QUEUE = 'plugboard-webhook-delivery';
// Finished deliveries stay in the log this long (as in the embedded outbox), then a sweep removes them.
const FINISHED_RETENTION_DAYS = 7;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
// Any fixed number, distinct from the control store's: instances starting at once take turns creating the tables.
const MIGRATION_LOCK = 7_340_022;
const JOB_INSTALL_LOCK = 7_340_023;

/** A job: attempt number `attempt` of one delivery. A job whose attempt was already made is dropped. */
interface DeliveryJob {
  deliveryId: string;
  attempt: number;
}

const secretContext = (endpointId: string) => `webhook-endpoint:${endpointId}:secret`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ENDPOINT_COLUMNS = `id, project_id, url, description, events, ${iso('created_at')} AS created_at`;
// What signing an attempt needs from the endpoint (alias e): whether the previous secret is still honoured is the database's call.
const SIGNING_COLUMNS =
  'e.url, e.secret_sealed, e.previous_secret_sealed, (e.previous_secret_expires_at > now()) AS previous_honoured';
/** A delivery's columns, each prefixed with `table` (`d.` in a join). */
const deliveryColumns = (table = '') =>
  `${table}id, ${table}project_id, ${table}endpoint_id, ${table}event_type, ${table}body, ${table}status, ${table}attempts, ${iso(`${table}next_attempt_at`)} AS next_attempt_at, ${iso(`${table}created_at`)} AS created_at, ${iso(`${table}finished_at`)} AS finished_at`;
const DELIVERY_COLUMNS = deliveryColumns();

/**
 * The PostgreSQL outbox: endpoints and deliveries in the `plugboard_server` schema, and each
 * delivery attempt a job of pg-boss (10.x, the last line that runs on Node 20) in the
 * `plugboard_jobs` schema. A delivery row and its first job are written in one transaction; an
 * attempt's result and the job of the next attempt (`startAfter`: the backoff) in another. pg-boss
 * hands each job to one worker among all server instances (`SKIP LOCKED`), and a job whose worker
 * died expires and runs again: delivery at least once, with the same `webhook-id`.
 */
export async function postgresWebhookOutbox(params: {
  pool: PostgresPool;
  keyring: Keyring;
  context: DeliveryContext;
  /** How often an idle worker asks for due jobs. @default 2 */
  pollingIntervalSeconds?: number;
}): Promise<WebhookOutbox> {
  const { pool, context } = params;
  const cipher = createSecretCipher(params.keyring);
  await migrate(pool);
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
    schema: JOB_SCHEMA,
    schedule: false,
  });
  // pg-boss reports maintenance failures as events; unheard, an 'error' event would end the process.
  boss.on('error', (error: Error) =>
    context.logger({
      time: new Date().toISOString(),
      level: 'error',
      message: 'webhook job queue error',
      code: (error as { code?: string }).code ?? 'JOB_QUEUE_ERROR',
    }),
  );
  let workerId: string | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  /**
   * Removes old finished deliveries, and gives a job back to pending deliveries that lost theirs
   * (pg-boss gave up on a job whose attempt could not be recorded, the database being away), so
   * none stays pending for ever. Every instance sweeps: a job given back twice runs once, the
   * other finds its attempt made.
   */
  const sweep = async () => {
    try {
      await pool.query(
        `DELETE FROM ${CONTROL_SCHEMA}.webhook_deliveries WHERE finished_at < now() - make_interval(days => $1)`,
        [FINISHED_RETENTION_DAYS],
      );
      const { rows } = await pool.query(
        `SELECT d.id, jsonb_array_length(d.attempts) AS made FROM ${CONTROL_SCHEMA}.webhook_deliveries d
          WHERE d.status = 'pending' AND d.next_attempt_at < now() - interval '5 minutes'
            AND NOT EXISTS (SELECT 1 FROM ${JOB_SCHEMA}.job j
                             WHERE j.name = $1 AND j.state < 'completed' AND j.data ->> 'deliveryId' = d.id)`,
        [DELIVERY_QUEUE],
      );
      for (const row of rows)
        await boss.send(DELIVERY_QUEUE, { deliveryId: String(row['id']), attempt: Number(row['made']) + 1 });
    } catch {
      // The database is away: the next sweep tries again.
    }
  };

  const query = async (text: string, values: unknown[] = []) => {
    try {
      return await pool.query(text, values);
    } catch (error) {
      throw storeError(error);
    }
  };

  /** Runs `work` in a transaction; pg-boss's inserts join it through the wrapper. */
  const transaction = async <T>(work: (db: PgBoss.Db) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({ executeSql: (text, values) => client.query(text, values) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw PlugboardError.isInstance(error) ? error : storeError(error);
    } finally {
      client.release();
    }
  };

  const enqueue = (db: PgBoss.Db, job: DeliveryJob, startAfter?: string) =>
    boss.send(DELIVERY_QUEUE, job, { db, ...(startAfter === undefined ? {} : { startAfter }) });

  /** One delivery (`condition` on alias d) with what signing its next attempt needs from its endpoint (alias e). */
  const readForSending = async (condition: string, values: unknown[]): Promise<PostgresRow | undefined> => {
    const { rows } = await query(
      `SELECT ${deliveryColumns('d.')}, ${SIGNING_COLUMNS}
         FROM ${CONTROL_SCHEMA}.webhook_deliveries d
         JOIN ${CONTROL_SCHEMA}.webhook_endpoints e ON e.id = d.endpoint_id
        WHERE ${condition}`,
      values,
    );
    return rows[0];
  };

  const handle = async (job: DeliveryJob): Promise<void> => {
    const row = await readForSending('d.id = $1', [job.deliveryId]);
    // Gone with its endpoint, finished, or this attempt already made (a job run twice): nothing to do.
    if (row?.['status'] !== 'pending' || (row['attempts'] as unknown[]).length + 1 !== job.attempt) return;
    const delivery = toDelivery(row);
    const outcome = await attemptDelivery(delivery, await signingEndpoint(row, delivery.endpointId), context);
    await transaction(async (db) => {
      const locked = await db.executeSql(
        `SELECT status, jsonb_array_length(attempts) AS made FROM ${CONTROL_SCHEMA}.webhook_deliveries WHERE id = $1 FOR UPDATE`,
        [delivery.id],
      );
      const current = locked.rows[0];
      if (current?.status !== 'pending' || Number(current.made) + 1 !== job.attempt) return;
      await db.executeSql(
        `UPDATE ${CONTROL_SCHEMA}.webhook_deliveries
            SET attempts = attempts || $2::jsonb, status = $3, next_attempt_at = $4, finished_at = $5
          WHERE id = $1`,
        [
          delivery.id,
          JSON.stringify([outcome.attempt]),
          outcome.status,
          outcome.nextAttemptAt ?? null,
          outcome.finishedAt ?? null,
        ],
      );
      if (outcome.status === 'pending')
        await enqueue(db, { deliveryId: delivery.id, attempt: job.attempt + 1 }, outcome.nextAttemptAt);
    });
  };

  /** The URL and signing secrets of the endpoint in `row` (selected with SIGNING_COLUMNS): current first. */
  const signingEndpoint = async (row: PostgresRow, endpointId: string): Promise<SigningEndpoint> => {
    const secrets = [await cipher.open(String(row['secret_sealed']), secretContext(endpointId))];
    if (row['previous_secret_sealed'] && row['previous_honoured'] === true)
      secrets.push(await cipher.open(String(row['previous_secret_sealed']), secretContext(endpointId)));
    return { url: String(row['url']), secrets };
  };

  const publicEndpoint = (row: PostgresRow): WebhookEndpoint => {
    const endpoint: WebhookEndpoint = {
      id: String(row['id']),
      projectId: String(row['project_id']),
      url: String(row['url']),
      events: row['events'] as WebhookEventType[],
      createdAt: String(row['created_at']),
    };
    if (row['description'] !== null && row['description'] !== undefined)
      endpoint.description = String(row['description']);
    return endpoint;
  };

  return {
    async createEndpoint(input) {
      const secret = generateWebhookSecret();
      const id = randomId('whe_');
      const sealed = await cipher.seal(secret, secretContext(id));
      const { rows } = await query(
        `INSERT INTO ${CONTROL_SCHEMA}.webhook_endpoints (id, project_id, url, description, events, secret_sealed, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         RETURNING ${ENDPOINT_COLUMNS}`,
        [id, input.projectId, input.url, input.description ?? null, input.events, sealed],
      );
      return { endpoint: publicEndpoint(rows[0] as PostgresRow), secret };
    },
    async listEndpoints(projectId) {
      const { rows } = await query(
        `SELECT ${ENDPOINT_COLUMNS} FROM ${CONTROL_SCHEMA}.webhook_endpoints WHERE project_id = $1 ORDER BY created_at, id`,
        [projectId],
      );
      return rows.map(publicEndpoint);
    },
    async getEndpoint(projectId, id) {
      const { rows } = await query(
        `SELECT ${ENDPOINT_COLUMNS} FROM ${CONTROL_SCHEMA}.webhook_endpoints WHERE project_id = $1 AND id = $2`,
        [projectId, id],
      );
      return rows[0] && publicEndpoint(rows[0]);
    },
    async rotateSecret(projectId, id, keepPreviousForMs) {
      const secret = generateWebhookSecret();
      const sealed = await cipher.seal(secret, secretContext(id));
      // The old secret moves aside in the same statement, so two rotations at once keep a chain, not a gap.
      const { rows } = await query(
        `UPDATE ${CONTROL_SCHEMA}.webhook_endpoints
            SET previous_secret_sealed = secret_sealed, secret_sealed = $3,
                previous_secret_expires_at = now() + make_interval(secs => $4)
          WHERE project_id = $1 AND id = $2
          RETURNING ${ENDPOINT_COLUMNS}, ${iso('previous_secret_expires_at')} AS previous_secret_expires_at`,
        [projectId, id, sealed, keepPreviousForMs / 1000],
      );
      const row = rows[0];
      return (
        row && {
          endpoint: publicEndpoint(row),
          secret,
          previousSecretExpiresAt: String(row['previous_secret_expires_at']),
        }
      );
    },
    async resendDelivery(projectId, endpointId, deliveryId) {
      const row = await readForSending('d.project_id = $1 AND d.endpoint_id = $2 AND d.id = $3', [
        projectId,
        endpointId,
        deliveryId,
      ]);
      if (!row) return undefined;
      const delivery = toDelivery(row);
      if (delivery.status === 'pending') return delivery;
      const outcome = await resendDelivery(delivery, await signingEndpoint(row, endpointId), context);
      // Appended to whatever the log holds now (another instance may have re-sent it meanwhile).
      const updated = await query(
        `UPDATE ${CONTROL_SCHEMA}.webhook_deliveries
            SET attempts = attempts || $2::jsonb,
                status = CASE WHEN $3 = 'delivered' THEN 'delivered' ELSE status END,
                finished_at = CASE WHEN $3 = 'delivered' THEN now() ELSE finished_at END
          WHERE id = $1 AND status <> 'pending'
          RETURNING ${DELIVERY_COLUMNS}`,
        [delivery.id, JSON.stringify([outcome.attempt]), outcome.status],
      );
      return updated.rows[0] ? toDelivery(updated.rows[0]) : undefined;
    },
    async deleteEndpoint(projectId, id) {
      // Its deliveries go with it (ON DELETE CASCADE); their pending jobs find nothing and end.
      const { rows } = await query(
        `DELETE FROM ${CONTROL_SCHEMA}.webhook_endpoints WHERE project_id = $1 AND id = $2 RETURNING id`,
        [projectId, id],
      );
      return rows.length > 0;
    },
    async listDeliveries(projectId, endpointId, limit) {
      const { rows } = await query(
        `SELECT ${DELIVERY_COLUMNS} FROM ${CONTROL_SCHEMA}.webhook_deliveries
          WHERE project_id = $1 AND endpoint_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
        [projectId, endpointId, limit],
      );
      return rows.map(toDelivery);
    },
    async publish(projectId, payload) {
      const body = JSON.stringify(payload);
      const created = await transaction(async (db) => {
        const { rows } = await db.executeSql(
          `INSERT INTO ${CONTROL_SCHEMA}.webhook_deliveries (id, project_id, endpoint_id, event_type, body, status, attempts, next_attempt_at, created_at)
           SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), $1, e.id, $2, $3, 'pending', '[]'::jsonb, now(), now()
             FROM ${CONTROL_SCHEMA}.webhook_endpoints e
            WHERE e.project_id = $1 AND $2 = ANY (e.events)
          RETURNING ${DELIVERY_COLUMNS}`,
          [projectId, payload.type, body],
        );
        for (const row of rows) await enqueue(db, { deliveryId: String(row.id), attempt: 1 });
        return rows.map(toDelivery);
      });
      // Wake this instance's worker rather than wait for its next poll.
      if (created.length > 0 && workerId !== undefined) boss.notifyWorker(workerId);
      return created;
    },
    async start() {
      await oneInstanceAtATime(pool, async () => {
        await boss.start();
        await boss.createQueue(DELIVERY_QUEUE, {
          name: DELIVERY_QUEUE,
          // A job fails only when its attempt could not be recorded (the database went away); try it again soon.
          retryLimit: 10,
          retryDelay: 5,
          retryBackoff: true,
          // Longer than one attempt can take: a job still active after this belonged to a dead worker.
          expireInSeconds: Math.max(60, Math.ceil((context.policy.timeoutMs * 3) / 1000)),
        });
      });
      await sweep();
      sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
      sweeper.unref?.();
      workerId = await boss.work<DeliveryJob>(
        DELIVERY_QUEUE,
        { batchSize: 16, pollingIntervalSeconds: params.pollingIntervalSeconds ?? 2 },
        async (jobs) => {
          await Promise.all(jobs.map((job) => handle(job.data)));
        },
      );
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      await boss.stop({ graceful: true, wait: true, close: false, timeout: 15_000 });
    },
  };
}

/**
 * Runs `work` while holding a session-level advisory lock on a connection of its own, so server
 * instances starting at once install pg-boss's schema one after the other. pg-boss takes a lock of
 * its own, but only after it has looked the schema up: the instance that waited then runs
 * `CREATE SCHEMA IF NOT EXISTS` against its connection's cached "no such schema" and fails with a
 * duplicate key (seen in CI with two instances on a fresh database). Waiting here, before pg-boss
 * looks anything up, means the second instance finds the schema installed.
 */
async function oneInstanceAtATime(pool: PostgresPool, work: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [JOB_INSTALL_LOCK]);
    try {
      await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [JOB_INSTALL_LOCK]);
    }
  } finally {
    client.release();
  }
}

async function migrate(pool: PostgresPool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${CONTROL_SCHEMA}.webhook_endpoints (
        id text PRIMARY KEY,
        project_id text NOT NULL REFERENCES ${CONTROL_SCHEMA}.projects (id),
        url text NOT NULL,
        description text,
        events text[] NOT NULL,
        secret_sealed text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${CONTROL_SCHEMA}.webhook_deliveries (
        id text PRIMARY KEY,
        project_id text NOT NULL,
        endpoint_id text NOT NULL REFERENCES ${CONTROL_SCHEMA}.webhook_endpoints (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL,
        attempts jsonb NOT NULL,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    // Added after the first release of the table: a rotated secret keeps signing for a while.
    await client.query(
      `ALTER TABLE ${CONTROL_SCHEMA}.webhook_endpoints
         ADD COLUMN IF NOT EXISTS previous_secret_sealed text,
         ADD COLUMN IF NOT EXISTS previous_secret_expires_at timestamptz`,
    );
    await client.query(
      `CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint_idx ON ${CONTROL_SCHEMA}.webhook_deliveries (endpoint_id, created_at DESC)`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new PlugboardError(
      'STORE_ERROR',
      `Could not create the webhook tables in PostgreSQL (${(error as { code?: string }).code ?? 'database error'}).`,
    );
  } finally {
    client.release();
  }
}

function toDelivery(row: PostgresRow): WebhookDelivery {
  const delivery: WebhookDelivery = {
    id: String(row['id']),
    projectId: String(row['project_id']),
    endpointId: String(row['endpoint_id']),
    eventType: String(row['event_type']) as WebhookEventType,
    body: String(row['body']),
    status: String(row['status']) as WebhookDelivery['status'],
    attempts: row['attempts'] as WebhookAttempt[],
    createdAt: String(row['created_at']),
  };
  if (row['next_attempt_at'] !== null && row['next_attempt_at'] !== undefined && delivery.status === 'pending')
    delivery.nextAttemptAt = String(row['next_attempt_at']);
  if (row['finished_at'] !== null && row['finished_at'] !== undefined) delivery.finishedAt = String(row['finished_at']);
  return delivery;
}

function storeError(error: unknown): PlugboardError {
  return new PlugboardError(
    'STORE_ERROR',
    `The webhook tables could not be read or written (${(error as { code?: string }).code ?? 'database error'}).`,
    { retryable: true },
  );
}
