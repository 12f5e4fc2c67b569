import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rerouteFetch, startRecordingServer, type RecordingServer, type Routes } from '@plugboard/testkit';
import { loadServerConfig, type ServerConfig } from '../src/config.js';
import { createProject } from '../src/control/api-keys.js';
import type { LogLine } from '../src/http/request-log.js';
import { serveNode } from '../src/node-server.js';
import { createPlugboardServer, type PlugboardServer, type WebhookDeliveryOptions } from '../src/plugboard-server.js';

/** A GitHub personal access token the fake GitHub API accepts. */
export const PAT = 'ghp_Server7e42F292c6912E7710c838347Ae17';

/** The public URL the test server claims; OAuth redirects to it are rewritten to the real port. */
export const PUBLIC_URL = 'https://plugboard.example';

/** A fake of the parts of GitHub's REST API the tests call, answering as GitHub documents. */
export function fakeGitHubRoutes(acceptToken: (token: string) => boolean = () => false): Routes {
  const authorized = (headers: Record<string, string>) => {
    const token = /^Bearer (\S+)$/.exec(headers['authorization'] ?? '')?.[1];
    return token !== undefined && (token === PAT || acceptToken(token));
  };
  const unauthorized = {
    status: 401,
    json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
  };
  return {
    'GET /repos/{owner}/{repo}/pulls/{pull_number}': (request) =>
      !authorized(request.headers)
        ? unauthorized
        : request.params['pull_number'] === '404'
          ? { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }
          : {
              json: {
                number: Number(request.params['pull_number']),
                title: 'Amazing new feature',
                state: 'open',
                html_url: `https://github.com/${request.params['owner']}/${request.params['repo']}/pull/${request.params['pull_number']}`,
              },
            },
    'GET /user': (request) => (authorized(request.headers) ? { json: { login: 'octocat', id: 1 } } : unauthorized),
  };
}

export interface TestProject {
  id: string;
  /** The project's admin key. */
  key: string;
}

export interface TestServer {
  dataDir: string;
  /** Where the server listens: `http://127.0.0.1:PORT`. */
  url: string;
  server: PlugboardServer;
  config: ServerConfig;
  github: RecordingServer;
  /** Two projects, each with an admin key. */
  projects: [TestProject, TestProject];
  logs: LogLine[];
  /** Every response body read through `call`, for the secret checks. */
  bodies: string[];
  call(path: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; tests read it through `expect`, which checks every field they touch. */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field with expect.
  json: any;
}

export interface CallOptions {
  key?: string | undefined;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A server on 127.0.0.1 with the embedded store in a temporary directory, two projects, a fake
 * GitHub API reached through `rerouteFetch`, and its log lines kept in memory.
 */
export async function startTestServer(
  options: {
    /** Environment variables on top of the test defaults. */
    env?: Record<string, string>;
    /** More vendor URL prefixes to reroute, to local fakes. */
    reroute?: Record<string, string>;
    /** Tokens besides PAT the fake GitHub API accepts (ones a fake OAuth server issued). */
    acceptToken?: (token: string) => boolean;
    /** Webhook delivery settings (a short backoff). */
    webhooks?: WebhookDeliveryOptions;
  } = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'plugboard-server-'));
  const github = await startRecordingServer(fakeGitHubRoutes(options.acceptToken));
  const env = options.env ?? {};
  const extraRoutes = options.reroute ?? {};
  const config = loadServerConfig({ PORT: '0', PLUGBOARD_DATA_DIR: dataDir, PLUGBOARD_PUBLIC_URL: PUBLIC_URL, ...env });
  const logs: LogLine[] = [];
  const { fetch } = rerouteFetch({ 'https://api.github.com': github.url, ...extraRoutes });
  const server = await createPlugboardServer({
    config,
    toolset: { fetch, http: { retries: 0 } },
    logger: (line) => logs.push(line),
    // Only the variables given: the secret key comes from them, or from the key file in the data directory.
    env,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  });
  const listening = await serveNode(server, config);
  const first = await createProject(server.storage.control, { name: 'first' });
  const second = await createProject(server.storage.control, { name: 'second' });
  const bodies: string[] = [];
  return {
    url: listening.url,
    dataDir,
    server,
    config,
    github,
    projects: [
      { id: first.project.id, key: first.key },
      { id: second.project.id, key: second.key },
    ],
    logs,
    bodies,
    async call(path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key !== undefined) headers['authorization'] = `Bearer ${options.key}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const response = await globalThis.fetch(`${listening.url}${path}`, {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
      });
      const text = await response.text();
      bodies.push(text);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    async close() {
      await listening.close();
      await github.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
