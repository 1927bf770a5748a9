import { defineConfig } from 'vitest/config';

// The machine has 2 cores: two workers, and forks so that native modules
// (better-sqlite3) and spawned servers stay isolated per file.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
