import { LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../errors';
import { deployRuleProblems } from './deploy-rules';
import { boundedDidYouMean, listNames } from './did-you-mean';
import { removedKey } from './removed-keys';
import { configSchema, type ShipgateConfig } from './schema';
import { knownKeysAt } from './schema-keys';
import { YamlSourceMap } from './source-map';
import { readYamlTree } from './yaml-tree';

/** The outcome of validating a config text: the config, or every problem found. */
export type ConfigValidation = { ok: true; config: ShipgateConfig } | { ok: false; problems: Problem[] };

/**
 * The largest shipgate.yaml shipgate reads: 1 MiB, some hundred times the example and room for
 * hundreds of services, yet a bound on what one `config validate` may cost (#11 item 14).
 */
export const maxConfigBytes = 1024 * 1024;

/** Comparisons the did-you-mean hints of one validation may spend in total. */
const suggestionBudget = 200_000;

/** The CONFIG_TOO_LARGE problem for a file of `bytes` bytes, or undefined when it is within the limit. */
export function configSizeProblem(bytes: number): Problem | undefined {
  if (bytes <= maxConfigBytes) return undefined;
  return {
    code: 'CONFIG_TOO_LARGE',
    message: `expected a configuration of at most ${maxConfigBytes.toLocaleString('en-US')} bytes (1 MiB), found ${bytes.toLocaleString('en-US')} bytes`,
    hint: 'shipgate.yaml describes services and environments, not data; move generated or bulk content out of it.',
  };
}

/**
 * Validates shipgate.yaml text: size, YAML syntax, schema, and the rules a schema cannot say
 * (environments named in `promotion.from` exist and come earlier, no cycles, services named per
 * environment exist). Pure: reports every problem at once, each with its config path and line, in
 * time linear in the size of the text (libs/model/bench/validate-config.bench.ts measures it).
 */
export function validateConfigText(text: string): ConfigValidation {
  // A UTF-16 length above the limit is above it in bytes too; below, count the bytes.
  const tooLarge = configSizeProblem(text.length > maxConfigBytes ? text.length : Buffer.byteLength(text, 'utf8'));
  if (tooLarge) return { ok: false, problems: [tooLarge] };
  const lines = new LineCounter();
  // uniqueKeys is checked by readYamlTree in linear time; the parser's own check is quadratic.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
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
  const tree = readYamlTree(doc);
  const map = new YamlSourceMap(doc.contents, tree, lines);
  const problems: Problem[] = tree.problems.map(({ path, offset, ...p }) => ({
    ...p,
    ...(path.length ? { path: formatPath(path) } : {}),
    ...(map.position(offset) ?? map.locate(path)),
  }));
  if (!tree.complete) return { ok: false, problems };
  const raw = tree.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        {
          code: 'CONFIG_INVALID',
          message:
            'expected a mapping at the top of the file, found ' +
            (raw === null ? 'an empty document' : Array.isArray(raw) ? 'a list' : typeof raw),
          line: 1,
          hint: 'Start from the example shipgate.yaml in the repository root.',
        },
      ],
    };
  }
  const suggest = boundedDidYouMean(suggestionBudget);
  const parsed = configSchema.safeParse(raw);
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
          const suggestion = suggest(key, known);
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
  for (const { path, ...p } of semanticProblems(raw as LooseConfig, suggest)) {
    problems.push({ ...p, path: formatPath(path), ...map.locate(path) });
  }
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
  deploy?: unknown;
};

function objectKeys(value: unknown): string[] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

/** A cross-reference problem with its path as segments, located once formatted. */
type SemanticProblem = Omit<Problem, 'path'> & { path: string[] };

function semanticProblems(
  config: LooseConfig,
  suggest: (word: string, candidates: readonly string[]) => string | undefined,
): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const environments = (
    config.environments && typeof config.environments === 'object' ? config.environments : {}
  ) as Record<string, LooseEnvironment | null>;
  const envNames = objectKeys(config.environments);
  const serviceNames = objectKeys(config.services);
  // Sets, not arrays: one membership test per reference keeps large configs linear (#11 item 14).
  const envSet = new Set(envNames);
  const serviceSet = new Set(serviceNames);
  if (config.environments === undefined || config.services === undefined) return problems;
  if (envNames.length === 0) {
    problems.push({
      code: 'CONFIG_INVALID',
      message: 'expected at least one environment, found none',
      path: ['environments'],
      hint: 'Declare test, staging and production under `environments`.',
    });
  }
  const fromEdges = new Map<string, string>();
  for (const env of envNames) {
    const environment = environments[env] ?? {};
    const from = environment.promotion?.from;
    if (typeof from === 'string') {
      const path = ['environments', env, 'promotion', 'from'];
      if (!envSet.has(from)) {
        const suggestion = suggest(from, envNames);
        problems.push({
          code: 'UNKNOWN_ENVIRONMENT',
          message: `promotion.from names environment "${from}", which is not configured; expected one of: ${listNames(envNames)}`,
          path,
          hint: suggestion ? `Did you mean "${suggestion}"?` : 'Name an environment declared under `environments`.',
        });
      } else {
        fromEdges.set(env, from);
      }
    }
    for (const svc of objectKeys(environment.services)) {
      if (!serviceSet.has(svc)) {
        const suggestion = suggest(svc, serviceNames);
        problems.push({
          code: 'UNKNOWN_SERVICE',
          message: `environment "${env}" configures service "${svc}", which is not declared under services; expected one of: ${listNames(serviceNames)}`,
          path: ['environments', env, 'services', svc],
          hint: suggestion ? `Did you mean "${suggestion}"?` : 'Declare the service under `services` first.',
        });
      }
    }
    problems.push(...deployRuleProblems(env, environment.deploy));
    if (environment.dataPolicy === 'real' && environment.database !== undefined) {
      problems.push({
        code: 'CONFIG_INVALID',
        message: `environment "${env}" has data policy "real" and a seeding database; expected no database section there (real data is never seeded)`,
        path: ['environments', env, 'database'],
        hint: 'Remove the database section, or set dataPolicy: synthetic if this environment holds only made-up data.',
      });
    }
  }
  for (const cycle of promotionCycles(fromEdges)) {
    problems.push({
      code: 'CONFIG_INVALID',
      message: `promotion order has a cycle: ${cycle.join(' ← ')}; expected each environment to take releases from an earlier one`,
      path: ['environments', cycle[0]!, 'promotion', 'from'],
      hint: 'Make promotion.from point one step back along test → staging → production.',
    });
  }
  return problems;
}

/**
 * Every cycle of `promotion.from` edges, each once, as [a, b, …, a] (a takes from b …). Each
 * environment has at most one edge, so one walk that marks what it has seen finds them all in
 * linear time.
 */
function promotionCycles(edges: ReadonlyMap<string, string>): string[][] {
  const done = new Set<string>();
  const cycles: string[][] = [];
  for (const start of edges.keys()) {
    if (done.has(start)) continue;
    const walk: string[] = [];
    const onWalk = new Map<string, number>();
    let node: string | undefined = start;
    while (node !== undefined && !done.has(node) && !onWalk.has(node)) {
      onWalk.set(node, walk.length);
      walk.push(node);
      node = edges.get(node);
    }
    if (node !== undefined && onWalk.has(node)) cycles.push([...walk.slice(onWalk.get(node)), node]);
    for (const seen of walk) done.add(seen);
  }
  return cycles;
}
