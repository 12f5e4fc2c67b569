// Runs a command without a shell and collects its output; shared by the release check's steps.
import { spawn } from 'node:child_process';

// Generous: an npm install through a cold registry on a busy two-core machine can take minutes.
const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Resolves with `{ code, stdout, stderr, output }` (output interleaves both streams); never rejects
 * on a non-zero exit. `onStdout` sees stdout as it arrives (the README flow's browser watches it).
 */
export function run(command, args, { cwd, env = {}, timeoutMs = DEFAULT_TIMEOUT_MS, onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
      onStdout?.(stdout);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr, output: output.trim() });
    });
  });
}

/** Like run, but throws with the command's output when it exits non-zero. */
export async function runOrThrow(command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${[command, ...args].join(' ')} exited with ${result.code}:\n${indent(result.output)}`);
  }
  return result;
}

export function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
