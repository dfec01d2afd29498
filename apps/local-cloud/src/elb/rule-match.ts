import type { RequestHead } from './http1-parse';
import type { ListenerRule, RuleCondition } from './model';

// Compiled wildcard patterns per condition, built once when a rule is first matched.
const compiled = new WeakMap<RuleCondition, RegExp[]>();

/** An ALB wildcard pattern (`*` any run of characters, `?` exactly one) as an anchored RegExp. */
export function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

function patternsOf(condition: RuleCondition): RegExp[] {
  let out = compiled.get(condition);
  if (out) return out;
  if (condition.field === 'query-string')
    out = condition.pairs.flatMap((p) => [wildcardRegExp(p.key ?? '*', true), wildcardRegExp(p.value, true)]);
  else if (condition.field === 'http-request-method') out = [];
  else out = condition.values.map((v) => wildcardRegExp(v, condition.field !== 'path-pattern'));
  compiled.set(condition, out);
  return out;
}

/** The values of a request header (case-insensitive name) among the fields the listener forwards. */
export function headerValues(head: RequestHead, name: string): string[] {
  const out: string[] = [];
  const lower = name.toLowerCase();
  for (const line of head.forwardFields.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).toLowerCase() === lower) out.push(line.slice(colon + 1).trim());
  }
  return out;
}

/** The path and query of a request target (origin form or absolute form). */
function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length) || '/';
  const q = rest.indexOf('?');
  return q < 0 ? { path: rest, query: '' } : { path: rest.slice(0, q), query: rest.slice(q + 1) };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function conditionMatches(condition: RuleCondition, head: RequestHead): boolean {
  const patterns = patternsOf(condition);
  switch (condition.field) {
    case 'path-pattern': {
      const { path } = splitTarget(head.target);
      return patterns.some((p) => p.test(path));
    }
    case 'host-header': {
      const host = (headerValues(head, 'host')[0] ?? '').replace(/:\d+$/, '');
      return patterns.some((p) => p.test(host));
    }
    case 'http-header': {
      const values = headerValues(head, condition.headerName);
      return values.some((v) => patterns.some((p) => p.test(v)));
    }
    case 'http-request-method':
      return condition.values.includes(head.method);
    case 'query-string': {
      const pairs = splitTarget(head.target)
        .query.split('&')
        .filter((s) => s !== '')
        .map((s) => {
          const eq = s.indexOf('=');
          return eq < 0 ? [decode(s), ''] : [decode(s.slice(0, eq)), decode(s.slice(eq + 1))];
        });
      for (let i = 0; i < patterns.length; i += 2)
        if (pairs.some(([k, v]) => patterns[i]!.test(k!) && patterns[i + 1]!.test(v!))) return true;
      return false;
    }
  }
}

/** Whether every condition of the rule matches the request, as an ALB evaluates a rule. */
export function ruleMatches(rule: ListenerRule, head: RequestHead): boolean {
  return rule.conditions.every((c) => conditionMatches(c, head));
}
