// One server instance as its own process, for the multi-instance tests: the built server (as
// `plugboard-server` runs it) with vendor URLs rerouted to the test's local fakes.
//   PLUGBOARD_TEST_REROUTE='{"https://api.github.com": "http://127.0.0.1:PORT"}' node test/server-instance.mjs
// Prints `listening on http://...` on standard output when it accepts requests.
import { rerouteFetch } from '@plugboard/fakes';
import { createPlugboardServer, loadServerConfig, serveNode } from '../dist/index.js';

const config = loadServerConfig();
const { fetch } = rerouteFetch(JSON.parse(process.env.PLUGBOARD_TEST_REROUTE ?? '{}'));
const server = await createPlugboardServer({
  config,
  toolset: { fetch, http: { retries: 0 } },
  // Errors only, on standard error, where the test shows them when an instance misbehaves.
  logger: (line) => {
    if (line.level === 'error' || (typeof line.status === 'number' && line.status >= 500))
      process.stderr.write(`${JSON.stringify(line)}\n`);
  },
});
const listening = await serveNode(server, config);
process.stdout.write(`listening on ${listening.url}\n`);
process.once('SIGTERM', () => {
  listening.close().then(() => process.exit(0));
});
