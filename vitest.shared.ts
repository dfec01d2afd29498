import { defineProject } from 'vitest/config';

/** The settings every project's tests share: Node environment, generous timeouts for tests that start real processes. */
export function projectTestConfig(name: string, overrides: { testTimeout?: number } = {}) {
  return defineProject({
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
    },
  });
}
