#!/usr/bin/env node
// The bin is this committed file rather than dist/cli.js itself: pnpm links bins at install time,
// and in a fresh clone dist/ does not exist yet, so a bin pointing into it cannot be linked.
import '../dist/cli.js';
