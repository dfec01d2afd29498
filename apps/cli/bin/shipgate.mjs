#!/usr/bin/env node
// Entry point of the `shipgate` command. Runs the bundled CLI (apps/cli/dist); builds it first when
// the bundle is missing (a fresh clone), which takes about a second once.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/shipgate.js', import.meta.url));
if (!existsSync(bundle)) {
  const { buildCli } = await import('../build.mjs');
  await buildCli({ quiet: true });
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
