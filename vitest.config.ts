// vitest.config.ts: one run for every test; browser tests are slower and run alone at the end.
// test/multi/ (several server processes on one database) needs PostgreSQL: it is part of the PG
// pass only (LVZHI_TEST_PG=1, `npm run test:pg`), and left out of the SQLite pass entirely rather
// than reported as skipped. test/browser/ (Chromium against the pages) runs in the SQLite pass
// only: the pages are the same on both databases, the PG pass covers them through test/server/ and
// test/security/, and leaving the browser walks out of it keeps .ci/run well inside its 20 minutes.
import os from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const pgPass = process.env.LVZHI_TEST_PG === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(pgPass ? ['test/browser/**'] : ['test/multi/**'])],
    // LVZHI_TEST_PG=1: a throwaway PostgreSQL server for the run (DATABASE_URL for the workers).
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker per core but one: a single worker on CI's two cores. Most tests
    // wait on a server, a browser or an fsync, so two workers there halve the SQLite pass (644 s -> 312 s
    // measured on 2026-12-03, every test passing) and keep .ci/run inside its 20 minutes.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    reporters: ['default'],
  },
});
