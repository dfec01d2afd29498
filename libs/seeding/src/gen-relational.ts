import type { Value } from './copy-text';
import { parseIso } from './fast-format';
import type { ColumnGenerator, RowView, ValueFn } from './generator';

/**
 * The value at `path` from `row`: `["total"]` is an earlier column of the row, `["order_id", "total"]` the
 * column of the row that order_id references (NULL when the reference is NULL), and so on hop by hop.
 */
export function readPath(row: RowView, path: readonly string[]): Value {
  let at: RowView | null = row;
  const last = path.length - 1;
  for (let i = 0; i < last && at; i++) at = at.ref(path[i] as string);
  return at ? at.get(path[last] as string) : null;
}

/**
 * readPath for one declared (validated) path, by column positions found on first use: each hop always
 * lands in the same table, so the positions hold for every row.
 */
function pathReader(path: readonly string[]): (row: RowView) => Value {
  const at = new Int32Array(path.length).fill(-1);
  const last = path.length - 1;
  return (row) => {
    let view: RowView | null = row;
    for (let i = 0; i < last; i++) {
      if (at[i]! < 0) at[i] = view.columnIndex(path[i] as string);
      view = view.refAt(at[i]!);
      if (!view) return null;
    }
    if (at[last]! < 0) at[last] = view.columnIndex(path[last] as string);
    return view.valueAt(at[last]!);
  };
}

function relational(
  kind: string,
  description: string,
  reads: ColumnGenerator['reads'],
  compile: () => ValueFn,
  problems: string[] = [],
): ColumnGenerator {
  return {
    kind,
    description,
    cardinality: Infinity,
    uniqueByConstruction: false,
    enumerable: false,
    reads,
    problems: () => problems,
    compile,
  };
}

/** A copy of the value at `path`: `gen.from('order_id.total')` (a payment's amount is its order's total). */
export function from(path: string): ColumnGenerator {
  const parts = path.split('.');
  return relational('from', `from(${path})`, [{ kind: 'path', path: parts }], () => pathReader(parts));
}

const DAY_MS = 86_400_000;

/**
 * A timestamp after the one at `path` (`customer_id.created_at`: an order is placed after its customer
 * signed up): uniformly between `minSeconds` (default 60) and `maxDays` later, and not after `until` unless
 * the earliest allowed instant already is. NULL when the value at `path` is NULL.
 */
export function timestampAfter(
  path: string,
  options: { maxDays: number; minSeconds?: number; until?: string },
): ColumnGenerator {
  const parts = path.split('.');
  const minMs = (options.minSeconds ?? 60) * 1000;
  const maxMs = options.maxDays * DAY_MS;
  const until = options.until === undefined ? Infinity : Date.parse(options.until);
  const problems = [
    ...(Number.isNaN(until) ? [`timestampAfter(${path}): until "${options.until}" is not an ISO date`] : []),
    ...(!(maxMs >= minMs) ? [`timestampAfter(${path}): maxDays must be at least minSeconds`] : []),
  ];
  return relational(
    'timestampAfter',
    `timestampAfter(${path}, ${options.maxDays} days)`,
    [{ kind: 'path', path: parts }],
    () => {
      const read = pathReader(parts);
      return (row) => {
        const base = read(row);
        if (base === null) return null;
        const lo = (base instanceof Date ? base.getTime() : parseIso(String(base))) + minMs;
        const hi = Math.max(lo, Math.min(lo - minMs + maxMs, until));
        return new Date(lo + Math.floor(row.rng.next() * (hi - lo + 1)));
      };
    },
    problems,
  );
}

/** What each child adds to a sum: a column, the product of columns (`['quantity', 'unit_price']`), or a function. */
export type SumTerm = string | readonly string[] | ((child: RowView) => number);

/**
 * The sum over this row's children in `table` (generated grouped by this table) of `term`, as a decimal
 * with `scale` digits (a number, like gen.decimal's): an order's total is the sum of quantity × unit price
 * of its items. Exact: each term is rounded to the scale and added as an integer number of units.
 */
export function sumOf(table: string, term: SumTerm, options: { scale?: number } = {}): ColumnGenerator {
  const scale = options.scale ?? 2;
  const factor = 10 ** scale;
  const columns = typeof term === 'function' ? [] : typeof term === 'string' ? [term] : [...term];
  return relational(
    'sumOf',
    `sumOf(${table}${columns.length ? `, ${columns.join(' × ')}` : ''})`,
    [{ kind: 'children', table, columns }],
    () => {
      const at = new Int32Array(columns.length).fill(-1);
      const value =
        typeof term === 'function'
          ? term
          : (child: RowView): number => {
              let product = 1;
              for (let i = 0; i < at.length; i++) {
                if (at[i]! < 0) at[i] = child.columnIndex(columns[i] as string);
                product *= Number(child.valueAt(at[i]!));
              }
              return product;
            };
      return (row) => {
        const children = row.children(table);
        let units = 0;
        for (let k = 0; k < children.count; k++) units += Math.round(value(children.row(k)) * factor);
        return units / factor;
      };
    },
  );
}

/** The number of this row's children in `table` (generated grouped by this table). */
export function countOf(table: string): ColumnGenerator {
  return relational(
    'countOf',
    `countOf(${table})`,
    [{ kind: 'children', table }],
    () => (row) => row.children(table).count,
  );
}
