import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * The settings every project's tests share: Node environment, tests next to the code, generous
 * timeouts for tests that start real processes. `configUrl` is the project's `import.meta.url`, so
 * that a project's tests run the same from the root and from `--config <project>/vitest.config.ts`.
 */
export function projectTestConfig(
  name: string,
  configUrl: string,
  overrides: { testTimeout?: number; include?: string[] } = {},
) {
  return defineProject({
    root: fileURLToPath(new URL('.', configUrl)),
    test: {
      name,
      environment: 'node',
      include: overrides.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
    },
  });
}
