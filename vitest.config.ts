// vitest.config.ts: one run for every test; browser tests are slower and run alone at the end.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // LVZHI_TEST_PG=1: a throwaway PostgreSQL server for the run (DATABASE_URL for the workers).
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
