import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that train a small model take seconds on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report lets CI print a one-line summary of passed, failed and skipped tests.
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
