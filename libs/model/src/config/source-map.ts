import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

/** Finds the line and column of a config path in the YAML source, for error messages. */
export class YamlSourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * The position of the value at `path`; for a key that is not there, the nearest existing parent.
   * With `key: true` the position of the key itself (for unknown keys).
   */
  locate(path: readonly PropertyKey[], options: { key?: boolean } = {}): { line: number; column: number } | undefined {
    let node: unknown = this.doc.contents;
    let best: Node | undefined = node as Node | undefined;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) break;
        const last = i === path.length - 1;
        if (last && options.key && isScalar(pair.key)) {
          best = pair.key as Node;
          break;
        }
        node = pair.value;
        if (node) best = node as Node;
      } else if (
        node &&
        typeof node === 'object' &&
        'items' in node &&
        Array.isArray((node as { items: unknown[] }).items)
      ) {
        const item = (node as { items: unknown[] }).items[Number(segment)];
        if (!item) break;
        node = item;
        best = item as Node;
      } else {
        break;
      }
    }
    const offset = best?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }
}
