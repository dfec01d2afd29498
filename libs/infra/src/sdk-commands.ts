import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One AWS SDK command that shipgate's code sends. */
export interface SdkCommandUse {
  /** `ecs`, `codedeploy`, … (the name after `@aws-sdk/client-`). */
  client: string;
  command: string;
  file: string;
}

/** Where shipgate's AWS calls live: the libraries' sources and the CLI (tests, fixtures and test helpers excluded). */
export const scannedRoots = ['libs', 'apps/cli/src'];

// apps/cli/src/attacks holds the attack suite and its test support (it creates KMS keys as a test would).
const skipped = /(\.test\.ts|\.bench\.ts)$|\/(testing|__fixtures__|bench|attacks|node_modules|dist)\//;

/** `import { A, B } from '@aws-sdk/client-x'` and the CLI's lazy `const { A, B } = await import('@aws-sdk/client-x')`. */
const importForms = [
  /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g,
  /const\s+()\{([^}]*)\}\s*=\s*await\s+import\(\s*'@aws-sdk\/client-([a-z0-9-]+)'\s*\)/g,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name.startsWith('.') ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every `XxxCommand` class imported (as a value, not a type) from an `@aws-sdk/client-*` package in the
 * sources under `root`: what the code can send to AWS.
 */
export function scanSdkCommands(root: string): SdkCommandUse[] {
  const uses: SdkCommandUse[] = [];
  for (const base of scannedRoots) {
    for (const path of sourceFiles(join(root, base))) {
      const file = relative(root, path);
      if (skipped.test(`/${file}`)) continue;
      const text = readFileSync(path, 'utf8');
      for (const m of importForms.flatMap((form) => [...text.matchAll(form)])) {
        if (m[1]) continue;
        for (const raw of m[2]!.split(',')) {
          const name = raw.trim();
          if (!name || name.startsWith('type ') || !/Command$/.test(name)) continue;
          uses.push({ client: m[3]!, command: name.split(/\s+as\s+|\s*:\s*/)[0]!, file });
        }
      }
    }
  }
  return uses;
}
