import type { Faker } from '@faker-js/faker';
import { ShipgateError } from '@shipgate/model';
import type { Value } from './copy-text';
import type { LayoutCursor } from './child-layout';
import type { ChildRows, RowContext, RowView } from './generator';
import type { CompiledTable, GenerationPlan } from './generation-plan';
import { seededFaker } from './generation-plan';
import type { RandomSource } from './prng';
import { CellRandom, cellSeed } from './prng';

/**
 * Nested reads this deep are a cycle (a valid dataset nests a few levels: an order's total reads its items,
 * which read their products). Checked by one comparison per value; the chain is worked out only then.
 */
const MAX_DEPTH = 32;

function invalid(table: CompiledTable, column: number | string, message: string, hint?: string): ShipgateError {
  const name = typeof column === 'number' ? (table.columns[column] ?? '?') : column;
  const path = `tables.${table.name}.columns.${name}`;
  return new ShipgateError('DATASET_INVALID', `${path}: ${message}`, {
    location: { path },
    ...(hint ? { hint } : {}),
  });
}

/**
 * One row of one table, computed column by column on demand: the generator of the table being written
 * moves it row by row and reads every column; a view of a parent, a child or a sibling row is the same
 * thing moved to the row that is read. Each value depends only on (seed, table, column, row) and on the
 * values it reads, so a row made again as a view equals the row written.
 */
export class RowState implements RowContext {
  index = -1;
  private readonly values: Value[];
  /** stamps[c] === stamp: column c holds the current row's value. Moving bumps the stamp: O(1) reset. */
  private readonly stamps: Uint32Array;
  private readonly fakerStamps: Uint32Array;
  private readonly rngStamps: Uint32Array;
  private stamp = 1;
  /** The column being computed (its generator is running), or -1. */
  private current = -1;
  private readonly rngs: CellRandom[];
  private readonly fakers: (Faker | undefined)[];
  private readonly refViews: (RowState | undefined)[];
  private children_?: Map<string, Children>;
  private readonly own?: LayoutCursor;
  /** Parent row (for a grouped table), set when moving. */
  parentIndex = -1;

  constructor(
    private readonly plan: GenerationPlan,
    readonly table: CompiledTable,
  ) {
    const n = table.columns.length;
    this.values = new Array<Value>(n).fill(null);
    this.stamps = new Uint32Array(n);
    this.fakerStamps = new Uint32Array(n);
    this.rngStamps = new Uint32Array(n);
    this.rngs = Array.from({ length: n }, () => new CellRandom());
    this.fakers = new Array<Faker | undefined>(n);
    this.refViews = new Array<RowState | undefined>(n);
    this.own = table.grouping?.layout.cursor();
  }

  /** A fresh row of `table` to generate from, the outermost one: nothing is being computed yet. */
  static startRows(plan: GenerationPlan, table: CompiledTable): RowState {
    plan.evaluation.depth = 0;
    return new RowState(plan, table);
  }

  /** Moves to row `index`; `parent` when the caller already knows it (children of a known parent). */
  moveTo(index: number, parent = -1): void {
    if (index === this.index) return;
    this.index = index;
    this.stamp++;
    if (this.own) this.parentIndex = parent >= 0 ? parent : this.own.parentOfRow(index);
  }

  get rng(): RandomSource {
    const c = this.current;
    if (c < 0) throw invalid(this.table, '?', 'row.rng is only available while a column generator runs');
    const rng = this.rngs[c] as CellRandom;
    // Seeded on first use in the cell: most columns (keys, references, copies, sums) draw nothing.
    if (this.rngStamps[c] !== this.stamp) {
      rng.reset(cellSeed(this.table.salts[c] as number, this.index));
      this.rngStamps[c] = this.stamp;
    }
    return rng;
  }

  get faker(): Faker {
    const c = this.current;
    if (c < 0) throw invalid(this.table, '?', 'row.faker is only available while a column generator runs');
    let faker = this.fakers[c];
    if (!faker) this.fakers[c] = faker = seededFaker(0);
    if (this.fakerStamps[c] !== this.stamp) {
      faker.seed(cellSeed(this.table.fakerSalts[c] as number, this.index));
      this.fakerStamps[c] = this.stamp;
    }
    return faker;
  }

  /** The value of column c of the current row, computing it (and what it reads) if needed. */
  valueAt(c: number): Value {
    if (this.stamps[c] === this.stamp) return this.values[c] as Value;
    const evaluation = this.plan.evaluation;
    const depth = evaluation.depth;
    evaluation.path[depth] = this.table.columnIds[c] as number;
    if (depth >= MAX_DEPTH) throw this.cycle(c);
    evaluation.depth = depth + 1;
    const previous = this.current;
    this.current = c;
    // No try/finally: a generator that throws ends the run; the next chunk starts afresh (startRows).
    const value = (this.table.valueFns[c] as (row: RowContext) => Value)(this);
    this.current = previous;
    evaluation.depth = depth;
    this.values[c] = value;
    this.stamps[c] = this.stamp;
    return value;
  }

  private cycle(c: number): ShipgateError {
    const { path: all, depth } = this.plan.evaluation;
    const path = Array.from(all.subarray(0, depth + 1));
    for (let i = 0; i < path.length; i++) {
      const again = path.indexOf(path[i] as number, i + 1);
      if (again < 0) continue;
      const chain = path.slice(i, again + 1).map((k) => this.plan.columnLabels[k]);
      return invalid(
        this.table,
        c,
        `reads itself through other rows: ${chain.join(' -> ')}`,
        'Break the cycle: one of these columns must not read the next.',
      );
    }
    return invalid(this.table, c, `reads nested more than ${MAX_DEPTH} rows deep`);
  }

  private columnOf(name: string, what: string): number {
    const c = this.table.columnIndex.get(name);
    if (c === undefined)
      throw invalid(
        this.table,
        this.current >= 0 ? this.current : name,
        `${what} "${name}", which table ${this.table.name} does not have; columns: ${this.table.columns.join(', ')}`,
      );
    if (this.current >= 0 && c >= this.current)
      throw invalid(
        this.table,
        this.current,
        `${what} "${name}", which is declared ${c === this.current ? 'as this very column' : 'after it'}; a generator reads only the columns declared before it`,
        'Move the column it reads above it in the declaration.',
      );
    return c;
  }

  columnIndex(column: string): number {
    return this.table.columnIndex.get(column) ?? -1;
  }

  get(column: string): Value {
    return this.valueAt(this.columnOf(column, 'reads column'));
  }

  ref(column: string): RowView | null {
    return this.refAt(this.columnOf(column, 'reads the row referenced by column'));
  }

  refAt(c: number): RowView | null {
    const parentName = this.table.references[c];
    if (parentName === undefined)
      throw invalid(
        this.table,
        this.current >= 0 ? this.current : c,
        `reads the row referenced by column "${this.table.columns[c]}", which is not a reference (gen.ref)`,
      );
    const key = this.valueAt(c);
    if (key === null) return null;
    let view = this.refViews[c];
    if (!view) this.refViews[c] = view = new RowState(this.plan, this.plan.table(parentName));
    view.moveTo(Number(key) - (view.table.keyStart ?? 0));
    return view;
  }

  children(table: string): ChildRows {
    let map = this.children_;
    if (!map) this.children_ = map = new Map();
    let rows = map.get(table);
    if (!rows) {
      const child = this.plan.table(table);
      if (child.grouping?.parent !== this.table.name) {
        const at = this.current >= 0 ? this.current : '?';
        throw invalid(
          this.table,
          at,
          `reads the children of ${this.table.name} in table "${table}", which is not generated grouped by ${this.table.name}`,
          `Declare ${table}'s reference to ${this.table.name} with gen.ref('${this.table.name}', { perParent: counts… }).`,
        );
      }
      map.set(table, (rows = new Children(new RowState(this.plan, child), child.grouping.layout.cursor())));
    }
    rows.moveTo(this.index);
    return rows;
  }
}

/** The children of one parent row: a cursor over the child layout and one reusable view. */
class Children implements ChildRows {
  private parent = -1;

  constructor(
    private readonly view: RowState,
    private readonly cursor: LayoutCursor,
  ) {}

  moveTo(parent: number): void {
    if (parent === this.parent) return;
    this.parent = parent;
    this.cursor.seekParent(parent);
  }

  get count(): number {
    return this.cursor.count;
  }

  get start(): number {
    return this.cursor.start;
  }

  row(k: number): RowView {
    if (!(k >= 0 && k < this.cursor.count)) throw new RangeError(`child ${k} of ${this.cursor.count}`);
    this.view.moveTo(this.cursor.start + k, this.parent);
    return this.view;
  }
}
