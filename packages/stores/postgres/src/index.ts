export { postgresStore } from './postgres-store.js';
export type {
  MigrateResult,
  PostgresConnectionOptions,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryable,
  PostgresRow,
  PostgresStore,
  PostgresStoreOptions,
} from './postgres-store.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
