#!/usr/bin/env node
// `npm run bench`: every benchmark, one after another (they would skew each other if run together).
// Each prints its own figures and its ratio against a baseline measured in the same run.
// `npm run bench -- seed gate` runs only the benchmarks whose path contains one of the words.
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';

$.cwd = fileURLToPath(new URL('..', import.meta.url));
$.verbose = true;

const benches = [
  ['node', 'tools/bench/cli-startup.mjs'],
  ['npx', 'tsx', 'libs/promotion-gate/bench/gate.bench.ts'],
  ['npx', 'tsx', 'libs/promotion-gate/bench/gate-verify.bench.ts'],
  ['npx', 'tsx', 'libs/model/bench/validate-config.bench.ts'],
  ['npx', 'tsx', 'libs/ledger/bench/audit-append.bench.ts'],
  ['npx', 'tsx', 'libs/seeding/bench/seed.bench.ts'],
  ['npx', 'tsx', 'libs/seeding/bench/mysql-load.bench.ts'],
  ['npx', 'tsx', 'libs/seeding/bench/verify.bench.ts'],
  ['npx', 'tsx', 'apps/local-cloud/bench/local-cloud.bench.ts'],
  ['npx', 'tsx', 'libs/rollback/bench/rollback.bench.ts'],
  ['npx', 'tsx', 'libs/trust/bench/verify.bench.ts'],
  ['npx', 'tsx', 'libs/console/bench/console.bench.ts'],
];
const filters = process.argv.slice(2);
let failed = 0;
for (const command of benches) {
  if (filters.length && !filters.some((f) => command.at(-1).includes(f))) continue;
  console.log(`\n=== ${command.at(-1)} ===`);
  const result = await $({ nothrow: true, stdio: 'inherit' })`${command}`;
  if (result.exitCode !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
