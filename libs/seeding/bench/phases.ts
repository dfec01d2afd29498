import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Dataset } from '../src/index';
import { compilePlan, generateCopyChunks, generateRows, loadDataset, seedDatabase, withVolumes } from '../src/index';
import { naiveSeed } from './naive-seed';
import { suspendConstraints } from '../src/bulk-load';
import type { SeedSession } from '../src/seed-target';

/** One measurement. */
export interface PhaseResult {
  phase: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** CPU time of this process (all its threads, the generator worker's too) over the measured part. */
  cpuSeconds: number;
  /** The machine's 1-minute load average when the measurement ended (2 cores here): other work competing. */
  load: number;
  peakRss: number;
  /** Peak V8 heap in use: live memory, without the allocator's slack. */
  peakHeap: number;
  /** Largest heap still in use right after a full GC, sampled every 500,000 rows (shipgate only): what the run retains. */
  liveHeap?: number;
  note?: string;
}

const SEED = 1;
const datasetPath = fileURLToPath(new URL('../../../apps/sample-service/src/dataset/index.ts', import.meta.url));

/** Rows per table of the dataset's production-like profile at the bench's seed (grouped tables' are drawn). */
function volumesOf(dataset: Dataset): Record<string, number> {
  return Object.fromEntries(compilePlan(dataset, 'production-like', SEED).tables.map((t) => [t.name, t.volume]));
}

/**
 * The sample dataset with its production-like volumes scaled to about `rows` in all: the tables that declare
 * a volume are scaled, the grouped ones (children per parent) follow.
 */
function scaled(dataset: Dataset, rows: number): Dataset {
  const factor = rows / compilePlan(dataset, 'production-like', SEED).totalRows;
  const volumes = Object.fromEntries(
    Object.entries(dataset.tables).flatMap(([name, t]) =>
      t.volume
        ? [[name, { small: t.volume.small, 'production-like': Math.round(t.volume['production-like'] * factor) }]]
        : [],
    ),
  );
  // withVolumes keeps where the dataset was loaded from, so the seed can still generate in its worker thread.
  return withVolumes(dataset, volumes);
}

/** Runs one phase in a fresh schema (dropped after) and measures time and peak RSS. */
export async function runPhase(url: string, phase: string, rows: number): Promise<PhaseResult> {
  const dataset = scaled(await loadDataset(datasetPath, { exportName: 'sampleDataset' }), rows);
  const volumes = volumesOf(dataset);
  const schema = `bench_${process.pid}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-bench-'));
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  let written = 0;
  let liveHeap: number | undefined;
  let note: string | undefined;
  let started = performance.now();
  let cpu = process.cpuUsage();
  try {
    switch (phase) {
      case 'generate': {
        for await (const chunk of generateCopyChunks({ dataset, profile: 'production-like', seed: SEED }))
          written += chunk.rows;
        note = 'generation only, no database';
        break;
      }
      case 'shipgate': {
        const gc = (globalThis as { gc?: () => void }).gc;
        let nextGc = 0;
        const onProgress = (p: { rows: number }) => {
          if (!gc || p.rows < nextGc) return;
          nextGc += 500_000;
          gc();
          liveHeap = Math.max(liveHeap ?? 0, process.memoryUsage().heapUsed);
        };
        const report = await seedDatabase({
          dataset,
          profile: 'production-like',
          seed: SEED,
          dataPolicy: 'synthetic',
          environment: 'bench',
          target: { kind: 'postgres', url, schema },
          migrate: true,
          // BENCH_GENERATE_IN=thread|worker compares the two; default: as the CLI does (auto).
          generateIn: (process.env.BENCH_GENERATE_IN as 'thread' | 'worker' | undefined) ?? 'auto',
          onProgress,
        });
        written = report.totalRows;
        break;
      }
      case 'naive': {
        await client.query(dataset.schemaSql);
        started = performance.now();
        cpu = process.cpuUsage();
        written = await naiveSeed(client, volumes, rows);
        note = 'rate extrapolated to 1M rows';
        break;
      }
      case 'drizzle-seed': {
        await client.query(dataset.schemaSql);
        started = performance.now();
        cpu = process.cpuUsage();
        // Imported here only: drizzle-seed's name lists would otherwise sit in every phase's live heap.
        const { drizzleSeed } = await import('./drizzle-peer');
        written = await drizzleSeed(client, volumes);
        note = 'drizzle-seed 0.3.1 (drizzle-orm 0.45.4), same schema and rows per table';
        break;
      }
      case 'batched': {
        await client.query(dataset.schemaSql);
        started = performance.now();
        cpu = process.cpuUsage();
        written = await batchedInsert(client, dataset);
        note = '1,000 rows per INSERT, one transaction';
        break;
      }
      case 'floor':
      case 'floor-fk': {
        await client.query(dataset.schemaSql);
        await writeCopyFiles(dataset, dir);
        started = performance.now();
        cpu = process.cpuUsage();
        written = await copyFiles(client, dataset, dir, phase === 'floor');
        note =
          phase === 'floor'
            ? 'COPY of pre-generated files, keys re-added after, as shipgate does'
            : 'COPY of pre-generated files into tables with their foreign keys and indexes';
        break;
      }
      default:
        throw new Error(`unknown phase ${phase}`);
    }
  } finally {
    clearInterval(sampler);
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await client.end();
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    phase,
    rows: written,
    seconds,
    rowsPerSecond: written / seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    load: loadavg()[0]!,
    peakRss,
    peakHeap,
    ...(liveHeap ? { liveHeap } : {}),
    ...(note ? { note } : {}),
  };
}

async function batchedInsert(client: pg.Client, dataset: Dataset): Promise<number> {
  let written = 0;
  let batch: unknown[][] = [];
  let current = '';
  const flush = async () => {
    if (batch.length === 0) return;
    const columns = Object.keys(dataset.tables[current]!.columns);
    const width = columns.length;
    const values = batch.map((_, r) => `(${columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO ${current} (${columns.join(', ')}) VALUES ${values}`, batch.flat());
    written += batch.length;
    batch = [];
  };
  await client.query('BEGIN');
  for await (const row of generateRows({ dataset, profile: 'production-like', seed: SEED })) {
    if (row.table !== current || batch.length === 1000) await flush();
    current = row.table;
    batch.push(Object.values(row.values));
  }
  await flush();
  await client.query('COMMIT');
  return written;
}

async function writeCopyFiles(dataset: Dataset, dir: string): Promise<void> {
  const streams = new Map<string, ReturnType<typeof createWriteStream>>();
  for await (const chunk of generateCopyChunks({ dataset, profile: 'production-like', seed: SEED })) {
    let out = streams.get(chunk.table);
    if (!out) streams.set(chunk.table, (out = createWriteStream(join(dir, `${chunk.table}.copy`))));
    if (!out.write(chunk.text)) await once(out, 'drain');
  }
  for (const out of streams.values()) await new Promise((resolve) => out.end(resolve));
}

async function copyFiles(client: pg.Client, dataset: Dataset, dir: string, suspend: boolean): Promise<number> {
  await client.query('BEGIN');
  const session = {
    query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows,
  } as unknown as SeedSession;
  const restore = suspend ? await suspendConstraints(session, dataset.tableOrder) : async () => {};
  for (const table of dataset.tableOrder) {
    const columns = Object.keys(dataset.tables[table]!.columns).join(', ');
    await pipeline(
      createReadStream(join(dir, `${table}.copy`)),
      client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)),
    );
  }
  await restore();
  await client.query('COMMIT');
  return Object.values(volumesOf(dataset)).reduce((a, b) => a + b, 0);
}
