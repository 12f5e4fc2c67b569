import { createRedactor } from '@plugboard/core';
import { REDACTED } from '@plugboard/core/internal';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from './server-env.js';

/** One line of the server's log: one per request, plus one per unexpected error. */
export interface LogLine {
  time: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  requestId?: string;
  method?: string;
  /** Path and query, with credential-looking query parameters redacted. */
  path?: string;
  status?: number;
  durationMs?: number;
  projectId?: string;
  keyId?: string;
  /** The error code of a failed request. */
  code?: string;
  /** For an unexpected error: its name and its message, with every value the request carried redacted. */
  error?: { name: string; message: string };
  /** For a webhook delivery attempt: ids and numbers only, never the endpoint's URL, the body or the secret. */
  webhook?: { id: string; endpointId: string; event: string; attempt: number; nextAttemptAt?: string };
}

export type Logger = (line: LogLine) => void;

// Lines logged in one turn of the event loop, written together at its end: standard output to a
// file or a pipe is a synchronous write, one system call per write, which under load was one per
// request. Written before the process exits, so none is lost to process.exit().
let unwritten: string[] = [];
let exitHooked = false;
const writeUnwritten = () => {
  if (unwritten.length === 0) return;
  const text = unwritten.join('');
  unwritten = [];
  process.stdout.write(text);
};

/** JSON lines on standard output, in order; the lines of one event-loop turn in one write. */
export const stdoutLogger: Logger = (line) => {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', writeUnwritten);
  }
  if (unwritten.length === 0) setImmediate(writeUnwritten);
  unwritten.push(`${JSON.stringify(line)}\n`);
};

/**
 * Logs every request once it is answered: method, path, status, duration, project and key ids.
 * Bodies and headers are never logged; the query string is, with credential-looking parameters redacted.
 */
export function requestLog(logger: Logger): MiddlewareHandler<ServerEnv> {
  const redactor = createRedactor([]);
  return async (c, next) => {
    const started = performance.now();
    c.set('requestId', crypto.randomUUID());
    c.header('x-request-id', c.get('requestId'));
    await next();
    // Only a query, a fragment or user info can hold what the redactor looks for; most requests have none.
    const url = new URL(URL_PARTS_TO_REDACT.test(c.req.url) ? redactor.url(c.req.url) : c.req.url);
    if (url.search !== '')
      for (const name of CALLBACK_SECRETS) if (url.searchParams.has(name)) url.searchParams.set(name, REDACTED);
    const status = c.res.status;
    const line: LogLine = {
      time: new Date().toISOString(),
      level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      message: 'request',
      requestId: c.get('requestId'),
      method: c.req.method,
      path: redactPathSecrets(url.pathname) + url.search.replaceAll(encodeURIComponent(REDACTED), REDACTED),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    const project = c.get('project');
    if (project) line.projectId = project.id;
    const key = c.get('apiKey');
    if (key) line.keyId = key.id;
    const code = c.get('errorCode');
    if (code) line.code = code;
    logger(line);
  };
}

const URL_PARTS_TO_REDACT = /[?#@]/;

// What an OAuth callback carries: an authorization code or verifier (a credential until it is
// exchanged) and the state that lets it be exchanged. The library's redactor does not know them as keys.
const CALLBACK_SECRETS = ['code', 'state', 'oauth_verifier', 'oauth_token'];

// The OAuth callback's path carries no secret, but a mistaken client may put a key in a path; keys have a known shape.
function redactPathSecrets(path: string): string {
  return path.replace(/pbk_[a-z0-9]{16}_[A-Za-z0-9_-]+/g, '[REDACTED]');
}
