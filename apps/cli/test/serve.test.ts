// `plugboard serve` starts @plugboard/server's HTTP API from the built binary.
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanupsAfterEach, startCli, temporaryDirectory } from './run-cli.js';

beforeAll(assertBuilt);
const cleanups = cleanupsAfterEach();

describe('plugboard serve', () => {
  it('serves the API with the port, host and data directory given, and stops on SIGTERM', async () => {
    const dataDir = await temporaryDirectory(cleanups);
    const running = startCli(['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);
    cleanups.push(async () => {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    });
    const [, url] = await running.waitFor('stderr', /listening on (http:\/\/\S+) with the embedded store in (\S+)/);
    expect(running.output.stderr).toContain(`the embedded store in ${dataDir}`);
    expect(running.output.stderr).toContain('No project yet: run `plugboard-server bootstrap`');

    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v1/actions/{name}/execute');
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${url}/v1/apps`)).status).toBe(401);

    running.child.kill('SIGTERM');
    expect((await running.done).code).toBe(0);
  });

  it('refuses a port that is not a number as a usage error', async () => {
    const result = await startCli(['serve', '--port', 'eighty']).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Use a whole number from 0 to 65535.');
  });
});
