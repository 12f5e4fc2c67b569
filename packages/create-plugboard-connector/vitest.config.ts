import { defineConfig } from 'vitest/config';
import { testPreset } from '@plugboard/vitest-config';

// The end-to-end test packs three packages, installs a generated package with npm, then builds,
// tests, typechecks it and checks its README: give it room on a two-core machine shared with others.
export default defineConfig({ test: { ...testPreset, testTimeout: 300_000, hookTimeout: 180_000 } });
