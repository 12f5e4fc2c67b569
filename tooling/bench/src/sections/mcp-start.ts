// The MCP server's start over stdio: spawn `plugboard-mcp` with the synthetic 2,100-action catalogue,
// send initialize and tools/list as a client does, and time spawn to the tools/list answer. With one
// tool per action (every JSON Schema listed) and with the router's three tools. Interleaved runs,
// median, like the cold-start section.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, percentile } from '../stats.js';

export interface McpStartResult {
  runs: number;
  variants: Array<{ name: string; tools: number; listBytes: number; medianMs: number; minMs: number; p90Ms: number }>;
}

const CONFIG = fileURLToPath(new URL('../../cold-start/mcp-config.mjs', import.meta.url));

function mcpBin(): string {
  const entry = createRequire(import.meta.url).resolve('@plugboard/mcp');
  return path.join(path.dirname(entry), 'cli.js');
}

/** One start: milliseconds from spawn to the tools/list answer, the number of tools and the answer's size. */
function startOnce(bin: string, args: string[]): Promise<{ ms: number; tools: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, CONFIG, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    let buffered = '';
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        const message = JSON.parse(line) as { id?: number; result?: { tools?: unknown[] } };
        if (message.id === 1) {
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        } else if (message.id === 2) {
          const ms = performance.now() - started;
          child.kill();
          resolve({ ms, tools: message.result?.tools?.length ?? 0, bytes: Buffer.byteLength(line) });
        }
      }
    });
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0.0.0' } },
    });
  });
}

export async function runMcpStart(runs: number): Promise<McpStartResult> {
  const bin = mcpBin();
  const variants = [
    { name: 'one tool per action', args: [] as string[] },
    { name: 'router (three tools)', args: ['--router'] },
  ];
  const samples = variants.map(() => ({ ms: [] as number[], tools: 0, bytes: 0 }));
  // One untimed start warms the file cache for both.
  await startOnce(bin, []);
  for (let run = 0; run < runs; run++) {
    for (const [index, variant] of variants.entries()) {
      const sample = await startOnce(bin, variant.args);
      const entry = samples[index] as (typeof samples)[number];
      entry.ms.push(sample.ms);
      entry.tools = sample.tools;
      entry.bytes = sample.bytes;
    }
  }
  return {
    runs,
    variants: variants.map((variant, index) => {
      const entry = samples[index] as (typeof samples)[number];
      return {
        name: variant.name,
        tools: entry.tools,
        listBytes: entry.bytes,
        medianMs: median(entry.ms),
        minMs: Math.min(...entry.ms),
        p90Ms: percentile(entry.ms, 90),
      };
    }),
  };
}
