import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Test files share nothing but loaded modules (each opens its own temp store), so one module
  // graph per worker saves re-importing the MCP SDK and libSQL for every file.
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 20_000, isolate: false },
});
