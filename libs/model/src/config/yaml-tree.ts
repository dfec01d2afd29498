import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from '../errors';
import { identifierProblem } from '../identifier';
import { isReservedKey } from '../own-key';

/** Deeper than any shipgate.yaml needs (it nests about 8 levels), far below a stack overflow. */
export const maxConfigNesting = 32;

/**
 * How many values aliases (`*name`) may add to the document once expanded. Shared settings written
 * once with an anchor stay far below; an alias bomb (each level aliasing the one below nine times)
 * reaches billions and is refused before anything walks it.
 */
export const maxAliasExpansion = 100_000;

/** The config as plain data, the problems found on the way, and the index the source map uses. */
export interface YamlTree {
  value: unknown;
  problems: YamlTreeProblem[];
  /** Each mapping's pairs by key, for locating a config path in O(path length). */
  pairsOf: WeakMap<YAMLMap, Map<string, Pair>>;
  /** The anchored node each alias refers to. */
  targetOf: WeakMap<Alias, Node>;
  /** Whether `value` is safe to hand to the schema (false after an alias bomb or excessive nesting). */
  complete: boolean;
}

/** A problem with the config path segments that lead to it (the offset is the node's position). */
export interface YamlTreeProblem extends Omit<Problem, 'path' | 'line' | 'column'> {
  path: string[];
  offset?: number;
}

/**
 * Turns the parsed YAML into plain data in one pass over the nodes, so that validation stays linear in
 * the size of the file (#11 item 14): the YAML library's own duplicate-key check compares every key
 * with every earlier key of its mapping, and its alias resolution scans every anchor for each alias.
 * On the way it refuses what a lookup by name would trip over (#11 items 12, 13, 15): duplicate keys,
 * keys that reach Object.prototype (`__proto__`, `constructor`, `prototype`), keys with control
 * characters, aliases that expand beyond `maxAliasExpansion` or contain themselves, and nesting deeper
 * than `maxConfigNesting`.
 */
export function readYamlTree(doc: Document): YamlTree {
  const problems: YamlTreeProblem[] = [];
  const pairsOf = new WeakMap<YAMLMap, Map<string, Pair>>();
  const targetOf = new WeakMap<Alias, Node>();
  const anchors = new Map<string, Node>();
  const built = new Map<Node, { value: unknown; size: number }>();
  const inProgress = new Set<Node>();
  let literal = 0;
  let complete = true;
  let deepReported = false;

  const offsetOf = (node: unknown): number | undefined => (node as Node | null)?.range?.[0];

  function read(node: unknown, path: string[]): { value: unknown; size: number } {
    if (node === null || node === undefined) return { value: null, size: 1 };
    if (path.length > maxConfigNesting) {
      complete = false;
      if (!deepReported) {
        deepReported = true;
        problems.push({
          code: 'CONFIG_INVALID',
          message: `expected values nested at most ${maxConfigNesting} levels deep, found deeper nesting`,
          path,
          offset: offsetOf(node),
          hint: 'shipgate.yaml nests about 8 levels; remove the nested lists or mappings.',
        });
      }
      return { value: null, size: 1 };
    }
    if (isAlias(node)) return readAlias(node, path);
    literal++;
    const anchored = (node as { anchor?: string }).anchor;
    if (anchored) {
      anchors.set(anchored, node as Node);
      inProgress.add(node as Node);
    }
    const result = readNode(node as Node, path);
    if (anchored) {
      inProgress.delete(node as Node);
      built.set(node as Node, result);
    }
    return result;
  }

  function readAlias(alias: Alias, path: string[]): { value: unknown; size: number } {
    const target = anchors.get(alias.source);
    if (!target) {
      // The YAML parser already reports an alias without an anchor as a syntax error.
      complete = false;
      return { value: null, size: 1 };
    }
    targetOf.set(alias, target);
    if (inProgress.has(target)) {
      complete = false;
      problems.push({
        code: 'CONFIG_SYNTAX',
        message: `alias *${alias.source} refers to a value that contains the alias itself`,
        path,
        offset: offsetOf(alias),
        hint: 'Point the alias at an anchor outside the value it is in.',
      });
      return { value: null, size: 1 };
    }
    return built.get(target) ?? { value: null, size: 1 };
  }

  function readNode(node: Node, path: string[]): { value: unknown; size: number } {
    if (isScalar(node)) return { value: node.value, size: 1 };
    if (isSeq(node)) {
      const value: unknown[] = [];
      let size = 1;
      node.items.forEach((item, i) => {
        const child = read(item, [...path, String(i)]);
        value.push(child.value);
        size += child.size;
      });
      return { value, size };
    }
    if (isMap(node)) {
      const value: Record<string, unknown> = {};
      const pairs = new Map<string, Pair>();
      pairsOf.set(node, pairs);
      let size = 1;
      for (const pair of node.items) {
        const key = keyText(pair, path);
        if (key === undefined) continue;
        const keyPath = [...path, key];
        if (pairs.has(key)) {
          problems.push({
            code: 'CONFIG_SYNTAX',
            message: `duplicate key "${key}"; expected each key once in a mapping`,
            path: keyPath,
            offset: offsetOf(pair.key),
            hint: 'Remove one of the two, or merge them.',
          });
          continue;
        }
        pairs.set(key, pair);
        const reserved = isReservedKey(key);
        const control = identifierProblem(key, 'a key');
        if (reserved || control) {
          problems.push({
            code: 'CONFIG_INVALID',
            message: reserved
              ? `key "${key}" is reserved (it names JavaScript object machinery); expected another name`
              : control!,
            path: keyPath,
            offset: offsetOf(pair.key),
            hint: 'Rename the key.',
          });
          continue;
        }
        const child = read(pair.value, keyPath);
        value[key] = child.value;
        size += child.size;
      }
      return { value, size };
    }
    return { value: null, size: 1 };
  }

  function keyText(pair: Pair, path: string[]): string | undefined {
    const key = pair.key;
    if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
    problems.push({
      code: 'CONFIG_INVALID',
      message: 'expected a plain text key, found a list, mapping or alias used as a key',
      path,
      offset: offsetOf(key),
      hint: 'Write the key as text.',
    });
    return undefined;
  }

  const root = read(doc.contents, []);
  const expansion = root.size - literal;
  if (expansion > maxAliasExpansion) {
    complete = false;
    problems.push({
      code: 'CONFIG_SYNTAX',
      message: `expected aliases (*name) to add at most ${maxAliasExpansion.toLocaleString('en-US')} values once expanded, found ${expansion > 1e15 ? 'more than 10^15' : expansion.toLocaleString('en-US')} (an alias bomb)`,
      path: [],
      hint: 'Write the shared settings out, or use fewer levels of aliases.',
    });
  }
  return { value: root.value, problems, pairsOf, targetOf, complete };
}
