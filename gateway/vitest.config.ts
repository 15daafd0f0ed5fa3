import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // under CI a skipped test fails the run (see the reporter)
    reporters: process.env.CI ? ['default', './test/support/no-skips-under-ci.ts'] : ['default'],
  },
});
