/**
 * `data verify` throughput: the streaming scan (every table, every text-like column, six detectors) on the
 * shop dataset, production-like profile (380,000 rows), on PGlite and, when they answer, the PostgreSQL and
 * MariaDB servers; next to the naive way in the same run (read every row into memory, then scan), with the
 * heap each one held (a second run of each, collecting every 100 ms).
 *
 *   npx tsx libs/seeding/bench/verify.bench.ts   (SHIPGATE_BENCH_DATABASE_URL, SHIPGATE_BENCH_MYSQL_URL: server URLs)
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { shopDataset } from '../src/__fixtures__/shop-dataset';
import { seedDatabase } from '../src/seed-database';
import { columnFlags, scanValue } from '../src/scan-value';
import type { TestDatabaseServer } from '../src/testing/test-databases';
import { mysqlServer, pgliteServer, postgresServer } from '../src/testing/test-databases';
import { verifySynthetic } from '../src/verify-synthetic';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
// PGlite runs a query synchronously in this thread, so the heap sampler cannot run during it: no figure there.
let heapShown = true;
const mb = (bytes: number): string =>
  heapShown ? `+${Math.round(bytes / 1048576)} MB` : 'n/a (PGlite blocks the sampler)';

// A full collection on demand, so that the heap figures are what was still held, not garbage not yet swept.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Times fn (no interference), then runs it again collecting every 100 ms: the peak heap held above the start. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; heap: number }> {
  const started = performance.now();
  const result = await fn();
  const seconds = (performance.now() - started) / 1000;
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 100);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return { result, seconds, heap: peak - base };
}

const servers: [string, () => Promise<TestDatabaseServer>][] = [['pglite', pgliteServer]];
const pgUrl = process.env.SHIPGATE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const mysqlUrl = process.env.SHIPGATE_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
servers.push(['postgres', () => postgresServer(pgUrl)], ['mariadb', () => mysqlServer(mysqlUrl)]);
const only = process.env.BENCH_DATABASES?.split(',');

console.log('data verify benchmark: shop dataset, production-like (380,000 rows), six detectors');
for (const [name, open] of servers) {
  if (only && !only.includes(name)) continue;
  heapShown = name !== 'pglite';
  let server: TestDatabaseServer;
  try {
    server = await open();
  } catch (error) {
    console.log(`${name.padEnd(9)} not measured: ${(error as Error).message}`);
    continue;
  }
  const db = await server.fresh();
  try {
    await seedDatabase({
      dataset: shopDataset,
      profile: 'production-like',
      seed: 1,
      dataPolicy: 'synthetic',
      environment: 'bench',
      target: db.spec,
      migrate: true,
    });
    const streamed = await measure(() => verifySynthetic({ target: db.spec, dataset: shopDataset }));
    const report = streamed.result;
    if (!report.clean) throw new Error(`expected a clean database, found: ${report.summary}`);
    console.log(
      `${name.padEnd(9)} streaming  ${fmt(report.rowsScanned)} rows, ${fmt(report.valuesChecked)} values in ${report.columnsChecked} columns  ${streamed.seconds.toFixed(2).padStart(6)} s  ${fmt(report.rowsScanned / streamed.seconds).padStart(7)} rows/s  ${fmt(report.valuesChecked / streamed.seconds).padStart(9)} values/s  heap ${mb(streamed.heap)}`,
    );
    // The naive way: every row of every table in memory at once, then the same detectors over it.
    const naive = await measure(async () => {
      let values = 0;
      let found = 0;
      for (const table of report.tables) {
        const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table.table}`);
        for (const row of rows)
          for (const column of table.columns) {
            const value = row[column];
            if (value === null || value === undefined) continue;
            values++;
            found += scanValue(String(value), columnFlags(column, true)).length;
          }
      }
      return { values, found };
    });
    console.log(
      `${name.padEnd(9)} naive      (all rows in memory, then scan)                       ${naive.seconds.toFixed(2).padStart(6)} s  ${fmt(report.rowsScanned / naive.seconds).padStart(7)} rows/s  ${fmt(naive.result.values / naive.seconds).padStart(9)} values/s  heap ${mb(naive.heap)}`,
    );
  } finally {
    await db.drop();
    await server.close();
  }
}
