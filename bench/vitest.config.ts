import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup-stdout-purity.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Spawned servers compete for 2 cores; files run one after another so no timing skews another.
    fileParallelism: false,
  },
});
