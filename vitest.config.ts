import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'apps/*/vitest.config.ts',
      'libs/*/vitest.config.ts',
      'loadtests/vitest.config.ts',
      'tools/vitest.config.ts',
    ],
    // Tests that start servers, processes and databases share two cores: keep file concurrency modest.
    maxWorkers: 2,
  },
});
