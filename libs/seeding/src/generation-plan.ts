import { Faker, base, en } from '@faker-js/faker';
import { ShipgateError } from '@shipgate/model';
import type { Dataset, Profile } from './define-dataset';
import { keyColumnOf } from './define-dataset';
import type { GeneratorContext, ValueFn } from './generator';
import { deriveSeed, prngFor } from './prng';

/**
 * Rows per chunk. Part of the determinism contract: each chunk has its own seed derived from
 * (seed, table, chunk index), so changing this changes the data (and the golden hashes).
 */
export const CHUNK_ROWS = 10_000;

/** One table, compiled for one (profile, seed): its column functions and its faker. */
export interface CompiledTable {
  name: string;
  columns: string[];
  volume: number;
  chunkCount: number;
  valueFns: ValueFn[];
  faker: Faker;
}

/** Everything needed to generate any chunk of any table, independently of the others. */
export interface GenerationPlan {
  datasetName: string;
  profile: Profile;
  seed: number;
  /** Parents before children. */
  tables: CompiledTable[];
  totalRows: number;
}

/** A faker instance built explicitly and seeded: never the global `faker`. */
export function seededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  return faker;
}

/** Compiles every column of every table (building the faker-made pools); throws DATASET_INVALID on bad input. */
export function compilePlan(dataset: Dataset, profile: Profile, seed: number): GenerationPlan {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ShipgateError(
      'DATASET_INVALID',
      `expected a seed that is a whole number in [0, 4294967295], found ${seed}`,
      { location: { path: 'seed' } },
    );
  }
  const volumeOf = (name: string): number => dataset.tables[name]?.volume[profile] ?? 0;
  const tableInfo = (name: string): { volume: number; keyStart: number } => {
    const table = dataset.tables[name];
    const key = table && keyColumnOf(table);
    if (!key)
      throw new ShipgateError('DATASET_INVALID', `table "${name}" has no gen.id() key column`, {
        location: { path: `tables.${name}` },
      });
    return { volume: volumeOf(name), keyStart: key.start };
  };
  const tables = dataset.tableOrder.map((name): CompiledTable => {
    const table = dataset.tables[name];
    if (!table) throw new ShipgateError('INTERNAL', `table order names unknown table ${name}`);
    const faker = seededFaker(deriveSeed(seed, name, 'faker'));
    const shared = new Map<string, unknown>();
    const volume = volumeOf(name);
    const valueFns = Object.entries(table.columns).map(([column, decl]) => {
      const ctx: GeneratorContext = {
        seed,
        profile,
        table: name,
        column,
        volume,
        unique: decl.unique === true,
        tableInfo,
        fakerFor: (...parts) => seededFaker(deriveSeed(seed, name, ...parts)),
        sharedFaker: faker,
        prngFor: (...parts) => prngFor(seed, name, column, ...parts),
        shared,
      };
      return decl.generator.compile(ctx);
    });
    return {
      name,
      columns: Object.keys(table.columns),
      volume,
      chunkCount: Math.ceil(volume / CHUNK_ROWS),
      valueFns,
      faker,
    };
  });
  return { datasetName: dataset.name, profile, seed, tables, totalRows: tables.reduce((n, t) => n + t.volume, 0) };
}
