import type { Faker } from '@faker-js/faker';
import type { Value } from './copy-text';
import type { CountDistribution } from './counts';
import type { Prng, RandomSource } from './prng';

/** How a child row picks its parent: evenly, power-law (a few parents get most children), or row i -> parent i. */
export type Distribution = { kind: 'uniform' } | { kind: 'zipf'; exponent: number } | { kind: 'sequential' };

/** Distribution constructors for references. */
export const distribution = {
  /** Every parent equally likely. */
  uniform: (): Distribution => ({ kind: 'uniform' }),
  /** Power law: parent of rank r has weight 1/r^exponent (1 ≈ classic Zipf; larger = more skewed). */
  zipf: (exponent = 1): Distribution => ({ kind: 'zipf', exponent }),
  /** Child row i references parent i (mod parent count): one-to-one when volumes match. */
  sequential: (): Distribution => ({ kind: 'sequential' }),
};

/** A reference from a column to another table's key. */
export interface ReferenceSpec {
  table: string;
  distribution: Distribution;
  /** Probability that the reference is present; below 1 the column is NULL otherwise. */
  presence: number;
  /**
   * The table is generated grouped by this parent: each parent row gets a number of children drawn from
   * this distribution, and the table's volume is their sum (it declares none of its own).
   */
  perParent?: CountDistribution;
  /**
   * Pick among the rows of `table` that belong to the row this column (an earlier reference column of the
   * same row) references: an order's shipping address among its customer's addresses. `table` must be
   * generated grouped (`perParent`) by that row's table.
   */
  among?: string;
}

/** What a generator reads besides its own randomness, declared so that validateDataset can check it. */
export type ColumnRead =
  /** A value through a path: `created_at` (an earlier column) or `customer_id.created_at` (the referenced row's). */
  | { kind: 'path'; path: readonly string[] }
  /** The children of this row in a table generated grouped by this one (and which of their columns). */
  | { kind: 'children'; table: string; columns?: readonly string[] };

/** What a generator is told when it is compiled for one (seed, profile, table, column). */
export interface GeneratorContext {
  seed: number;
  profile: string;
  table: string;
  column: string;
  /** Rows of this table in this profile. */
  volume: number;
  /** The column is declared unique: the generator must produce distinct values by construction. */
  unique: boolean;
  /** Volume and first key of another table, so that references resolve by arithmetic. */
  tableInfo(name: string): { volume: number; keyStart: number };
  /** The layout of a table generated grouped by its parent (`perParent`), else undefined. */
  childLayout(name: string): ChildLayoutInfo | undefined;
  /** A faker instance seeded from (seed, table, ...parts): for building pools deterministically. */
  fakerFor(...parts: string[]): Faker;
  /** The faker used for per-row values (re-seeded per chunk). */
  sharedFaker: Faker;
  /** A PRNG seeded from (seed, table, column, ...parts): for compile-time choices. */
  prngFor(...parts: string[]): Prng;
  /** Values shared by the generators of one table (e.g. the person pools used by name and email). */
  shared: Map<string, unknown>;
}

/** Where the children of each parent sit in a grouped table (see child-layout.ts). */
export interface ChildLayoutInfo {
  readonly parentTable: string;
  readonly volume: number;
  countOf(parent: number): number;
}

/**
 * A row of any table, made again on demand from (seed, table, row): values are computed when first read
 * and kept while the view stays on that row. Views are reused: read what you need, do not keep them.
 */
export interface RowView {
  /** Row number within its table, from 0. */
  readonly index: number;
  /** The value of a column of this row. */
  get(column: string): Value;
  /** The row that reference column `column` points at, or null when it is NULL. */
  ref(column: string): RowView | null;
  /** Position of `column` in this row's table, or -1: for the index-based reads below. */
  columnIndex(column: string): number;
  /** get() by position, without its checks: for generators whose reads validateDataset has checked. */
  valueAt(column: number): Value;
  /** ref() by position, likewise. */
  refAt(column: number): RowView | null;
  /** This row's children in `table`, a table generated grouped by this one (`perParent`). */
  children(table: string): ChildRows;
}

/** The children of one row in a grouped table. */
export interface ChildRows {
  readonly count: number;
  /** Row number (in the child table) of the first child. */
  readonly start: number;
  /** The k-th child, 0 <= k < count (the same view object, moved). */
  row(k: number): RowView;
}

/**
 * What a generator sees for each row: its index, its random sources, the columns declared before it
 * (`get`), the rows its reference columns point at (`ref`), and its children (`children`).
 */
export interface RowContext extends RowView {
  /** Row number within the table, from 0. */
  readonly index: number;
  /** In a table generated grouped by a parent (`perParent`): the parent's row number; else -1. */
  readonly parentIndex: number;
  /** Numbers for this (column, row) alone: the same whatever else is generated, and in any order. */
  readonly rng: RandomSource;
  /** A faker seeded for this (column, row): realistic but slow (prefer pools). */
  readonly faker: Faker;
}

/** Produces one column's value for a row. */
export type ValueFn = (row: RowContext) => Value;

/** A column generator: what it can produce (for validation) and how to compile it. */
export interface ColumnGenerator {
  readonly kind: string;
  /** Shown in errors: `int(1, 100)`. */
  readonly description: string;
  /** How many distinct values it can produce at most (Infinity when unbounded). */
  readonly cardinality: number;
  /** Values are distinct for distinct rows without any check (e.g. they embed the row number). */
  readonly uniqueByConstruction: boolean;
  /** Can enumerate `cardinality` distinct values when the column is unique (via a permutation). */
  readonly enumerable: boolean;
  /** This column is a table's key: value = start + row index. */
  readonly key?: { start: number };
  /** This column references another table's key. */
  readonly reference?: ReferenceSpec;
  /** Declaration problems found without compiling (e.g. a non-reserved email domain). */
  problems?(): string[];
  /**
   * Whether a value read back from a database (as text) is one this generator could have made: `data verify`
   * reports the values of a dataset's columns that it rejects. Absent: any value.
   */
  accepts?(text: string): boolean;
  /** Other values it reads (checked by validateDataset: columns exist, come earlier, tables are grouped). */
  readonly reads?: readonly ColumnRead[];
  compile(ctx: GeneratorContext): ValueFn;
}

export { mix32 } from './prng';
