/**
 * The schema, as numbered steps. A step is never edited once released: a change is a new step.
 * `migrate()` applies the steps a database does not have yet, each in its own transaction, and
 * records them in `plugboard_migrations`.
 */
export interface Migration {
  version: number;
  name: string;
  /** The statements, for the quoted schema name given. */
  sql(schema: string): string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'integrations, connections and pending authorizations',
    sql: (schema) => `
      CREATE TABLE ${schema}.integrations (
        id text PRIMARY KEY,
        app text NOT NULL,
        auth_mode text NOT NULL,
        name text NOT NULL,
        -- sealed: pb1.<key id>.<iv>.<ciphertext>
        auth_config text NOT NULL,
        uses_default_oauth_app boolean NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX integrations_app_idx ON ${schema}.integrations (app);

      CREATE TABLE ${schema}.connections (
        id text PRIMARY KEY,
        integration_id text NOT NULL,
        app text NOT NULL,
        auth_mode text NOT NULL,
        entity_id text NOT NULL,
        status text NOT NULL,
        status_reason jsonb,
        -- sealed: pb1.<key id>.<iv>.<ciphertext>
        credentials text NOT NULL,
        expires_at timestamptz,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX connections_entity_idx ON ${schema}.connections (entity_id, updated_at DESC);
      CREATE INDEX connections_integration_idx ON ${schema}.connections (integration_id);
      CREATE INDEX connections_app_idx ON ${schema}.connections (app, updated_at DESC);

      CREATE TABLE ${schema}.pending_auth (
        state text PRIMARY KEY,
        connection_id text NOT NULL,
        integration_id text NOT NULL,
        redirect_uri text,
        -- sealed: the PKCE verifier and flow data
        secrets text NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX pending_auth_expires_idx ON ${schema}.pending_auth (expires_at);
    `,
  },
];

/** The newest schema version this package knows. */
export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0;
