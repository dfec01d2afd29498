import type { Value } from './copy-text';
import { distribution as dist } from './generator';
import type { CountDistribution } from './counts';
import type {
  ColumnGenerator,
  ColumnRead,
  Distribution,
  GeneratorContext,
  ReferenceSpec,
  RowContext,
  ValueFn,
} from './generator';
import { buildPool } from './pools';
import type { Faker } from '@faker-js/faker';
import { affinePermutation } from './prng';
import { compileReference } from './reference';

/** For enumerable generators: the k-th distinct value, k in [0, cardinality). */
function enumerated(ctx: GeneratorContext, cardinality: number, nth: (k: number) => Value, random: ValueFn): ValueFn {
  if (!ctx.unique) return random;
  const perm = affinePermutation(cardinality, ctx.prngFor('unique'));
  return (row) => nth(perm(row.index));
}

function finite(
  kind: string,
  description: string,
  cardinality: number,
  compile: (ctx: GeneratorContext) => ValueFn,
  extra: Partial<ColumnGenerator> = {},
): ColumnGenerator {
  return { kind, description, cardinality, uniqueByConstruction: false, enumerable: true, compile, ...extra };
}

/** A table's key: start + row index (unique, and what references resolve to). */
export function id(options: { start?: number } = {}): ColumnGenerator {
  const start = options.start ?? 1;
  return {
    kind: 'id',
    description: `id(start ${start})`,
    cardinality: Infinity,
    uniqueByConstruction: true,
    enumerable: false,
    key: { start },
    compile: () => (row) => start + row.index,
  };
}

/**
 * A foreign key to `table`'s key. Either a pick per row (`distribution`, default uniform; `presence` below 1
 * leaves NULLs), or `perParent`: this table is generated grouped by `table`, each of its rows getting a
 * number of children drawn from the count distribution, or `among`: one of the `table` rows that belong to
 * the row an earlier reference column points at (an order's address among its customer's addresses).
 */
export function ref(
  table: string,
  options: { distribution?: Distribution; presence?: number; perParent?: CountDistribution; among?: string } = {},
): ColumnGenerator {
  const spec: ReferenceSpec = {
    table,
    distribution: options.distribution ?? dist.uniform(),
    presence: options.presence ?? 1,
    ...(options.perParent ? { perParent: options.perParent } : {}),
    ...(options.among !== undefined ? { among: options.among } : {}),
  };
  const how = spec.perParent
    ? `perParent ${spec.perParent.description}`
    : spec.among !== undefined
      ? `among ${options.among}'s`
      : spec.distribution.kind;
  return {
    kind: 'ref',
    description: `ref(${table}, ${how})`,
    cardinality: Infinity,
    uniqueByConstruction: false,
    enumerable: false,
    reference: spec,
    compile: (ctx) => compileReference(ctx, spec),
  };
}

/** An integer in [min, max]. */
export function int(min: number, max: number): ColumnGenerator {
  return finite(
    'int',
    `int(${min}, ${max})`,
    max - min + 1,
    (ctx) =>
      enumerated(
        ctx,
        max - min + 1,
        (k) => min + k,
        (row) => row.rng.range(min, max),
      ),
    { accepts: (text) => /^-?\d+$/.test(text) && Number(text) >= min && Number(text) <= max },
  );
}

/**
 * A decimal in [min, max] with `scale` digits after the point, as a number: units / 10^scale, whose shortest
 * text (what COPY writes, e.g. "12.5") is exactly that decimal, and which derived columns add without parsing.
 */
export function decimal(min: number, max: number, scale = 2): ColumnGenerator {
  const factor = 10 ** scale;
  const lo = Math.round(min * factor);
  const hi = Math.round(max * factor);
  return finite(
    'decimal',
    `decimal(${min}, ${max}, ${scale})`,
    hi - lo + 1,
    (ctx) =>
      enumerated(
        ctx,
        hi - lo + 1,
        (k) => (lo + k) / factor,
        (row) => row.rng.range(lo, hi) / factor,
      ),
    { accepts: (text) => /^-?\d+(\.\d+)?$/.test(text) && Number(text) >= min && Number(text) <= max },
  );
}

/** One of `values`, optionally weighted. */
export function pick<T extends Value>(values: readonly T[], weights?: readonly number[]): ColumnGenerator {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++) cumulative.push((total += weights?.[i] ?? 1));
  const choose = (u: number): T => {
    const target = u * total;
    let i = 0;
    while (i < cumulative.length - 1 && (cumulative[i] as number) <= target) i++;
    return values[i] as T;
  };
  return finite(
    'pick',
    `pick(${values.length} values)`,
    values.length,
    (ctx) =>
      enumerated(
        ctx,
        values.length,
        (k) => values[k] as T,
        (row) => choose(row.rng.next()),
      ),
    {
      problems: () => (values.length === 0 ? ['pick() needs at least one value'] : []),
      accepts: (text) => values.some((v) => textForms(v).includes(text)),
    },
  );
}

/** How a picked value reads back from PostgreSQL or MySQL as text. */
function textForms(value: Value): string[] {
  if (typeof value === 'boolean') return value ? ['t', 'true', '1'] : ['f', 'false', '0'];
  return [String(value)];
}

/** true with probability p. */
export function boolean(p = 0.5): ColumnGenerator {
  return finite('boolean', `boolean(${p})`, 2, () => (row) => row.rng.next() < p);
}

/** A string of `length` decimal digits (e.g. a card's last 4). */
export function digits(length: number): ColumnGenerator {
  const cardinality = 10 ** length;
  const format = (n: number): string => String(n).padStart(length, '0');
  return finite(
    'digits',
    `digits(${length})`,
    cardinality,
    (ctx) => enumerated(ctx, cardinality, format, (row) => format(row.rng.int(cardinality))),
    { accepts: (text) => text.length === length && /^\d+$/.test(text) },
  );
}

/** A pool of `size` values made by faker once, picked per row: realistic and fast. */
export function fakerPool(size: number, make: (faker: Faker) => string, label = 'values'): ColumnGenerator {
  return finite('fakerPool', `fakerPool(${label}, ${size})`, size, (ctx) => {
    const pool = buildPool(ctx, `${ctx.column}:${label}`, size, make, ctx.unique);
    return enumerated(
      ctx,
      size,
      (k) => pool[k] as string,
      (row) => pool[row.rng.int(size)] as string,
    );
  });
}

/**
 * A timestamp between two fixed instants (never "now": the same seed must give the same data next year), as
 * a Date: written as ISO text, and read by derived columns without parsing.
 */
export function timestamp(from: string, to: string): ColumnGenerator {
  const lo = Date.parse(from);
  const hi = Date.parse(to);
  const problems = (): string[] =>
    Number.isNaN(lo) || Number.isNaN(hi) || hi < lo
      ? [`timestamp(${from}, ${to}) needs two ISO dates, from <= to`]
      : [];
  return finite(
    'timestamp',
    `timestamp(${from}, ${to})`,
    Infinity,
    () => (row) => new Date(lo + Math.floor(row.rng.next() * (hi - lo))),
    {
      enumerable: false,
      problems,
    },
  );
}

/** `inner`, or NULL with probability 1 - presence. */
export function optional(inner: ColumnGenerator, presence: number): ColumnGenerator {
  return {
    ...inner,
    kind: `optional(${inner.kind})`,
    description: `optional(${inner.description}, ${presence})`,
    enumerable: false,
    uniqueByConstruction: false,
    key: undefined,
    compile: (ctx) => {
      const fn = inner.compile(ctx);
      return (row: RowContext) => (row.rng.next() < presence ? fn(row) : null);
    },
  };
}

/**
 * Anything else, per row: `fn` gets the row context (its `rng`, `faker`, earlier columns through `get`,
 * referenced rows through `ref`, children through `children`). Declare what it reads in `reads` so that
 * the declaration is checked before any row is made.
 */
export function custom(
  fn: (row: RowContext) => Value,
  options: {
    description?: string;
    cardinality?: number;
    uniqueByConstruction?: boolean;
    reads?: readonly (string | { children: string })[];
  } = {},
): ColumnGenerator {
  return {
    kind: 'custom',
    description: options.description ?? 'custom',
    cardinality: options.cardinality ?? Infinity,
    uniqueByConstruction: options.uniqueByConstruction ?? false,
    enumerable: false,
    reads: (options.reads ?? []).map((r): ColumnRead =>
      typeof r === 'string' ? { kind: 'path', path: r.split('.') } : { kind: 'children', table: r.children },
    ),
    compile: () => fn,
  };
}
