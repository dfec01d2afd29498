// Bundles each k6 script (src/stress.ts) into dist/<name>.js: one ES module per script,
// no Node APIs, only `k6` and `k6/*` left as imports, so that every k6 the pipeline supports runs it:
// k6 v0.48 refuses es2020 syntax (exit 107) and runs es2017; k6 1.x runs more. The bundle test checks the
// syntax level (test/bundle-problems.ts `k6SyntaxTarget`) and, where a k6 binary is present, runs it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The k6 scripts, by bundle name. */
export const scripts = { stress: 'src/stress.ts' };

/** Builds the bundles into `outdir` (relative to loadtests/, default dist); returns esbuild's metafile. */
export async function buildLoadTests({ outdir = 'dist', quiet = false } = {}) {
  const started = performance.now();
  const result = await build({
    absWorkingDir: here,
    entryPoints: scripts,
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2017',
    platform: 'neutral',
    external: ['k6', 'k6/*'],
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  if (!quiet) console.error(`built loadtests/${outdir} in ${Math.round(performance.now() - started)} ms`);
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildLoadTests();
