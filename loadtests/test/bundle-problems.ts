// What makes a bundle unfit for k6: k6 runs ES modules in its own JavaScript runtime, with no Node
// built-ins, no CommonJS and no module resolution beyond `k6` / `k6/*` (and URLs we do not use).

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
