import { defineConfig } from 'vitest/config';
import { testPreset } from '@plugboard/vitest-config';

export default defineConfig({ test: testPreset });
