#!/usr/bin/env node
// The `plugboard-connector` command. This file is committed (dist/ is not) so that pnpm can link the
// bin when a fresh clone installs, before the test kit is built; running it needs the build.
import '../dist/connector-cli.js';
