#!/usr/bin/env node
import { runServerCli } from './server-cli.js';

runServerCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
