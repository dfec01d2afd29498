import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The sample service's QA suite: black-box checks against a running environment. `shipgate qa` sets
// BASE_URL and RELEASE_ID and reads the JUnit report written to JUNIT_OUTPUT.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['**/*.qa.ts'],
    testTimeout: 15_000,
    reporters: process.env.JUNIT_OUTPUT ? ['default', 'junit'] : ['default'],
    outputFile: process.env.JUNIT_OUTPUT ? { junit: process.env.JUNIT_OUTPUT } : {},
  },
});
