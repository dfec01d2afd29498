import type { Faker } from '@faker-js/faker';
import type { Value } from './copy-text';
import type { Prng } from './prng';

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
}

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
  /** A faker instance seeded from (seed, table, ...parts): for building pools deterministically. */
  fakerFor(...parts: string[]): Faker;
  /** The faker used for per-row values (re-seeded per chunk). */
  sharedFaker: Faker;
  /** A PRNG seeded from (seed, table, column, ...parts): for compile-time choices. */
  prngFor(...parts: string[]): Prng;
  /** Values shared by the generators of one table (e.g. the person pools used by name and email). */
  shared: Map<string, unknown>;
}

/** What a generator sees for each row. */
export interface RowContext {
  /** Row number within the table, from 0. */
  index: number;
  /** The chunk's PRNG: cheap numbers. */
  rng: Prng;
  /** The chunk's faker (seeded per chunk): realistic but slow. */
  faker: Faker;
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
  compile(ctx: GeneratorContext): ValueFn;
}

/** A stateless 32-bit integer mix (murmur3 finaliser): row index -> well-spread pseudo-random bits. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
