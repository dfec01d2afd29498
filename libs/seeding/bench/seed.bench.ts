/**
 * Seeding benchmark against a PostgreSQL server: shipgate (streamed COPY of the realistic sample dataset)
 * next to the naive way (faker + one INSERT per row), batched multi-row INSERTs of the same rows, a peer
 * library (drizzle-seed, same schema and rows per table), and the floor (COPY of the same rows
 * pre-generated to files), at each size. Each measurement runs in its own child process, so its peak RSS
 * is its own.
 *
 *   npx tsx libs/seeding/bench/seed.bench.ts            (SHIPGATE_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_SIZES=100000,1000000,5000000 npx tsx libs/seeding/bench/seed.bench.ts
 *   BENCH_PEER_MAX_ROWS=1000000   drizzle-seed holds every value in memory: above this it runs on this many rows
 *   BENCH_PAIRS=3                 at 1,000,000 rows shipgate and the floor run this many times, alternately
 *
 * Each line says the machine's load average when it ended. The machine is shared: a burst of other work
 * during one phase moves a ratio of two phases run one after the other. At 1,000,000 rows (the goal's size)
 * shipgate and the floor therefore run as adjacent pairs, several times, and the goal reads the median pair.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPhase } from './phases';
import type { PhaseResult } from './phases';

const url = process.env.SHIPGATE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const self = fileURLToPath(import.meta.url);

function child(phase: string, rows: number): PhaseResult {
  // drizzle-seed keeps every parent table's rows in memory (about 2.5 KB a row at 100k): room for 1M.
  const heap = phase === 'drizzle-seed' ? ['--max-old-space-size=8192'] : [];
  const run = spawnSync(
    process.execPath,
    [...process.execArgv, ...heap, '--expose-gc', self, '--child', phase, String(rows)],
    {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 1 << 24,
    },
  );
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
  const peerMax = Number(process.env.BENCH_PEER_MAX_ROWS ?? 1_000_000);
  const main = 1_000_000;
  const results: PhaseResult[] = [];
  const show = (r: PhaseResult) => {
    results.push(r);
    console.log(
      `${r.phase.padEnd(12)} ${fmt(r.rows).padStart(10)} rows  ${(r.seconds.toFixed(2) + ' s').padStart(9)}  ${fmt(r.rowsPerSecond).padStart(9)} rows/s  peak RSS ${mb(r.peakRss).padStart(7)}  heap ${mb(r.peakHeap).padStart(7)}${r.liveHeap ? `  live ${mb(r.liveHeap)}` : ''}  node CPU ${r.cpuSeconds.toFixed(1)} s  load ${r.load.toFixed(1)}${r.note ? `  (${r.note})` : ''}`,
    );
    return r;
  };
  console.log(
    `seeding benchmark: sample-service dataset (realistic: grouped children, derived totals), production-like proportions, against ${url.replace(/:[^:@/]*@/, ':***@')}`,
  );
  show(child('generate', main));
  const naive = show(child('naive', 20_000));
  const rows: { size: number; ship: PhaseResult; floor: PhaseResult; batched: PhaseResult; peer: PhaseResult }[] = [];
  // Above BENCH_PEER_MAX_ROWS the peer's rate at that size stands in: measured once, not once per size.
  const peers = new Map<number, PhaseResult>();
  const pairs = Math.max(1, Number(process.env.BENCH_PAIRS ?? 3));
  let pairRatios: number[] = [];
  for (const size of sizes) {
    let [ship, floor] = [show(child('shipgate', size)), show(child('floor', size))];
    if (size === main && pairs > 1) {
      const runs = [{ ship, floor }];
      for (let i = 1; i < pairs; i++)
        runs.push({ ship: show(child('shipgate', size)), floor: show(child('floor', size)) });
      runs.sort((a, b) => a.ship.rowsPerSecond / a.floor.rowsPerSecond - b.ship.rowsPerSecond / b.floor.rowsPerSecond);
      pairRatios = runs.map((r) => r.ship.rowsPerSecond / r.floor.rowsPerSecond);
      ({ ship, floor } = runs[Math.floor((runs.length - 1) / 2)]!);
    }
    const batched = show(child('batched', size));
    const peerRows = Math.min(size, peerMax);
    const peer = peers.get(peerRows) ?? show(child('drizzle-seed', peerRows));
    peers.set(peerRows, peer);
    rows.push({ size, ship, floor, batched, peer });
  }
  if (sizes.includes(main)) show(child('floor-fk', main));
  const x = (a: PhaseResult, b: PhaseResult, digits = 1) => `${(a.rowsPerSecond / b.rowsPerSecond).toFixed(digits)}x`;
  console.log("\nshipgate throughput divided by each way's, same run, same PostgreSQL:");
  console.log(
    '  rows        shipgate rows/s  / naive*  / batched  / drizzle-seed       / floor   shipgate peak RSS  live heap after GC  drizzle-seed peak RSS',
  );
  for (const { size, ship, floor, batched, peer } of rows) {
    const peerCell = `${x(ship, peer)}${peer.rows < ship.rows * 0.9 ? `* (${fmt(peer.rows)})` : ''}`;
    console.log(
      `  ${fmt(size).padEnd(10)}  ${fmt(ship.rowsPerSecond).padStart(15)}  ${x(ship, naive).padStart(8)}  ${x(ship, batched).padStart(9)}  ${peerCell.padStart(18)}  ${x(ship, floor, 2).padStart(7)}   ${mb(ship.peakRss).padStart(17)}  ${mb(ship.liveHeap ?? 0).padStart(18)}  ${mb(peer.peakRss).padStart(21)}${peer.rows < ship.rows * 0.9 ? ` (at ${fmt(peer.rows)} rows)` : ''}`,
    );
  }
  console.log(
    `  * extrapolated, not measured at that size: naive (faker + one INSERT per row) ran on ${fmt(naive.rows)} rows and its rate stands for every size; drizzle-seed ran on at most ${fmt(peerMax)} rows (BENCH_PEER_MAX_ROWS) and its rate there stands for larger sizes (marked with the rows it ran on)`,
  );
  console.log('  floor: COPY of the same rows pre-generated to files, keys re-added after, as shipgate does');
  const fk = results.find((r) => r.phase === 'floor-fk');
  const shipMain = rows.find((r) => r.size === main)?.ship;
  if (fk && shipMain)
    console.log(
      `  shipgate / COPY into tables keeping their foreign keys and indexes, at 1,000,000: ${x(shipMain, fk, 2)}`,
    );
  console.log(
    '  (peak RSS is the whole process: garbage not yet collected, and the generator worker thread when the run used one; the live heap after GC is what the writing thread retains)',
  );
  const live = rows.filter((r) => r.ship.liveHeap !== undefined);
  if (live.length > 1) {
    const [first, last] = [live[0]!, live.at(-1)!];
    console.log(
      `  shipgate's live heap from ${fmt(first.size)} to ${fmt(last.size)} rows: ${mb(first.ship.liveHeap!)} to ${mb(last.ship.liveHeap!)} (${(last.ship.liveHeap! / first.ship.liveHeap!).toFixed(2)}x for ${(last.size / first.size).toFixed(0)}x the rows)`,
    );
  }
  const at1M = rows.find((r) => r.size === main);
  if (at1M)
    console.log(
      `  goal at 1,000,000 rows: shipgate >= 0.65x the COPY floor; measured ${x(at1M.ship, at1M.floor, 2)}${pairRatios.length > 1 ? ` (the median of ${pairRatios.length} adjacent pairs: ${pairRatios.map((r) => r.toFixed(2)).join(', ')})` : ''}: ${at1M.ship.rowsPerSecond >= 0.65 * at1M.floor.rowsPerSecond ? 'met' : 'NOT met'}`,
    );
}
