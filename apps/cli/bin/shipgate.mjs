#!/usr/bin/env node
// Entry point of the `shipgate` command. Runs the bundled CLI (apps/cli/dist); builds it first when
// the bundle is missing (a fresh clone), which takes about a second once.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The AWS SDK warns on every run under Node 20 that its 2027 releases need Node 22 (README says so);
// nine lines of it before every command's output help nobody, so that one warning is dropped.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'NodeVersionSupportWarning' || String(warning?.name ?? warning).includes('NodeVersionSupportWarning'))
    return;
  return emitWarning(warning, ...rest);
};

const bundle = fileURLToPath(new URL('../dist/shipgate.js', import.meta.url));
if (!existsSync(bundle)) {
  const { buildCli } = await import('../build.mjs');
  await buildCli({ quiet: true });
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
