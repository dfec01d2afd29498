import { ShipgateError } from '@shipgate/model';
import type { EvidenceSource, ParsedReport } from './read-source';
import { readSourceText } from './read-source';
import { checkCountProblems, k6MetricKind, metricNumberProblems, thresholdStat } from './k6-summary-numbers';
import { parseK6Threshold, verdictContradicts } from './k6-threshold';
import type { StressCheck, StressSummary, StressThreshold } from './summaries';

/** Where a k6 summary came from, for messages and the summary's `target`. */
export interface K6SummaryOptions {
  /** File name used in error messages. */
  label?: string;
  /** The URL the run targeted, when the caller knows it (k6 does not record it). */
  target?: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const expected =
  'a k6 summary: the --summary-export file or the handleSummary(data) JSON, an object with "metrics" and "root_group"';

function invalid(label: string, found: string): ShipgateError {
  return new ShipgateError('EVIDENCE_INVALID', `expected ${expected} in ${label}, found ${found}`, {
    location: { file: label },
    hint: 'Run k6 with --summary-export <file>, or write JSON.stringify(data) from handleSummary; the NDJSON of --out json and the text summary are not accepted.',
  });
}

/**
 * Normalises a parsed k6 summary, either format, to a StressSummary. The two formats invert the threshold
 * boolean: in --summary-export `true` means the threshold FAILED; in handleSummary `{ok: false}` means it
 * failed. Getting this backwards would let a failed load test through, so both shapes are checked strictly.
 */
export function parseK6Summary(data: unknown, options: K6SummaryOptions = {}): StressSummary {
  const label = options.label ?? 'the k6 summary';
  if (!isObject(data))
    throw invalid(label, Array.isArray(data) ? 'a JSON array' : `a JSON ${data === null ? 'null' : typeof data}`);
  const metrics = data.metrics;
  if (!isObject(metrics) || !isObject(data.root_group)) {
    const keys = Object.keys(data).slice(0, 8);
    throw invalid(label, keys.length ? `an object with keys ${keys.join(', ')}` : 'an empty object');
  }
  const entries = Object.entries(metrics);
  const handleSummary = entries.some(([, m]) => isObject(m) && isObject(m.values) && typeof m.type === 'string');
  const format = handleSummary ? 'handle-summary' : 'summary-export';
  // Stat values of one metric: under `values` in handleSummary, on the metric itself in summary-export.
  const stats = (name: string): Json | undefined => {
    const metric = metrics[name];
    if (!isObject(metric)) return undefined;
    return handleSummary ? (isObject(metric.values) ? metric.values : undefined) : metric;
  };
  const num = (name: string, field: string): number | undefined => {
    const value = stats(name)?.[field];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };

  const thresholds: StressThreshold[] = [];
  const problems: string[] = [];
  const contradictions: string[] = [];
  const notes: string[] = [];
  for (const [metric, body] of entries) {
    if (!isObject(body)) throw invalid(label, `metric "${metric}" as ${JSON.stringify(body)} instead of an object`);
    const values = handleSummary ? body.values : body;
    if (!isObject(values)) throw invalid(label, `metric "${metric}" without values`);
    const kind = k6MetricKind(values, body.type);
    problems.push(...metricNumberProblems(metric, values, kind, body.contains));
    if (body.thresholds === undefined) continue;
    if (!isObject(body.thresholds)) throw invalid(label, `thresholds of "${metric}" that are not an object`);
    for (const [expression, result] of Object.entries(body.thresholds)) {
      const passed = thresholdPassed(result, handleSummary, label, metric, expression);
      const parsed = parseK6Threshold(expression);
      const observed = parsed ? thresholdStat(values, kind, parsed) : undefined;
      thresholds.push({ metric, expression, passed, ...(observed === undefined ? {} : { observed }) });
      if (!parsed)
        notes.push(`threshold "${metric}: ${expression}" not re-evaluated: not a threshold form k6 documents`);
      else if (observed === undefined)
        notes.push(
          `threshold "${metric}: ${expression}" not re-evaluated: the summary holds no ${parsed.stat} of ${metric}`,
        );
      // A counter's per-second rate depends on the instant k6 took it; 1% covers that, not a crossed limit.
      else if (verdictContradicts(parsed, observed, passed, kind === 'counter' && parsed.stat === 'rate' ? 0.01 : 1e-9))
        contradictions.push(
          `"${metric}: ${expression}" is marked ${passed ? 'passed' : 'failed'}, but ${parsed.stat} is ${observed}`,
        );
    }
  }
  thresholds.sort((a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression));

  const checks: StressCheck[] = [];
  collectChecks(data.root_group, checks, label);
  for (const c of checks) problems.push(...checkCountProblems(c.path, c.passes, c.fails));
  const state = data.state;
  const durationMs =
    handleSummary && isObject(state) && typeof state.testRunDurationMs === 'number'
      ? state.testRunDurationMs
      : undefined;
  if (durationMs !== undefined && !(durationMs >= 0))
    problems.push(`state.testRunDurationMs ${durationMs} is negative`);
  if (problems.length)
    throw new ShipgateError(
      'EVIDENCE_INVALID',
      `expected the numbers k6 writes in ${label}, found ${listed(problems)}`,
      { location: { file: label }, hint: editedHint },
    );
  if (contradictions.length)
    throw new ShipgateError(
      'EVIDENCE_INVALID',
      `expected every threshold verdict in ${label} to follow from the summary's own numbers, found ${listed(contradictions)}`,
      { location: { file: label }, hint: editedHint },
    );

  const httpRequests = num('http_reqs', 'count');
  const failedRequests = num('http_req_failed', 'passes');
  const failedRequestRate = num('http_req_failed', handleSummary ? 'rate' : 'value');
  if (!handleSummary) notes.push('the --summary-export format records no test duration');
  const activeVus = num('vus', 'max');
  const allocatedVus = num('vus_max', 'max');
  const peakVus = activeVus ?? allocatedVus;
  if (activeVus === undefined && allocatedVus !== undefined)
    notes.push('peak VUs taken from vus_max (allocated), as the run recorded no vus samples');
  if (httpRequests === undefined) notes.push('the run made no HTTP requests (no http_reqs metric)');

  return {
    tool: 'k6',
    format,
    thresholds,
    checks,
    ...defined({
      httpRequests,
      failedRequests,
      failedRequestRate,
      iterations: num('iterations', 'count'),
      peakVus,
      durationMs: durationMs === undefined ? undefined : Math.round(durationMs),
      p95Ms: num('http_req_duration', 'p(95)'),
      p99Ms: num('http_req_duration', 'p(99)'),
      target: options.target,
    }),
    notes,
  };
}

const editedHint =
  'This is not what k6 wrote: record the file k6 itself wrote (--summary-export, or JSON.stringify(data) from handleSummary), unedited.';

/** The first few problems, and how many more there are. */
function listed(problems: string[]): string {
  const shown = problems.slice(0, 5).join('; ');
  return problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown;
}

function thresholdPassed(
  result: unknown,
  handleSummary: boolean,
  label: string,
  metric: string,
  expression: string,
): boolean {
  if (handleSummary) {
    if (isObject(result) && typeof result.ok === 'boolean') return result.ok;
    throw invalid(
      label,
      `threshold "${metric}: ${expression}" as ${JSON.stringify(result)} instead of {"ok": true|false}`,
    );
  }
  // summary-export writes !ok: true means the threshold was crossed.
  if (typeof result === 'boolean') return !result;
  throw invalid(
    label,
    `threshold "${metric}: ${expression}" as ${JSON.stringify(result)} instead of true (failed) or false (passed)`,
  );
}

/** Flattens checks out of nested groups; groups and checks are keyed objects in summary-export and arrays in handleSummary. */
function collectChecks(group: unknown, out: StressCheck[], label: string): void {
  if (!isObject(group)) return;
  const list = (value: unknown): unknown[] =>
    Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  for (const check of list(group.checks)) {
    if (
      !isObject(check) ||
      typeof check.name !== 'string' ||
      typeof check.passes !== 'number' ||
      typeof check.fails !== 'number'
    ) {
      throw invalid(label, `a check without name, passes and fails: ${JSON.stringify(check).slice(0, 120)}`);
    }
    out.push({
      name: check.name,
      path: typeof check.path === 'string' ? check.path : `::${check.name}`,
      passes: check.passes,
      fails: check.fails,
    });
  }
  for (const child of list(group.groups)) collectChecks(child, out, label);
}

function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Parses k6 summary JSON text; a syntax error is reported with its line and column. */
export function parseK6SummaryText(text: string, options: K6SummaryOptions = {}): StressSummary {
  const label = options.label ?? 'the k6 summary';
  if (text.trim() === '') throw invalid(label, text.length === 0 ? 'an empty file (0 bytes)' : 'only whitespace');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const offset = position ? Number(position[1]) : undefined;
    const before = offset === undefined ? '' : text.slice(0, offset);
    const line = offset === undefined ? undefined : before.split('\n').length;
    const column = offset === undefined ? undefined : offset - before.lastIndexOf('\n');
    throw new ShipgateError(
      'EVIDENCE_INVALID',
      `expected ${expected} in ${label}, found text that is not JSON${line ? ` (line ${line}, column ${column})` : ''}: ${(error as Error).message}`,
      {
        location: { file: label, ...(line ? { line, column } : {}) },
        hint: 'Pass the JSON file k6 wrote, not its console output; a truncated file means k6 was interrupted.',
      },
    );
  }
  return parseK6Summary(data, options);
}

/** Reads and parses a k6 summary file or stream (default limit 64 MiB; real summaries are a few KiB). */
export async function readK6Summary(
  source: EvidenceSource,
  options: K6SummaryOptions & { maxBytes?: number } = {},
): Promise<ParsedReport<StressSummary>> {
  const { text, bytes, sourceHash, label } = await readSourceText(source, options.maxBytes ?? 64 * 1024 * 1024);
  return { summary: parseK6SummaryText(text, { ...options, label: options.label ?? label }), bytes, sourceHash };
}
