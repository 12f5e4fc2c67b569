#!/usr/bin/env node
// The connect page's browser tests drive Debian's Chromium through playwright-core, which never
// downloads a browser. `pnpm test` runs this first so that the README's test command sets up a
// fresh Debian or Ubuntu machine by itself: Chromium is installed with apt-get when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.PLUGBOARD_CHROMIUM ?? '/usr/bin/chromium';

if (process.env.PLUGBOARD_SKIP_BROWSER === '1') {
  console.log('ensure-chromium: PLUGBOARD_SKIP_BROWSER=1, the browser tests will be skipped (and say so).');
  process.exit(0);
}
if (existsSync(chromium)) process.exit(0);

const fail = (why) => {
  console.error(
    `ensure-chromium: ${chromium} is missing and ${why}. Install Chromium (Debian/Ubuntu: apt-get install -y chromium), ` +
      'point PLUGBOARD_CHROMIUM at another build, or set PLUGBOARD_SKIP_BROWSER=1 to skip the browser tests.',
  );
  process.exit(1);
};

if (process.env.PLUGBOARD_CHROMIUM) fail('PLUGBOARD_CHROMIUM names it');
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
if (!has('apt-get')) fail('this machine has no apt-get to install it');
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root && !has('sudo')) fail('installing it needs root (or sudo)');

const run = (args) => {
  const [command, ...rest] = root ? args : ['sudo', '-n', ...args];
  const result = spawnSync(command, rest, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) fail(`\`${args.join(' ')}\` failed (exit ${result.status})`);
};

console.log('ensure-chromium: Chromium not found; installing it with apt-get (about a minute)');
const started = Date.now();
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', 'chromium']);
if (!existsSync(chromium)) fail('apt-get installed a package without it');
console.log(`ensure-chromium: installed ${chromium} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
