import { defineConfig } from 'vitest/config';
import { testPreset } from '@plugboard/vitest-config';

// One PostgreSQL server for the whole run (DATABASE_URL, or one started from npm binaries);
// every test gets its own schema in it.
export default defineConfig({ test: { ...testPreset, globalSetup: ['test/global-setup.ts'] } });
