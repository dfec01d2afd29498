import { ShipgateError } from '@shipgate/model';
import type { Problem } from '@shipgate/model';
import { countProblems } from './counts';
import type { ColumnGenerator, ReferenceSpec } from './generator';
import { groupingOf } from './table-grouping';
import { validateAmong, validateRead } from './validate-reads';

export { groupingOf } from './table-grouping';

/** The seed profiles: `small` for test, `production-like` for staging. */
export type Profile = 'small' | 'production-like';

/** The profiles every table must give a volume for. */
export const PROFILES: readonly Profile[] = ['small', 'production-like'];

/** One column: its SQL type (as in the schema), how its values are made, and whether they are unique. */
export interface ColumnDeclaration {
  type: string;
  generator: ColumnGenerator;
  unique?: boolean;
}

/**
 * One table: rows per profile and its columns, in COPY order. A table generated grouped by a parent
 * (a column `gen.ref(parent, { perParent })`) declares no volume: it has the sum of its parents' counts.
 */
export interface TableDeclaration {
  volume?: Record<Profile, number>;
  columns: Record<string, ColumnDeclaration>;
}

/** What a service declares: its tables and the CREATE TABLE SQL that holds them. */
export interface DatasetDeclaration {
  name: string;
  description?: string;
  /** CREATE TABLE statements (run by `migrate: true`); one per declared table. */
  schemaSql: string;
  /** The same tables in MySQL/MariaDB's SQL, for `migrate: true` on a MySQL target (optional). */
  mysqlSchemaSql?: string;
  tables: Record<string, TableDeclaration>;
}

/** A foreign key between two declared tables. */
export interface Relation {
  from: { table: string; column: string };
  to: { table: string; column: string };
  spec: ReferenceSpec;
}

/** A validated dataset: the declaration plus what was derived from it. */
export interface Dataset extends DatasetDeclaration {
  readonly kind: 'shipgate-dataset';
  /** Parents before children: the order tables are generated and written in. */
  readonly tableOrder: readonly string[];
  readonly relations: readonly Relation[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Declares a dataset and validates it up front: throws DATASET_INVALID listing every problem with its path. */
export function defineDataset(declaration: DatasetDeclaration): Dataset {
  const problems = validateDataset(declaration);
  if (problems.length > 0) {
    throw new ShipgateError(
      'DATASET_INVALID',
      `dataset "${declaration.name}" is not valid: ${problems.length} problem(s); first: ${problems[0]?.path}: ${problems[0]?.message}`,
      { problems, location: { path: problems[0]?.path }, hint: 'Fix the dataset declaration at the paths listed.' },
    );
  }
  return {
    ...declaration,
    kind: 'shipgate-dataset',
    tableOrder: orderTables(declaration).order,
    relations: relationsOf(declaration),
  };
}

/** True for a value made by defineDataset (also from another copy of this library, e.g. a bundled dataset file). */
export function isDataset(value: unknown): value is Dataset {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'shipgate-dataset';
}

/** The key column of a table (the one whose generator is gen.id()), if any. */
export function keyColumnOf(table: TableDeclaration): { name: string; start: number } | undefined {
  for (const [name, column] of Object.entries(table.columns)) {
    if (column.generator.key) return { name, start: column.generator.key.start };
  }
  return undefined;
}

/**
 * The fewest and most rows a table can have in a profile: its volume, or for a grouped table its parent's
 * range times the count range (the real figure depends on the seed and is known once compiled).
 */
export function volumeRange(
  declaration: DatasetDeclaration,
  tableName: string,
  profile: Profile,
  seen: readonly string[] = [],
): { min: number; max: number } {
  const table = declaration.tables[tableName];
  const grouping = table && groupingOf(table);
  if (!grouping || seen.includes(tableName)) {
    const v = table?.volume?.[profile] ?? 0;
    return { min: v, max: v };
  }
  const parent = volumeRange(declaration, grouping.spec.table, profile, [...seen, tableName]);
  const perParent = grouping.spec.perParent!;
  return { min: parent.min * perParent.min, max: parent.max * perParent.max };
}

function relationsOf(declaration: DatasetDeclaration): Relation[] {
  const relations: Relation[] = [];
  for (const [table, decl] of Object.entries(declaration.tables)) {
    for (const [column, col] of Object.entries(decl.columns)) {
      const spec = col.generator.reference;
      if (!spec) continue;
      const target = declaration.tables[spec.table];
      relations.push({
        from: { table, column },
        to: { table: spec.table, column: (target && keyColumnOf(target)?.name) ?? '?' },
        spec,
      });
    }
  }
  return relations;
}

/** Topological order of the tables by their references; `cycle` names the tables of a cycle if there is one. */
export function orderTables(declaration: DatasetDeclaration): { order: string[]; cycle?: string[] } {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  let cycle: string[] | undefined;
  const visit = (table: string, path: string[]): void => {
    if (state.get(table) === 'done' || cycle) return;
    if (state.get(table) === 'visiting') {
      cycle = [...path.slice(path.indexOf(table)), table];
      return;
    }
    state.set(table, 'visiting');
    for (const col of Object.values(declaration.tables[table]?.columns ?? {})) {
      const parent = col.generator.reference?.table;
      if (parent !== undefined && declaration.tables[parent]) visit(parent, [...path, table]);
    }
    state.set(table, 'done');
    order.push(table);
  };
  for (const table of Object.keys(declaration.tables).sort()) visit(table, []);
  return cycle ? { order, cycle } : { order };
}

/** Every problem of a declaration, each with its path (`tables.orders.columns.customer_id`). Pure. */
export function validateDataset(declaration: DatasetDeclaration): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string, hint?: string): void => {
    problems.push({ code: 'DATASET_INVALID', path, message, ...(hint ? { hint } : {}) });
  };
  const tables = Object.entries(declaration.tables ?? {});
  if (tables.length === 0) add('tables', 'expected at least one table, found none');
  for (const [tableName, table] of tables) {
    const at = `tables.${tableName}`;
    if (!IDENTIFIER.test(tableName)) add(at, `table name must match ${IDENTIFIER}, found "${tableName}"`);
    if (!createsTable(declaration.schemaSql ?? '', tableName))
      add(at, `expected a CREATE TABLE ${tableName} statement in schemaSql, found none`);
    if (declaration.mysqlSchemaSql !== undefined && !createsTable(declaration.mysqlSchemaSql, tableName))
      add(at, `expected a CREATE TABLE ${tableName} statement in mysqlSchemaSql, found none`);
    const columns = Object.entries(table.columns ?? {});
    const grouped = columns.filter(([, c]) => c.generator?.reference?.perParent);
    if (grouped.length > 1)
      add(`${at}.columns`, `expected at most one perParent reference, found ${grouped.map(([n]) => n).join(', ')}`);
    if (grouped.length > 0 && table.volume !== undefined)
      add(
        `${at}.volume`,
        `expected no volume: the rows of ${tableName} are the children of ${grouped[0]![1].generator.reference!.table}, counted by perParent`,
        'Remove volume, or drop perParent to declare a volume.',
      );
    for (const profile of grouped.length > 0 ? [] : PROFILES) {
      const volume = table.volume?.[profile];
      if (typeof volume !== 'number' || !Number.isSafeInteger(volume) || volume < 0) {
        add(`${at}.volume.${profile}`, `expected a whole number of rows >= 0, found ${String(volume)}`);
      }
    }
    if (columns.length === 0) add(`${at}.columns`, 'expected at least one column, found none');
    if (columns.filter(([, c]) => c.generator?.key).length > 1)
      add(`${at}.columns`, 'expected at most one gen.id() key column, found several');
    for (const [columnName, column] of columns) validateColumn(declaration, tableName, table, columnName, column, add);
  }
  const { cycle } = orderTables(declaration);
  if (cycle)
    add(
      `tables.${cycle[0]}`,
      `references form a cycle: ${cycle.join(' -> ')}`,
      'Make one side of the cycle a column filled later, or drop the reference.',
    );
  return problems;
}

type Add = (path: string, message: string, hint?: string) => void;

function createsTable(sql: string, table: string): boolean {
  return new RegExp(`create\\s+table\\s+(if\\s+not\\s+exists\\s+)?["\`]?${table}["\`]?\\s*\\(`, 'i').test(sql);
}

function validateColumn(
  declaration: DatasetDeclaration,
  tableName: string,
  table: TableDeclaration,
  columnName: string,
  column: ColumnDeclaration,
  add: Add,
): void {
  const at = `tables.${tableName}.columns.${columnName}`;
  if (!IDENTIFIER.test(columnName)) add(at, `column name must match ${IDENTIFIER}, found "${columnName}"`);
  if (typeof column.type !== 'string' || column.type.trim() === '')
    add(`${at}.type`, 'expected an SQL type, found none');
  const generator = column.generator;
  if (!generator || typeof generator.compile !== 'function') {
    add(`${at}.generator`, 'expected a generator (gen.*), found none');
    return;
  }
  for (const message of generator.problems?.() ?? []) add(`${at}.generator`, message);
  const spec = generator.reference;
  const range = (name: string, profile: Profile) => volumeRange(declaration, name, profile);
  if (spec) {
    const parent = declaration.tables[spec.table];
    if (!parent) {
      add(
        at,
        `references unknown table "${spec.table}"; declared tables: ${Object.keys(declaration.tables).join(', ')}`,
      );
    } else if (!keyColumnOf(parent)) {
      add(at, `references table "${spec.table}", which has no gen.id() key column to point at`);
    } else if (!spec.among) {
      for (const profile of PROFILES) {
        if (spec.presence >= 1 && range(spec.table, profile).max === 0 && range(tableName, profile).max > 0) {
          add(
            at,
            `references "${spec.table}", which has 0 rows in profile ${profile}; make it optional or give it rows`,
          );
        }
      }
    }
    if (!(spec.presence > 0 && spec.presence <= 1))
      add(at, `reference presence must be in (0, 1], found ${spec.presence}`);
    if (spec.distribution.kind === 'zipf' && !(spec.distribution.exponent > 0)) add(at, 'zipf exponent must be > 0');
    if (spec.perParent) {
      for (const message of countProblems(spec.perParent)) add(at, message);
      if (spec.presence < 1) add(at, 'a perParent reference is never NULL: expected presence 1');
    }
    if (spec.among !== undefined) validateAmong(declaration, table, columnName, spec, (m, h) => add(at, m, h));
  }
  for (const read of generator.reads ?? [])
    validateRead(declaration, tableName, columnName, read, (m, h) => add(at, m, h));
  if (!column.unique) return;
  if (generator.uniqueByConstruction || generator.key) return;
  if (spec?.perParent) {
    if (spec.perParent.max > 1)
      add(at, `unique perParent reference allows at most 1 child per parent, found ${spec.perParent.description}`);
    return;
  }
  if (spec && spec.distribution.kind === 'sequential' && spec.presence >= 1 && !spec.among) {
    // Row i -> parent i is one-to-one while the child has no more rows than the parent.
    for (const profile of PROFILES) {
      const parentVolume = range(spec.table, profile).min;
      const volume = range(tableName, profile).max;
      if (volume > parentVolume)
        add(
          at,
          `unique sequential reference needs at most ${parentVolume} rows (the rows of "${spec.table}") for profile ${profile}, found ${volume}`,
        );
    }
    return;
  }
  if (!generator.enumerable) {
    add(
      at,
      `unique column uses ${generator.description}, which cannot guarantee distinct values`,
      'Use a generator that embeds the row number (gen.sequence, gen.email, gen.opaqueReference, gen.uuid) or a finite one (gen.int, gen.pick).',
    );
    return;
  }
  for (const profile of PROFILES) {
    const volume = range(tableName, profile).max;
    if (generator.cardinality < volume) {
      add(
        at,
        `unique column needs ${volume} distinct values for profile ${profile}, but ${generator.description} can produce at most ${generator.cardinality}`,
        "Widen the generator's range, lower the volume, or use a generator that embeds the row number.",
      );
    }
  }
}
