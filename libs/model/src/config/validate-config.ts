import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../errors';
import { removedKey } from './removed-keys';
import { didYouMean } from './did-you-mean';
import { configSchema, type ShipgateConfig } from './schema';
import { knownKeysAt } from './schema-keys';
import { YamlSourceMap } from './source-map';

/** The outcome of validating a config text: the config, or every problem found. */
export type ConfigValidation = { ok: true; config: ShipgateConfig } | { ok: false; problems: Problem[] };

/**
 * Validates shipgate.yaml text: YAML syntax, schema, and the rules a schema cannot say (environments
 * named in `promotion.from` exist and come earlier, no cycles, services named per environment exist).
 * Pure: reports every problem at once, each with its config path and line.
 */
export function validateConfigText(text: string): ConfigValidation {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          code: 'CONFIG_SYNTAX',
          message: `YAML syntax error: ${e.message.split('\n')[0]}`,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
          hint: 'Fix the YAML syntax at the line shown (indentation, a missing colon or quote).',
        } satisfies Problem;
      }),
    };
  }
  const map = new YamlSourceMap(doc, lines);
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object') {
    return {
      ok: false,
      problems: [
        {
          code: 'CONFIG_INVALID',
          message:
            'expected a mapping at the top of the file, found ' + (raw === null ? 'an empty document' : typeof raw),
          line: 1,
          hint: 'Start from the example shipgate.yaml in the repository root.',
        },
      ],
    };
  }
  const parsed = configSchema.safeParse(raw);
  const problems: Problem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeysAt(configSchema, issue.path);
        for (const key of issue.keys) {
          const path = [...issue.path, key];
          const gone = removedKey(path);
          if (gone) {
            problems.push({
              code: 'CONFIG_INVALID',
              message: `key "${key}" was removed: ${gone.why}`,
              path: formatPath(path),
              ...map.locate(path, { key: true }),
              hint: gone.instead,
            });
            continue;
          }
          const suggestion = didYouMean(key, known);
          problems.push({
            code: 'CONFIG_INVALID',
            message: `unknown key "${key}"${known.length ? `; expected one of: ${known.join(', ')}` : ''}`,
            path: formatPath(path),
            ...map.locate(path, { key: true }),
            hint: suggestion
              ? `Did you mean "${suggestion}"?`
              : 'Remove the key, or check its spelling and indentation.',
          });
        }
        continue;
      }
      problems.push({
        code: 'CONFIG_INVALID',
        message: describeIssue(issue, raw),
        path: formatPath(issue.path),
        ...map.locate(issue.path),
        hint: 'See the JSON Schema (`shipgate config schema`) or the example shipgate.yaml.',
      });
    }
  }
  // The cross-reference rules run on the raw document too, so that one pass reports every problem.
  problems.push(
    ...semanticProblems(raw as LooseConfig).map((p) => ({ ...p, ...(p.path ? map.locate(p.path.split('.')) : {}) })),
  );
  if (problems.length || !parsed.success) return { ok: false, problems };
  return { ok: true, config: parsed.data };
}

function describeIssue(
  issue: { code: string; message: string; path: PropertyKey[]; expected?: unknown },
  raw: unknown,
): string {
  const found = valueAt(raw, issue.path);
  if (issue.code === 'invalid_type') {
    if (found === undefined) return `missing required field (expected ${String(issue.expected)})`;
    return `expected ${String(issue.expected)}, found ${describeValue(found)}`;
  }
  return `${issue.message}${found === undefined ? '' : `, found ${describeValue(found)}`}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}" (string)`;
  return `${String(value)} (${typeof value})`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

/** `environments.production.promotion.from` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The config as parsed from YAML, before the schema vouched for it: every field may be missing or mistyped. */
interface LooseConfig {
  services?: unknown;
  environments?: unknown;
}
type LooseEnvironment = {
  promotion?: { from?: unknown };
  services?: unknown;
  dataPolicy?: unknown;
  database?: unknown;
};

function objectKeys(value: unknown): string[] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

function semanticProblems(config: LooseConfig): Problem[] {
  const problems: Problem[] = [];
  const environments = (
    config.environments && typeof config.environments === 'object' ? config.environments : {}
  ) as Record<string, LooseEnvironment | null>;
  const envNames = objectKeys(config.environments);
  const serviceNames = objectKeys(config.services);
  if (config.environments === undefined || config.services === undefined) return problems;
  if (envNames.length === 0) {
    problems.push({
      code: 'CONFIG_INVALID',
      message: 'expected at least one environment, found none',
      path: 'environments',
      hint: 'Declare test, staging and production under `environments`.',
    });
  }
  const fromEdges = new Map<string, string>();
  envNames.forEach((env) => {
    const environment = environments[env] ?? {};
    const from = environment.promotion?.from;
    if (typeof from === 'string') {
      const path = `environments.${env}.promotion.from`;
      if (!envNames.includes(from)) {
        const suggestion = didYouMean(from, envNames);
        problems.push({
          code: 'UNKNOWN_ENVIRONMENT',
          message: `promotion.from names environment "${from}", which is not configured; expected one of: ${envNames.join(', ')}`,
          path,
          hint: suggestion ? `Did you mean "${suggestion}"?` : 'Name an environment declared under `environments`.',
        });
      } else {
        fromEdges.set(env, from);
      }
    }
    for (const svc of objectKeys(environment.services)) {
      if (!serviceNames.includes(svc)) {
        const suggestion = didYouMean(svc, serviceNames);
        problems.push({
          code: 'UNKNOWN_SERVICE',
          message: `environment "${env}" configures service "${svc}", which is not declared under services; expected one of: ${serviceNames.join(', ')}`,
          path: `environments.${env}.services.${svc}`,
          hint: suggestion ? `Did you mean "${suggestion}"?` : 'Declare the service under `services` first.',
        });
      }
    }
    if (environment.dataPolicy === 'real' && environment.database !== undefined) {
      problems.push({
        code: 'CONFIG_INVALID',
        message: `environment "${env}" has data policy "real" and a seeding database; expected no database section there (real data is never seeded)`,
        path: `environments.${env}.database`,
        hint: 'Remove the database section, or set dataPolicy: synthetic if this environment holds only made-up data.',
      });
    }
  });
  const reported = new Set<string>();
  for (const start of fromEdges.keys()) {
    const seen: string[] = [];
    let node: string | undefined = start;
    while (node !== undefined && !seen.includes(node)) {
      seen.push(node);
      node = fromEdges.get(node);
    }
    if (node !== undefined) {
      const cycle = [...seen.slice(seen.indexOf(node)), node];
      const key = [...new Set(cycle)].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        problems.push({
          code: 'CONFIG_INVALID',
          message: `promotion order has a cycle: ${cycle.join(' ← ')}; expected each environment to take releases from an earlier one`,
          path: `environments.${node}.promotion.from`,
          hint: 'Make promotion.from point one step back along test → staging → production.',
        });
      }
    }
  }
  return problems;
}
