// Bundles each k6 script (src/smoke.ts, src/stress.ts) into dist/<name>.js: one ES module per script,
// no Node APIs, only `k6` and `k6/*` left as imports, so that any k6 (which runs ES2020 modules,
// not TypeScript and not Node) runs it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The k6 scripts, by bundle name. */
export const scripts = { smoke: 'src/smoke.ts', stress: 'src/stress.ts' };

/** Builds the bundles into `outdir` (relative to loadtests/, default dist); returns esbuild's metafile. */
export async function buildLoadTests({ outdir = 'dist', quiet = false } = {}) {
  const started = performance.now();
  const result = await build({
    absWorkingDir: here,
    entryPoints: scripts,
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2020',
    platform: 'neutral',
    external: ['k6', 'k6/*'],
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
  });
  if (!quiet) console.error(`built loadtests/${outdir} in ${Math.round(performance.now() - started)} ms`);
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildLoadTests();
