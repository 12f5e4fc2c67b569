// `npm create plugboard-connector` from the registry, as its README says, then the new package's
// own checks with plain npm: install, typecheck, test (the testkit's conformance suite), build.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { runOrThrow } from './run-command.mjs';

export async function checkCreateConnector({ directory, npmEnv }) {
  const name = 'plugboard-connector-acme';
  const started = Date.now();
  // npm_config_yes: npm exec would otherwise ask before installing the initializer.
  const env = { ...npmEnv, npm_config_yes: 'true' };
  await runOrThrow('npm', ['create', 'plugboard-connector', name, '--', '--name', 'acme'], { cwd: directory, env });
  const created = path.join(directory, name);
  await access(path.join(created, 'package.json'));
  await runOrThrow('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: created, env });
  const installSeconds = ((Date.now() - started) / 1000).toFixed(1);
  await runOrThrow('npm', ['run', 'typecheck'], { cwd: created, env });
  const test = await runOrThrow('npm', ['test'], { cwd: created, env });
  await runOrThrow('npm', ['run', 'build'], { cwd: created, env });
  const tests = /Tests\s+(\d+ passed[^\n]*)/.exec(test.stdout)?.[1]?.trim() ?? 'passed';
  return `created and installed in ${installSeconds} s; typecheck, test (${tests}), build ok`;
}
