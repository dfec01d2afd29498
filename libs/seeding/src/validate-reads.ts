import type { DatasetDeclaration, TableDeclaration } from './define-dataset';
import type { ColumnRead, ReferenceSpec } from './generator';
import { groupingOf } from './table-grouping';

type Report = (message: string, hint?: string) => void;

/** `gen.ref(table, { among: via })`: `via` is an earlier reference column, and `table` is grouped by its table. */
export function validateAmong(
  declaration: DatasetDeclaration,
  table: TableDeclaration,
  columnName: string,
  spec: ReferenceSpec,
  report: Report,
): void {
  const names = Object.keys(table.columns);
  const via = spec.among!;
  const viaSpec = table.columns[via]?.generator?.reference;
  if (!viaSpec || names.indexOf(via) >= names.indexOf(columnName)) {
    report(
      `picks among the ${spec.table} of column "${via}", which is not a reference column declared before it`,
      `Declare ${via} as gen.ref(…) above ${columnName}.`,
    );
    return;
  }
  const target = declaration.tables[spec.table];
  const grouping = target && groupingOf(target);
  if (!grouping || grouping.spec.table !== viaSpec.table) {
    report(
      `picks among the ${spec.table} of each ${viaSpec.table}, but ${spec.table} is not generated grouped by ${viaSpec.table}`,
      `Declare ${spec.table}'s reference to ${viaSpec.table} with gen.ref('${viaSpec.table}', { perParent: counts… }).`,
    );
    return;
  }
  if (spec.presence >= 1 && grouping.spec.perParent!.min === 0)
    report(
      `is NULL for a ${viaSpec.table} with no ${spec.table} (perParent ${grouping.spec.perParent!.description} allows 0); expected presence < 1 or a perParent minimum of 1`,
    );
}

/** A declared read: the path's columns exist, the first comes earlier in the row, the hops are references. */
export function validateRead(
  declaration: DatasetDeclaration,
  tableName: string,
  columnName: string,
  read: ColumnRead,
  report: Report,
): void {
  if (read.kind === 'children') {
    const child = declaration.tables[read.table];
    const grouping = child && groupingOf(child);
    if (!grouping || grouping.spec.table !== tableName) {
      report(
        `reads the children of ${tableName} in "${read.table}", which is not a table generated grouped by ${tableName}`,
        `Declare ${read.table}'s reference to ${tableName} with gen.ref('${tableName}', { perParent: counts… }).`,
      );
      return;
    }
    const names = Object.keys(child.columns);
    for (const column of read.columns ?? [])
      if (!names.includes(column))
        report(`reads column "${column}" of its ${read.table}, which has no such column; columns: ${names.join(', ')}`);
    return;
  }
  let table = declaration.tables[tableName]!;
  let at = tableName;
  for (let i = 0; i < read.path.length; i++) {
    const name = read.path[i]!;
    const names = Object.keys(table.columns);
    const path = read.path.join('.');
    if (!names.includes(name)) {
      report(`reads "${path}", but table ${at} has no column "${name}"; columns: ${names.join(', ')}`);
      return;
    }
    if (i === 0 && names.indexOf(name) >= names.indexOf(columnName)) {
      report(
        `reads "${path}", but column "${name}" is declared ${name === columnName ? 'as this very column' : 'after it'}; a generator reads only the columns declared before it`,
        'Move the column it reads above it in the declaration.',
      );
      return;
    }
    if (i === read.path.length - 1) return;
    const spec = table.columns[name]!.generator?.reference;
    const next = spec && declaration.tables[spec.table];
    if (!next) {
      report(`reads "${path}", but "${name}" is not a reference column (gen.ref) of ${at}`);
      return;
    }
    table = next;
    at = spec.table;
  }
}
