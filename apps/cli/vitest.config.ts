import { defineConfig } from 'vitest/config';
import { testPreset } from '@plugboard/vitest-config';

// Each test spawns the CLI several times (a Node start each); on a two-core CI machine a long
// flow such as OAuth connect, run, show, refresh and delete needs more than the shared 20 s.
export default defineConfig({ test: { ...testPreset, testTimeout: 90_000 } });
