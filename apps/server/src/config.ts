import { resolve } from 'node:path';
import { PlugboardError } from '@plugboard/core';

/** The server's settings, read from the environment by `loadServerConfig`. */
export interface ServerConfig {
  /** `PORT`. @default 8080 */
  port: number;
  /** `HOST`: the address to listen on. @default '127.0.0.1' */
  host: string;
  /** `PLUGBOARD_DATA_DIR`: the embedded store's directory, used when no database is configured. @default './.plugboard-server' */
  dataDir: string;
  /** `DATABASE_URL`: PostgreSQL instead of the embedded store. */
  databaseUrl: string | undefined;
  /**
   * `PLUGBOARD_PUBLIC_URL`: the URL users and OAuth providers reach this server at; OAuth
   * callbacks are `<public URL>/v1/oauth/callback/<project id>`. @default `http://localhost:<port>`
   */
  publicUrl: string;
  /** `PLUGBOARD_CORS_ORIGINS`: comma-separated origins allowed to call the API from a browser. @default none (CORS off) */
  corsOrigins: string[];
  /** `PLUGBOARD_RATE_LIMIT`: requests per minute per API key; `0` turns the limit off. @default 1200 */
  rateLimitPerMinute: number;
  /** `PLUGBOARD_BODY_LIMIT`: the largest request body in bytes. @default 1_048_576 */
  bodyLimitBytes: number;
  /**
   * `PLUGBOARD_KEY_CACHE_SECONDS`: how long a process reuses an API key check instead of reading the
   * database again. A key revoked on another instance keeps working here for at most this long. @default 5
   */
  keyCacheSeconds: number;
}

/** The environment variables the server reads, with what each means; the README and `--help` list them. */
export const ENVIRONMENT_VARIABLES: Record<string, string> = {
  PORT: 'port to listen on (default 8080)',
  HOST: 'address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)',
  PLUGBOARD_DATA_DIR: 'directory of the embedded store, used without DATABASE_URL (default ./.plugboard-server)',
  DATABASE_URL: 'PostgreSQL connection string (postgres://user:password@host:5432/db); the embedded store when unset',
  PLUGBOARD_SECRET_KEY:
    'key that seals stored secrets (required with DATABASE_URL; without it the embedded store keeps one in <data dir>/secret.key)',
  PLUGBOARD_PREVIOUS_SECRET_KEYS: 'older secret keys, comma-separated, during a key rotation',
  PLUGBOARD_PUBLIC_URL: 'URL this server is reached at, for OAuth callbacks (default http://localhost:<PORT>)',
  PLUGBOARD_CONNECT_SECRET:
    'signs connect links and the connect page cookies, 32+ random characters, the same on every instance (default: random per process)',
  PLUGBOARD_CORS_ORIGINS: 'browser origins allowed to call the API, comma-separated (default: CORS off)',
  PLUGBOARD_RATE_LIMIT: 'requests per minute per API key, 0 for no limit (default 1200)',
  PLUGBOARD_BODY_LIMIT: 'largest request body in bytes (default 1048576)',
  PLUGBOARD_KEY_CACHE_SECONDS:
    'seconds an API key check is reused; a key revoked on another instance works here for at most this long, 0 for none (default 5)',
};

/**
 * Reads and checks the server's settings. Every problem is reported at once, in one
 * `CONFIGURATION_ERROR` whose message names each variable and what is wrong with it.
 */
export function loadServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
      return fallback;
    }
    return parsed;
  };

  const port = integer('PORT', 8080, 0, 65_535);
  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:5432/database.');
  }
  if (databaseUrl !== undefined && text('PLUGBOARD_SECRET_KEY') === undefined) {
    problems.push(
      'PLUGBOARD_SECRET_KEY is required with DATABASE_URL: every server instance must seal and open secrets with the same key. ' +
        'Create one with `plugboard-server secret-key`.',
    );
  }
  const publicUrl = text('PLUGBOARD_PUBLIC_URL') ?? `http://localhost:${port}`;
  let parsedPublicUrl: URL | undefined;
  try {
    parsedPublicUrl = new URL(publicUrl);
  } catch {
    problems.push(`PLUGBOARD_PUBLIC_URL must be an absolute http(s) URL (got "${publicUrl}").`);
  }
  if (parsedPublicUrl && !/^https?:$/.test(parsedPublicUrl.protocol)) {
    problems.push(`PLUGBOARD_PUBLIC_URL must be an http or https URL (got "${publicUrl}").`);
  }
  const corsOrigins = (text('PLUGBOARD_CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`PLUGBOARD_CORS_ORIGINS: "${origin}" is not an origin like https://app.example.com.`);
    }
  }
  const config: ServerConfig = {
    port,
    host: text('HOST') ?? '127.0.0.1',
    dataDir: resolve(text('PLUGBOARD_DATA_DIR') ?? './.plugboard-server'),
    databaseUrl,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    corsOrigins,
    rateLimitPerMinute: integer('PLUGBOARD_RATE_LIMIT', 1200, 0, 10_000_000),
    bodyLimitBytes: integer('PLUGBOARD_BODY_LIMIT', 1_048_576, 1024, 1_073_741_824),
    keyCacheSeconds: integer('PLUGBOARD_KEY_CACHE_SECONDS', 5, 0, 300),
  };
  if (problems.length > 0) {
    throw new PlugboardError(
      'CONFIGURATION_ERROR',
      `The server is not configured correctly:\n- ${problems.join('\n- ')}`,
      {
        details: { problems },
      },
    );
  }
  return config;
}
