import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: one preview server for the run (global setup), one Chromium per file.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/server.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
