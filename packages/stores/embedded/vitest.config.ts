import { defineConfig } from 'vitest/config';
import { testPreset } from '@plugboard/vitest-config';

// The multi-process and crash tests run small scripts against the built dist (pnpm build first).
export default defineConfig({ test: { ...testPreset } });
