// Shared vitest settings for every package. Tests talk only to servers they start on 127.0.0.1,
// so they are safe to run in parallel; the timeouts are generous because CI has two cores.
/** @type {import('vitest/config').UserConfig['test']} */
export const testPreset = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  environment: 'node',
  testTimeout: 20_000,
  hookTimeout: 20_000,
  reporters: process.env.CI ? ['default'] : ['default'],
  typecheck: { enabled: false },
};
