import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { generateSecretKey } from '@plugboard/store-kit';
import { ENVIRONMENT_VARIABLES, loadServerConfig } from './config.js';
import { API_KEY_SCOPES, type ApiKeyScope } from './control/control-store.js';
import { createProject, newApiKey } from './control/api-keys.js';
import { serveNode, type ListeningServer } from './node-server.js';
import { createPlugboardServer } from './plugboard-server.js';
import { embeddedStorage, postgresStorage, type ServerStorage } from './projects/server-storage.js';

const HELP = `Usage: plugboard-server [command]

Commands:
  serve (default)                      start the HTTP API
  bootstrap [--name NAME]              create the first project and print its admin key (once; a second run changes nothing)
  project create NAME                  create another project and print its admin key
  key create --project ID [--scope admin|execute] [--name NAME]
                                       create an API key for a project and print it
  secret-key                           print a new random PLUGBOARD_SECRET_KEY

Environment:
${Object.entries(ENVIRONMENT_VARIABLES)
  .map(([name, meaning]) => `  ${name.padEnd(32)} ${meaning}`)
  .join('\n')}
`;

type Environment = Record<string, string | undefined>;

async function openStorage(env: Environment): Promise<ServerStorage> {
  const config = loadServerConfig(env);
  return config.databaseUrl ? postgresStorage(config.databaseUrl, env) : embeddedStorage(config.dataDir, env);
}

/**
 * Starts the server the environment describes and says where it listens, what it stores in, and
 * (on a fresh store) how to make the first key. `plugboard-server` and `plugboard serve` both use it.
 */
export async function startServer(
  env: Environment = process.env,
): Promise<{ listening: ListeningServer; notice: string }> {
  const config = loadServerConfig(env);
  const server = await createPlugboardServer({ config, env });
  const listening = await serveNode(server, config);
  const storage = config.databaseUrl ? 'PostgreSQL' : `the embedded store in ${config.dataDir}`;
  let notice =
    `plugboard-server listening on ${listening.url} with ${storage}\n` +
    `  API reference: ${listening.url}/reference   OpenAPI: ${listening.url}/openapi.json\n`;
  if ((await server.storage.control.listProjects()).length === 0) {
    notice += '  No project yet: run `plugboard-server bootstrap` to create one and its admin key.\n';
  }
  return { listening, notice };
}

/**
 * The `plugboard-server` command line (and `plugboard serve`): resolves to the exit code, except
 * for `serve`, which runs until SIGINT or SIGTERM and then exits the process.
 */
export async function runServerCli(argv: readonly string[], env: Environment = process.env): Promise<number> {
  try {
    return await run([...argv], env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`plugboard-server: ${message}\n`);
    return PlugboardError.isInstance(error) && error.code === 'CONFIGURATION_ERROR' ? 78 : 1;
  }
}

async function run(argv: string[], env: Environment): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      project: { type: 'string' },
      scope: { type: 'string' },
    },
  });
  const [command = 'serve', ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  switch (command) {
    case 'serve': {
      const { listening, notice } = await startServer(env);
      process.stderr.write(notice);
      const stop = () => {
        listening.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return new Promise<number>(() => undefined);
    }
    case 'bootstrap': {
      const storage = await openStorage(env);
      try {
        const existing = await storage.control.listProjects();
        if (existing.length > 0) {
          process.stderr.write(
            `Already bootstrapped: project ${existing[0]?.id} (${existing[0]?.name}) exists, and its keys were shown when created.\n` +
              `To make another key: plugboard-server key create --project ${existing[0]?.id} --scope admin\n`,
          );
          return 0;
        }
        const { project, key } = await createProject(storage.control, { name: values.name ?? 'default' });
        process.stderr.write(`Created project ${project.id} (${project.name}). Its admin key, shown this once:\n`);
        process.stdout.write(`PLUGBOARD_PROJECT_ID=${project.id}\nPLUGBOARD_API_KEY=${key}\n`);
        return 0;
      } finally {
        await storage.close();
      }
    }
    case 'project': {
      const name = rest[1];
      if (rest[0] !== 'create' || name === undefined) throw usage('plugboard-server project create NAME');
      const storage = await openStorage(env);
      try {
        const { project, key } = await createProject(storage.control, { name });
        process.stderr.write(`Created project ${project.id} (${project.name}). Its admin key, shown this once:\n`);
        process.stdout.write(`PLUGBOARD_PROJECT_ID=${project.id}\nPLUGBOARD_API_KEY=${key}\n`);
        return 0;
      } finally {
        await storage.close();
      }
    }
    case 'key': {
      const scope = (values.scope ?? 'admin') as ApiKeyScope;
      if (rest[0] !== 'create' || values.project === undefined || !API_KEY_SCOPES.includes(scope)) {
        throw usage('plugboard-server key create --project ID [--scope admin|execute] [--name NAME]');
      }
      const storage = await openStorage(env);
      try {
        if (!(await storage.control.getProject(values.project))) {
          throw new PlugboardError('CONFIGURATION_ERROR', `There is no project ${values.project}.`);
        }
        const { key, record } = newApiKey({ projectId: values.project, name: values.name ?? scope, scope });
        await storage.control.saveApiKey(record);
        process.stderr.write(`Created ${scope} key ${record.id} for project ${values.project}, shown this once:\n`);
        process.stdout.write(`PLUGBOARD_API_KEY=${key}\n`);
        return 0;
      } finally {
        await storage.close();
      }
    }
    case 'secret-key':
      process.stdout.write(`${generateSecretKey()}\n`);
      return 0;
    default:
      throw usage(`unknown command "${command}"; see plugboard-server --help`);
  }
}

function usage(text: string): PlugboardError {
  return new PlugboardError('INVALID_PARAMS', `Usage: ${text}`);
}
