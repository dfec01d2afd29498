import { isAlias, isMap, isSeq, type LineCounter, type Node } from 'yaml';
import type { YamlTree } from './yaml-tree';

/** Finds the line and column of a config path in the YAML source, for error messages. */
export class YamlSourceMap {
  constructor(
    private readonly root: unknown,
    private readonly tree: Pick<YamlTree, 'pairsOf' | 'targetOf'>,
    private readonly lines: LineCounter,
  ) {}

  /**
   * The position of the value at `path`; for a key that is not there, the nearest existing parent.
   * With `key: true` the position of the key itself (for unknown keys). Each step is one index
   * lookup, so locating every problem of a large config stays linear.
   */
  locate(path: readonly PropertyKey[], options: { key?: boolean } = {}): { line: number; column: number } | undefined {
    let node: unknown = this.root;
    let best: Node | undefined = node as Node | undefined;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = this.tree.targetOf.get(node);
      const segment = String(path[i]);
      if (isMap(node)) {
        const pair = this.tree.pairsOf.get(node)?.get(segment);
        if (!pair) break;
        if (i === path.length - 1 && options.key && pair.key) {
          best = pair.key as Node;
          break;
        }
        node = pair.value;
        if (node) best = node as Node;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (!item) break;
        node = item;
        best = item as Node;
      } else {
        break;
      }
    }
    return this.position(best?.range?.[0]);
  }

  /** Line and column of a character offset. */
  position(offset: number | undefined): { line: number; column: number } | undefined {
    if (offset === undefined) return undefined;
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }
}
