import type { TableDeclaration } from './define-dataset';
import type { ReferenceSpec } from './generator';

/** The column a table is generated grouped by (`gen.ref(parent, { perParent })`), if any. */
export function groupingOf(table: TableDeclaration): { name: string; spec: ReferenceSpec } | undefined {
  for (const [name, column] of Object.entries(table.columns ?? {})) {
    const spec = column.generator?.reference;
    if (spec?.perParent) return { name, spec };
  }
  return undefined;
}
