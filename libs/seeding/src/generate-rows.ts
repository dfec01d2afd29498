import { ShipgateError, isShipgateError } from '@shipgate/model';
import { createHash } from 'node:crypto';
import type { Value } from './copy-text';
import { encodeCopyValue } from './copy-text';
import type { Dataset, Profile } from './define-dataset';
import type { CompiledTable, GenerationPlan } from './generation-plan';
import { CHUNK_ROWS, compilePlan } from './generation-plan';
import { RowState } from './row-state';

/** A generator that throws is a bug in the dataset declaration: say which column and row. */
function generatorFailed(table: CompiledTable, column: number, index: number, cause: unknown): ShipgateError {
  if (isShipgateError(cause)) return cause;
  const path = `tables.${table.name}.columns.${table.columns[column] ?? '?'}`;
  return new ShipgateError(
    'DATASET_INVALID',
    `${path}: the generator threw at row ${index}: ${(cause as Error)?.message ?? String(cause)}`,
    {
      cause,
      location: { path },
      hint: 'Fix the generator in the dataset declaration.',
    },
  );
}

/** One chunk of one table as COPY text lines. */
export interface CopyChunk {
  table: string;
  chunk: number;
  rows: number;
  text: string;
}

/** Generates one chunk of a table as COPY text: pure given the plan, and the same whichever chunks came before. */
export function generateChunk(plan: GenerationPlan, table: CompiledTable, chunk: number): CopyChunk {
  const row = RowState.startRows(plan, table);
  const first = chunk * CHUNK_ROWS;
  const end = Math.min(table.volume, first + CHUNK_ROWS);
  const width = table.columns.length;
  const lines: string[] = [];
  let c = 0;
  try {
    for (let index = first; index < end; index++) {
      row.moveTo(index);
      let line = encodeCopyValue(row.valueAt(0));
      for (c = 1; c < width; c++) line += '\t' + encodeCopyValue(row.valueAt(c));
      lines.push(line);
      c = 0;
    }
  } catch (cause) {
    throw generatorFailed(table, c, row.index, cause);
  }
  const text = lines.length ? lines.join('\n') + '\n' : '';
  return { table: table.name, chunk, rows: end - first, text };
}

/** Every chunk of a table, in order, generated lazily: memory holds one chunk at a time. */
export function* tableChunks(plan: GenerationPlan, table: CompiledTable): Generator<CopyChunk> {
  for (let chunk = 0; chunk < table.chunkCount; chunk++) yield generateChunk(plan, table, chunk);
}

/** Options of generateRows / generateCopyChunks. */
export interface GenerateOptions {
  dataset: Dataset;
  profile: Profile;
  seed: number;
  /** Only these tables (default: all, parents first). */
  tables?: readonly string[];
}

function selected(plan: GenerationPlan, tables?: readonly string[]): CompiledTable[] {
  return tables ? plan.tables.filter((t) => tables.includes(t.name)) : plan.tables;
}

/** The dataset's rows as COPY text chunks, table by table (parents first), without writing anywhere. */
export async function* generateCopyChunks(options: GenerateOptions): AsyncGenerator<CopyChunk> {
  const plan = compilePlan(options.dataset, options.profile, options.seed);
  for (const table of selected(plan, options.tables)) yield* tableChunks(plan, table);
}

/** One generated row: table, row number and values by column (for tests and benchmarks). */
export interface GeneratedRow {
  table: string;
  index: number;
  values: Record<string, Value>;
}

/** The dataset's rows as objects, one at a time; same values as the COPY stream of the same seed. */
export async function* generateRows(options: GenerateOptions): AsyncGenerator<GeneratedRow> {
  const plan = compilePlan(options.dataset, options.profile, options.seed);
  for (const table of selected(plan, options.tables)) {
    const row = RowState.startRows(plan, table);
    for (let index = 0; index < table.volume; index++) {
      row.moveTo(index);
      const values: Record<string, Value> = {};
      let c = 0;
      try {
        for (; c < table.columns.length; c++) values[table.columns[c]!] = row.valueAt(c);
      } catch (cause) {
        throw generatorFailed(table, c, index, cause);
      }
      yield { table: table.name, index, values };
    }
  }
}

/**
 * Streaming sha256 of each table's COPY bytes, and the dataset hash: sha256 over `table<TAB>tableHash` lines
 * sorted by table name, so it does not depend on the order tables were written in.
 */
export class ContentHasher {
  private readonly perTable = new Map<string, ReturnType<typeof createHash>>();

  update(table: string, text: string): void {
    let hash = this.perTable.get(table);
    if (!hash) this.perTable.set(table, (hash = createHash('sha256')));
    hash.update(text);
  }

  /** Per-table hex digests and the combined dataset hash. */
  digest(tables: readonly string[]): { tableHashes: Record<string, string>; datasetHash: string } {
    const tableHashes: Record<string, string> = {};
    for (const table of [...tables].sort())
      tableHashes[table] = (this.perTable.get(table)?.copy() ?? createHash('sha256')).digest('hex');
    const combined = createHash('sha256');
    for (const [table, hash] of Object.entries(tableHashes)) combined.update(`${table}\t${hash}\n`);
    return { tableHashes, datasetHash: combined.digest('hex') };
  }
}
