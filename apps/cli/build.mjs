// Bundles the CLI with esbuild: workspace libraries are compiled in; npm dependencies stay external
// and are loaded from node_modules. Each command is its own chunk, so `shipgate --version` loads none
// of them (and none of the AWS SDK).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Builds apps/cli/dist. */
export async function buildCli({ quiet = false } = {}) {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const started = performance.now();
  await build({
    absWorkingDir: here,
    entryPoints: { shipgate: 'src/main.ts' },
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: quiet ? 'error' : 'warning',
    define: { SHIPGATE_VERSION: JSON.stringify(pkg.version) },
    plugins: [externalNpmPackages],
  });
  if (!quiet) console.error(`built apps/cli/dist in ${Math.round(performance.now() - started)} ms`);
}

/** Keeps bare imports external unless they are this repository's workspace packages. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@shipgate/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli();
}
