// A second process for the multi-process and crash tests; runs against the built package (dist).
// Keys come from PLUGBOARD_SECRET_KEY (and PLUGBOARD_PREVIOUS_SECRET_KEYS). Prints one line per
// acknowledged step, and a JSON summary line starting with "done " at the end.
import { embeddedStore } from '../../dist/index.js';

const [command, dir, ...args] = process.argv.slice(2);
const store = await embeddedStore({ dir });
const connection = (id, extra = {}) => ({
  id,
  integrationId: 'int-1',
  app: 'acme',
  authMode: 'API_KEY',
  entityId: 'default',
  status: 'ACTIVE',
  credentials: { api_key: `secret-${id}` },
  version: 1,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  ...extra,
});

if (command === 'create') {
  // create <dir> <prefix> <count>: one connection per step.
  const [prefix, count] = args;
  for (let index = 0; index < Number(count); index += 1) {
    await store.createConnection(connection(`${prefix}-${index}`));
    process.stdout.write(`${prefix}-${index}\n`);
  }
} else if (command === 'churn') {
  // churn <dir> <prefix>: forever, a new connection and a large update of a hot one (so the log compacts).
  const [prefix] = args;
  const padding = 'x'.repeat(2000);
  for (let index = 0; ; index += 1) {
    await store.createConnection(connection(`${prefix}-${index}`));
    await store.updateConnection('hot', { credentials: { api_key: `hot-${index}`, padding } });
    process.stdout.write(`${prefix}-${index}\n`);
  }
} else if (command === 'cas') {
  // cas <dir> <count>: read-then-CAS increments of the "counter" connection's credentials.n.
  const [count] = args;
  let won = 0;
  let conflicts = 0;
  while (won < Number(count)) {
    const current = await store.getConnection('counter');
    try {
      await store.updateConnection(
        'counter',
        { credentials: { n: String(Number(current.credentials.n) + 1) } },
        { expectedVersion: current.version },
      );
      won += 1;
    } catch (error) {
      if (error.code !== 'STORE_CONFLICT') throw error;
      conflicts += 1;
    }
  }
  process.stdout.write(`done ${JSON.stringify({ won, conflicts })}\n`);
} else if (command === 'locked') {
  // locked <dir> <count>: increments "counter" without CAS, only while holding the lock.
  const [count] = args;
  let done = 0;
  let refused = 0;
  while (done < Number(count)) {
    const lock = await store.acquireLock('counter', 60_000);
    if (!lock) {
      refused += 1;
      continue;
    }
    const current = await store.getConnection('counter');
    await new Promise((resolve) => setTimeout(resolve, 1));
    await store.updateConnection('counter', { credentials: { n: String(Number(current.credentials.n) + 1) } });
    await lock.release();
    done += 1;
  }
  process.stdout.write(`done ${JSON.stringify({ done, refused })}\n`);
} else if (command === 'take') {
  // take <dir> <count>: tries to take pending authorizations state-0..count-1; prints those it got.
  const [count] = args;
  for (let index = 0; index < Number(count); index += 1) {
    if (await store.takePendingAuth(`state-${index}`)) process.stdout.write(`state-${index}\n`);
  }
  process.stdout.write('done {}\n');
} else if (command === 'rotate') {
  process.stdout.write('started\n');
  const result = await store.rotateSecrets();
  process.stdout.write(`done ${JSON.stringify(result)}\n`);
} else {
  throw new Error(`unknown command ${command}`);
}
await store.close();
