// What makes a bundle unfit for k6: k6 runs ES modules in its own JavaScript runtime, with no Node
// built-ins, no CommonJS and no module resolution beyond `k6` / `k6/*` (and URLs we do not use).
import { transform } from 'esbuild';

const nodeOnly: Array<[RegExp, string]> = [
  [/\brequire\s*\(/, 'a CommonJS require('],
  [/["']node:[a-z_/]+["']/, 'a node: module'],
  [/\bimport\s*\(/, 'a dynamic import('],
  [/\bprocess\.(env|argv|exit|cwd)\b/, 'a use of process'],
  [/\b__dirname\b|\b__filename\b/, 'a CommonJS path global'],
  [/\bBuffer\.from\b/, 'a use of Buffer'],
];

/** Every module specifier a bundle imports or re-exports statically. */
export function importedSpecifiers(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm)) found.push(m[1]!);
  for (const m of code.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) found.push(m[1]!);
  return found;
}

/** Problems that would stop k6 from running `code`; empty when there are none. */
export function bundleProblems(code: string): string[] {
  const problems: string[] = [];
  for (const [pattern, what] of nodeOnly) {
    const hit = pattern.exec(code);
    if (hit) problems.push(`${what}: "${hit[0]}"`);
  }
  for (const specifier of importedSpecifiers(code)) {
    if (!/^k6(\/[a-z0-9-]+)*$/.test(specifier)) problems.push(`an import k6 cannot resolve: "${specifier}"`);
  }
  return problems;
}

/**
 * The syntax level every supported k6 runs: k6 v0.48 refuses an es2020 bundle (exit 107, a script
 * exception) and runs es2017; k6 1.x runs more. es2018+ syntax (object spread, optional catch binding,
 * `?.`, `??`, async iteration) must be lowered by the bundler.
 */
export const k6SyntaxTarget = 'es2017';

/**
 * Syntax in `code` newer than `target`, found by letting esbuild lower it: anything esbuild has to rewrite
 * for `target` is syntax that target lacks. Returns the first rewritten lines (empty when nothing was).
 */
export async function syntaxNewerThan(code: string, target = k6SyntaxTarget): Promise<string[]> {
  const as = (t: string) => transform(code, { target: t, format: 'esm', loader: 'js', logLevel: 'silent' });
  const [native, lowered] = await Promise.all([as('esnext'), as(target)]);
  if (native.code === lowered.code) return [];
  const loweredLines = new Set(lowered.code.split('\n'));
  return native.code
    .split('\n')
    .filter((line) => !loweredLines.has(line))
    .slice(0, 5)
    .map((line) => `newer than ${target}: ${line.trim()}`);
}
