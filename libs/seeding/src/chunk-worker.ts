import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { ShipgateError, isShipgateError } from '@shipgate/model';
import type { ErrorCode } from '@shipgate/model';
import type { DatasetSource } from './dataset-source';
import { datasetFromSource } from './dataset-source';
import type { Profile } from './define-dataset';
import type { CopyChunk } from './generate-rows';
import { generateChunk, tableChunks } from './generate-rows';
import type { CompiledTable, GenerationPlan } from './generation-plan';
import { CHUNK_ROWS, compilePlan } from './generation-plan';

/**
 * Chunks a worker generates ahead of the writer. A PGlite COPY takes about ten chunks at a time (one 8 MB
 * blob) and blocks its thread while it runs: this many lets the worker make the next blob meanwhile. At most
 * this many chunks of COPY text (about 1 MB each) are in flight: memory stays bounded.
 */
const AHEAD = 12;

const KIND = 'shipgate-chunk-worker';

/** Where a seed run's COPY text comes from: made in this thread, or ahead of the writer in a worker thread. */
export interface ChunkSource {
  /** `table`'s chunks in order; the tables are read one after the other, in the plan's order. */
  chunks(table: CompiledTable): Iterable<CopyChunk> | AsyncIterable<CopyChunk>;
  close(): Promise<void>;
  readonly where: 'thread' | 'worker';
}

/** Generates each chunk when the writer asks for it, in this thread. */
export function threadChunks(plan: GenerationPlan): ChunkSource {
  return { where: 'thread', chunks: (table) => tableChunks(plan, table), close: async () => {} };
}

interface Job {
  kind: typeof KIND;
  source: DatasetSource;
  profile: Profile;
  seed: number;
}

type FromWorker =
  | { type: 'chunk'; table: string; rows: number; text: string }
  | { type: 'failed'; error: { code?: ErrorCode; message: string; hint?: string; path?: string } };

/**
 * Generates the plan's chunks in a worker thread, table after table, up to AHEAD chunks ahead of the writer:
 * the generators run while this thread (PGlite's COPY, or the socket to a server) writes the chunks before.
 * The rows are the same: the worker imports the same bundle, compiles the same plan and calls the same
 * generateChunk; this thread checks that each chunk is for the table and row count it expects.
 */
export function workerChunks(plan: GenerationPlan, source: DatasetSource): ChunkSource {
  const job: Job = { kind: KIND, source, profile: plan.profile, seed: plan.seed };
  const worker = startWorker(job);
  const queue: FromWorker[] = [];
  let wake: (() => void) | undefined;
  let broken: Error | undefined;
  let closed = false;
  worker.on('message', (message: FromWorker) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    broken = error;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (!closed) broken ??= new Error(`the generator worker exited (code ${code}) before the last chunk`);
    wake?.();
  });
  const next = async (): Promise<FromWorker> => {
    while (queue.length === 0) {
      if (broken) throw new ShipgateError('INTERNAL', `generating rows in a worker thread failed: ${broken.message}`);
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    worker.postMessage(1); // one chunk taken: the worker may make one more
    return queue.shift()!;
  };
  return {
    where: 'worker',
    async *chunks(table) {
      for (let chunk = 0; chunk < table.chunkCount; chunk++) {
        const message = await next();
        if (message.type === 'failed') throw revive(message.error);
        const rows = Math.min(table.volume - chunk * CHUNK_ROWS, CHUNK_ROWS);
        if (message.table !== table.name || message.rows !== rows)
          throw new ShipgateError(
            'INTERNAL',
            `expected chunk ${chunk} of ${table.name} (${rows} rows) from the generator worker, found ${message.table} (${message.rows} rows)`,
          );
        yield { table: table.name, chunk, rows, text: message.text };
      }
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}

/**
 * The worker runs this very module. From TypeScript sources (tests, benchmarks under tsx) it is loaded through
 * tsx's API; the CLI's bundle is JavaScript and loads as it is.
 */
function startWorker(job: Job): Worker {
  const url = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(url).pathname)) return new Worker(new URL(url), { workerData: job });
  const load = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`;
  return new Worker(load, { eval: true, workerData: job });
}

async function serve(port: MessagePort, job: Job): Promise<void> {
  let credits = AHEAD;
  let wake: (() => void) | undefined;
  port.on('message', (n: number) => {
    credits += n;
    wake?.();
  });
  try {
    const plan = compilePlan(await datasetFromSource(job.source), job.profile, job.seed);
    for (const table of plan.tables) {
      for (let chunk = 0; chunk < table.chunkCount; chunk++) {
        while (credits === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        credits--;
        const made = generateChunk(plan, table, chunk);
        port.postMessage({ type: 'chunk', table: made.table, rows: made.rows, text: made.text } satisfies FromWorker);
      }
    }
  } catch (error) {
    const e = error as Error;
    port.postMessage({
      type: 'failed',
      error: isShipgateError(error)
        ? {
            code: error.code,
            message: error.message,
            ...(error.hint ? { hint: error.hint } : {}),
            ...(error.location?.path ? { path: error.location.path } : {}),
          }
        : { message: e?.message ?? String(error) },
    } satisfies FromWorker);
  }
  port.unref();
}

/** A generator's error from the worker, as the same ShipgateError it would have been in this thread. */
function revive(error: { code?: ErrorCode; message: string; hint?: string; path?: string }): ShipgateError {
  return new ShipgateError(error.code ?? 'INTERNAL', error.message, {
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.path ? { location: { path: error.path } } : {}),
  });
}

if (!isMainThread && (workerData as Job | undefined)?.kind === KIND && parentPort)
  void serve(parentPort, workerData as Job);
