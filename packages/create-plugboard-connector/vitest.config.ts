import { defineConfig } from 'vitest/config';
import { testPreset } from '@plugboard/vitest-config';

// The end-to-end test installs a generated package with npm: give it room on a two-core machine.
export default defineConfig({ test: { ...testPreset, testTimeout: 120_000, hookTimeout: 180_000 } });
