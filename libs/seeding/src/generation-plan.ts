import { Faker, base, en } from '@faker-js/faker';
import { ShipgateError } from '@shipgate/model';
import { ChildLayout } from './child-layout';
import { countSampler } from './counts';
import type { Dataset, Profile } from './define-dataset';
import { groupingOf, keyColumnOf } from './define-dataset';
import type { GeneratorContext, ValueFn } from './generator';
import { cellUniform, deriveSeed, prngFor } from './prng';

/**
 * Rows per chunk of COPY text. Values no longer depend on it (each is a function of (seed, table, column,
 * row)); it only sets how much text is made and handed to the writer at a time.
 */
export const CHUNK_ROWS = 10_000;

/** One table, compiled for one (profile, seed): its column functions and how its rows are laid out. */
export interface CompiledTable {
  name: string;
  columns: string[];
  columnIndex: ReadonlyMap<string, number>;
  volume: number;
  chunkCount: number;
  valueFns: ValueFn[];
  /** Per column: salt of its cell random source and of its faker seed (derived from seed, table, column). */
  salts: Uint32Array;
  fakerSalts: Uint32Array;
  /** Per column: its id in the plan (for the cycle check) and the table it references, if any. */
  columnIds: Uint32Array;
  references: (string | undefined)[];
  keyStart: number | undefined;
  /** Generated grouped by a parent (`perParent`): which, through which column, and where each parent's rows sit. */
  grouping?: { parent: string; column: number; layout: ChildLayout };
}

/** Everything needed to generate any chunk of any table, independently of the others. */
export interface GenerationPlan {
  datasetName: string;
  profile: Profile;
  seed: number;
  /** Parents before children. */
  tables: CompiledTable[];
  totalRows: number;
  table(name: string): CompiledTable;
  /** `table.column` by column id, for error messages. */
  columnLabels: string[];
  /** The columns being computed right now, outermost first (a nested read that meets itself is a cycle). */
  evaluation: { depth: number; path: Uint32Array };
}

/** A faker instance built explicitly and seeded: never the global `faker`. */
export function seededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  return faker;
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ShipgateError(
      'DATASET_INVALID',
      `expected a seed that is a whole number in [0, 4294967295], found ${seed}`,
      { location: { path: 'seed' } },
    );
  }
}

/** Compiles every column of every table (building the faker-made pools); throws DATASET_INVALID on bad input. */
export function compilePlan(dataset: Dataset, profile: Profile, seed: number): GenerationPlan {
  checkSeed(seed);
  const compiled = new Map<string, CompiledTable>();
  const columnLabels: string[] = [];
  const table = (name: string): CompiledTable => {
    const found = compiled.get(name);
    if (!found) throw new ShipgateError('INTERNAL', `the generation plan has no table ${name} (yet)`);
    return found;
  };
  const tableInfo = (name: string): { volume: number; keyStart: number } => {
    const found = table(name);
    if (found.keyStart === undefined)
      throw new ShipgateError('DATASET_INVALID', `table "${name}" has no gen.id() key column`, {
        location: { path: `tables.${name}` },
      });
    return { volume: found.volume, keyStart: found.keyStart };
  };
  const childLayout = (name: string) => {
    const grouping = compiled.get(name)?.grouping;
    return (
      grouping && { parentTable: grouping.parent, volume: grouping.layout.volume, countOf: grouping.layout.countOf }
    );
  };
  for (const name of dataset.tableOrder) {
    const declared = dataset.tables[name];
    if (!declared) throw new ShipgateError('INTERNAL', `table order names unknown table ${name}`);
    const columns = Object.keys(declared.columns);
    const groupingColumn = groupingOf(declared);
    let grouping: CompiledTable['grouping'];
    if (groupingColumn) {
      // The layout first: the table's volume is the sum of the counts drawn for its parent's rows.
      const { spec } = groupingColumn;
      const sample = countSampler(spec.perParent!);
      const salt = deriveSeed(seed, name, 'perParent');
      const layout = new ChildLayout(table(spec.table).volume, (p) => sample(cellUniform(salt, p)));
      grouping = { parent: spec.table, column: columns.indexOf(groupingColumn.name), layout };
    }
    const volume = grouping ? grouping.layout.volume : (declared.volume?.[profile] ?? 0);
    const shared = new Map<string, unknown>();
    const sharedFaker = seededFaker(deriveSeed(seed, name, 'faker'));
    const valueFns = Object.entries(declared.columns).map(([column, decl]) => {
      const ctx: GeneratorContext = {
        seed,
        profile,
        table: name,
        column,
        volume,
        unique: decl.unique === true,
        tableInfo,
        childLayout,
        fakerFor: (...parts) => seededFaker(deriveSeed(seed, name, ...parts)),
        sharedFaker,
        prngFor: (...parts) => prngFor(seed, name, column, ...parts),
        shared,
      };
      return decl.generator.compile(ctx);
    });
    const firstId = columnLabels.length;
    columnLabels.push(...columns.map((c) => `${name}.${c}`));
    compiled.set(name, {
      name,
      columns,
      columnIndex: new Map(columns.map((c, i) => [c, i])),
      volume,
      chunkCount: Math.ceil(volume / CHUNK_ROWS),
      valueFns,
      salts: Uint32Array.from(columns, (c) => deriveSeed(seed, name, 'cell', c)),
      fakerSalts: Uint32Array.from(columns, (c) => deriveSeed(seed, name, 'faker', c)),
      columnIds: Uint32Array.from(columns, (_, i) => firstId + i),
      references: columns.map((c) => declared.columns[c]?.generator.reference?.table),
      keyStart: keyColumnOf(declared)?.start,
      ...(grouping ? { grouping } : {}),
    });
  }
  const tables = dataset.tableOrder.map(table);
  return {
    datasetName: dataset.name,
    profile,
    seed,
    tables,
    totalRows: tables.reduce((n, t) => n + t.volume, 0),
    table,
    columnLabels,
    evaluation: { depth: 0, path: new Uint32Array(64) },
  };
}
