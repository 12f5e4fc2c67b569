import type { ConnectionRecord } from '../store/store.js';

/** A connection as the toolset shows it: no credentials (read them with `getConnectionCredentials`). */
export type Connection = Omit<ConnectionRecord, 'credentials' | 'version'>;

/** The record without its credentials and version, as the toolset's methods and events show it. */
export function showConnection(record: ConnectionRecord): Connection {
  const { credentials: _credentials, version: _version, ...connection } = record;
  return connection;
}
