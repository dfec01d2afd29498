/**
 * Seeding benchmark against a PostgreSQL server: shipgate (streamed COPY) next to the naive way (faker +
 * one INSERT per row), batched multi-row INSERTs, and the floor (COPY of the same rows pre-generated to a
 * file). Each measurement runs in its own child process, so its peak RSS is its own.
 *
 *   npx tsx libs/seeding/bench/seed.bench.ts            (SHIPGATE_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_SIZES=100000,1000000,5000000 npx tsx libs/seeding/bench/seed.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPhase } from './phases';
import type { PhaseResult } from './phases';

const url = process.env.SHIPGATE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const self = fileURLToPath(import.meta.url);

function child(phase: string, rows: number): PhaseResult {
  const run = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self, '--child', phase, String(rows)], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 24,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || !line) throw new Error(`phase ${phase} ${rows} failed:\n${run.stderr}`);
  return JSON.parse(line) as PhaseResult;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

if (process.argv[2] === '--child') {
  const result = await runPhase(url, process.argv[3]!, Number(process.argv[4]));
  console.log(JSON.stringify(result));
} else {
  const sizes = (process.env.BENCH_SIZES ?? '100000,1000000,5000000').split(',').map(Number);
  const main = 1_000_000;
  const results: PhaseResult[] = [];
  const show = (r: PhaseResult) => {
    results.push(r);
    console.log(
      `${r.phase.padEnd(10)} ${fmt(r.rows).padStart(10)} rows  ${(r.seconds.toFixed(2) + ' s').padStart(9)}  ${fmt(r.rowsPerSecond).padStart(9)} rows/s  peak RSS ${mb(r.peakRss).padStart(7)}  heap ${mb(r.peakHeap).padStart(7)}${r.note ? `  (${r.note})` : ''}`,
    );
  };
  console.log(
    `seeding benchmark: sample-service dataset, production-like proportions, against ${url.replace(/:[^:@/]*@/, ':***@')}`,
  );
  show(child('generate', main));
  for (const size of sizes) show(child('shipgate', size));
  show(child('naive', 20_000));
  show(child('batched', main));
  show(child('floor', main));
  show(child('floor-fk', main));
  const at = (phase: string, rows = main) => results.find((r) => r.phase === phase && r.rows === rows)!;
  const ship = at('shipgate');
  console.log('\nratios at 1,000,000 rows:');
  console.log(
    `  shipgate / naive (faker + INSERT per row, measured on 20,000 rows, rate extrapolated): ${(ship.rowsPerSecond / at('naive', 20_000).rowsPerSecond).toFixed(1)}x`,
  );
  console.log(
    `  shipgate / batched multi-row INSERT: ${(ship.rowsPerSecond / at('batched').rowsPerSecond).toFixed(1)}x`,
  );
  console.log(
    `  shipgate / floor (COPY of pre-generated files, keys re-added after): ${(ship.rowsPerSecond / at('floor').rowsPerSecond).toFixed(2)}x`,
  );
  console.log(
    `  shipgate / COPY into tables keeping their foreign keys and indexes: ${(ship.rowsPerSecond / at('floor-fk').rowsPerSecond).toFixed(2)}x`,
  );
  const rss = sizes
    .map(
      (s) => `${fmt(s)}: ${mb(at('shipgate', s).peakRss)} (live heap after GC ${mb(at('shipgate', s).liveHeap ?? 0)})`,
    )
    .join(', ');
  console.log(`  shipgate peak RSS by volume: ${rss}`);
  console.log('  (peak RSS includes garbage not yet collected; the live heap after GC is what a run retains)');
}
