import { parseDuration } from '@shipgate/model';
import type { Evidence, RequirementResult, StressPolicy } from '@shipgate/model';
import { formatCount, formatDuration, formatMs, formatRate, plural } from '../format';
import type { EvidenceSelection } from '../select-evidence';
import type { StressSummary } from '../summaries';
import { evidenceRequirement, requirement, unmeasured } from './requirement';

type Check = (s: StressSummary, e: Evidence<unknown>) => RequirementResult;
interface Planned {
  id: string;
  title: string;
  required: string;
  check: Check;
}

/**
 * Stress requirements. A failed threshold blocks whatever else the run shows; a run too short or too light
 * for stress (a smoke test) does not count; and the release check proves the load hit this release.
 */
export function checkStress(
  policy: StressPolicy,
  selection: EvidenceSelection<StressSummary>,
  context: { from: string; now: Date; maxAgeText: string },
): RequirementResult[] {
  const out: RequirementResult[] = [
    evidenceRequirement('stress.evidence', 'Stress evidence', selection, {
      ...context,
      what: 'stress',
      howToRecord: `run the load test in ${context.from} with \`shipgate stress\`, or record a k6 summary with \`shipgate evidence add --kind stress\``,
      describe: (e) => {
        const s = e.summary as unknown as StressSummary;
        return `${s.format === s.tool ? s.tool : `${s.tool} ${s.format}`}, ${s.httpRequests === undefined ? 'no' : formatCount(s.httpRequests)} requests`;
      },
    }),
  ];
  const planned = plan(policy);
  const chosen = selection.chosen;
  for (const p of planned)
    out.push(chosen ? p.check(chosen.summary, chosen) : unmeasured(p.id, p.title, p.required, selection, 'stress'));
  return out;
}

function plan(policy: StressPolicy): Planned[] {
  const out: Planned[] = [];
  const add = (id: string, title: string, required: string, check: Check) => out.push({ id, title, required, check });
  const tools = policy.tools.join(' or ');
  add('stress.tool', 'Stress: load tool', tools, (s, e) => {
    const ok = (policy.tools as string[]).includes(s.tool);
    return requirement(
      'stress.tool',
      'Stress: load tool',
      ok ? 'pass' : 'fail',
      tools,
      s.tool,
      ok ? `${s.tool} results are accepted` : `results from ${s.tool} are not accepted; the policy accepts ${tools}`,
      [e],
    );
  });
  if (policy.requireAllThresholds) {
    add('stress.thresholds', 'Stress: thresholds', 'every threshold passes', (s, e) => {
      // With the number the threshold read, so that the reason shows how far the run was from its limit.
      const failed = s.thresholds
        .filter((t) => !t.passed)
        .map(
          (t) =>
            `${t.metric} ${t.expression}${t.observed === undefined ? '' : ` (was ${Number(t.observed.toPrecision(4))})`}`,
        );
      const observed = failed.length
        ? `${failed.length} of ${s.thresholds.length} failed`
        : `${s.thresholds.length} of ${s.thresholds.length} passed`;
      if (!s.thresholds.length)
        return requirement(
          'stress.thresholds',
          'Stress: thresholds',
          'pass',
          'every threshold passes',
          'no thresholds defined',
          `the ${s.tool} run defines no thresholds; the policy's own limits apply`,
          [e],
        );
      const reason = failed.length
        ? `${plural(failed.length, `${s.tool} threshold`)} failed: ${failed.join(', ')}; a failed threshold blocks whatever else the run shows`
        : `all ${plural(s.thresholds.length, 'threshold')} passed`;
      return requirement(
        'stress.thresholds',
        'Stress: thresholds',
        failed.length ? 'fail' : 'pass',
        'every threshold passes',
        observed,
        reason,
        [e],
      );
    });
  }
  if (policy.minDuration !== undefined) {
    const min = parseDuration(policy.minDuration);
    const required = `≥ ${formatDuration(min)}`;
    add('stress.duration', 'Stress: run duration', required, (s, e) => {
      if (s.durationMs === undefined) {
        return requirement(
          'stress.duration',
          'Stress: run duration',
          'missing',
          required,
          'not recorded',
          `the ${s.format} file records no test duration; run the test with \`shipgate stress\` (which measures it) or record k6's handleSummary JSON`,
          [e],
        );
      }
      const ok = s.durationMs >= min;
      return requirement(
        'stress.duration',
        'Stress: run duration',
        ok ? 'pass' : 'fail',
        required,
        formatDuration(s.durationMs),
        `${formatDuration(s.durationMs)} ${ok ? '≥' : '<'} ${formatDuration(min)} minimum${ok ? '' : ': a run this short is a smoke test, not stress'}`,
        [e],
      );
    });
  }
  if (policy.minPeakVus !== undefined) {
    const min = policy.minPeakVus;
    add('stress.peak-vus', 'Stress: peak virtual users', `≥ ${plural(min, 'VU')}`, (s, e) =>
      minimum('stress.peak-vus', 'Stress: peak virtual users', s.peakVus, min, 'VU', e),
    );
  }
  if (policy.minRequests !== undefined) {
    const min = policy.minRequests;
    add('stress.requests', 'Stress: HTTP requests', `≥ ${plural(min, 'request')}`, (s, e) =>
      minimum('stress.requests', 'Stress: HTTP requests', s.httpRequests, min, 'request', e),
    );
  }
  add(
    'stress.release-check',
    'Stress: load hit this release',
    `check "${policy.releaseCheck}" present, never failing`,
    (s, e) => releaseCheck(policy.releaseCheck, s, e),
  );
  if (policy.maxFailedRequestRate !== undefined) {
    const max = policy.maxFailedRequestRate;
    add('stress.failed-requests', 'Stress: failed requests', `≤ ${formatRate(max)}`, (s, e) => {
      if (s.failedRequestRate === undefined)
        return requirement(
          'stress.failed-requests',
          'Stress: failed requests',
          'missing',
          `≤ ${formatRate(max)}`,
          'not recorded',
          'the summary has no http_req_failed metric',
          [e],
        );
      const ok = s.failedRequestRate <= max;
      const counts =
        s.failedRequests !== undefined && s.httpRequests !== undefined
          ? ` (${formatCount(s.failedRequests)} of ${formatCount(s.httpRequests)})`
          : '';
      return requirement(
        'stress.failed-requests',
        'Stress: failed requests',
        ok ? 'pass' : 'fail',
        `≤ ${formatRate(max)}`,
        `${formatRate(s.failedRequestRate)}${counts}`,
        `${formatRate(s.failedRequestRate)}${counts} ${ok ? '≤' : '>'} ${formatRate(max)} allowed`,
        [e],
      );
    });
  }
  if (policy.maxP95Ms !== undefined) {
    const max = policy.maxP95Ms;
    add('stress.p95', 'Stress: p95 latency', `p95 ≤ ${formatMs(max)}`, (s, e) => {
      if (s.p95Ms === undefined && s.p975Ms !== undefined)
        return latency(
          'stress.p95',
          'p95',
          'p97.5',
          s.p975Ms,
          max,
          e,
          ` (${s.tool} reports no p95; p97.5 is never below it)`,
        );
      return latency('stress.p95', 'p95', 'p95', s.p95Ms, max, e, '');
    });
  }
  if (policy.maxP99Ms !== undefined) {
    const max = policy.maxP99Ms;
    add('stress.p99', 'Stress: p99 latency', `p99 ≤ ${formatMs(max)}`, (s, e) =>
      latency('stress.p99', 'p99', 'p99', s.p99Ms, max, e, ''),
    );
  }
  return out;
}

function minimum(
  id: string,
  title: string,
  value: number | undefined,
  min: number,
  unit: string,
  e: Evidence<unknown>,
): RequirementResult {
  const required = `≥ ${plural(min, unit)}`;
  if (value === undefined)
    return requirement(id, title, 'missing', required, 'not recorded', `the summary does not record ${unit}s`, [e]);
  const ok = value >= min;
  return requirement(
    id,
    title,
    ok ? 'pass' : 'fail',
    required,
    plural(value, unit),
    `${plural(value, unit)} ${ok ? '≥' : '<'} ${formatCount(min)} minimum${ok ? '' : ': a smoke-sized run does not count as stress'}`,
    [e],
  );
}

function latency(
  id: string,
  label: string,
  measured: string,
  value: number | undefined,
  max: number,
  e: Evidence<unknown>,
  note: string,
): RequirementResult {
  const title = `Stress: ${label} latency`;
  const required = `${label} ≤ ${formatMs(max)}`;
  if (value === undefined) {
    const hint = label === 'p99' ? '; add p(99) to summaryTrendStats in the k6 options' : '';
    return requirement(
      id,
      title,
      'missing',
      required,
      'not recorded',
      `the summary has no ${label} of http_req_duration${hint}`,
      [e],
    );
  }
  const ok = value <= max;
  return requirement(
    id,
    title,
    ok ? 'pass' : 'fail',
    required,
    `${measured} ${formatMs(value)}`,
    `${measured} ${formatMs(value)} ${ok ? '≤' : '>'} limit ${formatMs(max)}${note}`,
    [e],
  );
}

function releaseCheck(name: string, s: StressSummary, e: Evidence<unknown>): RequirementResult {
  const id = 'stress.release-check';
  const title = 'Stress: load hit this release';
  const required = `check "${name}" present, never failing`;
  const matching = s.checks.filter((c) => c.name === name);
  if (!matching.length) {
    const present = s.checks.length
      ? `checks present: ${[...new Set(s.checks.map((c) => c.name))]
          .slice(0, 5)
          .map((n) => `"${n}"`)
          .join(', ')}`
      : 'the run has no checks at all';
    return requirement(
      id,
      title,
      'fail',
      required,
      'check absent',
      `the run has no check named "${name}", so nothing shows the load reached this release (${present})`,
      [e],
    );
  }
  const passes = matching.reduce((n, c) => n + c.passes, 0);
  const fails = matching.reduce((n, c) => n + c.fails, 0);
  const observed = `${formatCount(passes)} passed, ${formatCount(fails)} failed`;
  if (fails > 0)
    return requirement(
      id,
      title,
      'fail',
      required,
      observed,
      `check "${name}" failed ${formatCount(fails)} of ${formatCount(passes + fails)} times: some responses did not come from this release`,
      [e],
    );
  if (passes === 0) return requirement(id, title, 'fail', required, observed, `check "${name}" never ran`, [e]);
  return requirement(
    id,
    title,
    'pass',
    required,
    observed,
    `every one of ${formatCount(passes)} responses checked identified this release`,
    [e],
  );
}
