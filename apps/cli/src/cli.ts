#!/usr/bin/env node
import { runCli } from './program.js';

// exitCode, not exit(): `plugboard mcp` keeps serving after runCli resolves.
process.exitCode = await runCli(process.argv.slice(2));
