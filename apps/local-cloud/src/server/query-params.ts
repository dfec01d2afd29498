/** A decoded AWS Query request: nested objects, `member.N` lists as arrays, leaves as strings. */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

/**
 * Turns flat Query parameters (`DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight=5`)
 * into a tree. An empty list is sent as `Names=` (an empty string), and stays an empty string here.
 */
export function parseQueryParams(body: string): QueryObject {
  const root: QueryObject = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    let node: QueryObject | QueryValue[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === 'member' && Array.isArray(node)) continue;
      const nextIsMember = parts[i + 1] === 'member' && /^\d+$/.test(parts[i + 2] ?? '');
      if (Array.isArray(node)) {
        const index = Number(part) - 1;
        if (last) node[index] = value;
        else node = (node[index] ??= nextIsMember ? [] : {}) as QueryObject | QueryValue[];
      } else if (last) {
        node[part] = value;
      } else {
        const existing = node[part];
        node = (typeof existing === 'object' ? existing : (node[part] = nextIsMember ? [] : {})) as
          QueryObject | QueryValue[];
      }
    }
  }
  compact(root);
  return root;
}

// Sparse lists (member.1 and member.3 without member.2) are compacted as AWS does.
function compact(node: QueryValue): void {
  if (typeof node === 'string') return;
  if (Array.isArray(node)) {
    const dense = node.filter((v) => v !== undefined);
    node.length = 0;
    node.push(...dense);
    node.forEach(compact);
    return;
  }
  Object.values(node).forEach(compact);
}
