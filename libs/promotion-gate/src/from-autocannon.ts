import { ShipgateError } from '@shipgate/model';
import type { StressSummary } from './summaries';

/** The parts of an autocannon result (its `run()` resolution or `--json` output) that shipgate reads. */
export interface AutocannonResultLike {
  url?: string;
  connections: number;
  /** Seconds the run actually lasted. */
  duration: number;
  errors: number;
  timeouts?: number;
  non2xx: number;
  /** Responses whose body failed `verifyBody`/`expectBody`. */
  mismatches?: number;
  requests: { total: number; sent?: number };
  latency: Record<string, number>;
}

/** What the caller knows about the run that autocannon does not record. */
export interface AutocannonMeta {
  /**
   * Name of the release check, when the run verified each response body names the release under test
   * (autocannon's `verifyBody`); its mismatches become that check's failures.
   */
  releaseCheck?: string;
  target?: string;
}

const numberOr = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Turns an autocannon result into a StressSummary labelled `autocannon` (never k6: the policy decides
 * whether autocannon results count). autocannon has no thresholds and no p95, so the gate's own limits
 * carry the weight and p97.5 stands in for p95 as its upper bound.
 */
export function fromAutocannon(result: AutocannonResultLike, meta: AutocannonMeta = {}): StressSummary {
  const r = result as unknown as Record<string, unknown>;
  const requests = r.requests as Record<string, unknown> | undefined;
  const latency = r.latency as Record<string, unknown> | undefined;
  const total = numberOr(requests?.total);
  const connections = numberOr(r.connections);
  if (total === undefined || connections === undefined || typeof latency !== 'object' || latency === null) {
    throw new ShipgateError(
      'EVIDENCE_INVALID',
      `expected an autocannon result with requests.total, connections and latency, found ${JSON.stringify(Object.keys(r).slice(0, 8))}`,
      {
        hint: 'Pass the object autocannon() resolves with, or the output of autocannon --json.',
      },
    );
  }
  const errors = numberOr(r.errors) ?? 0;
  const non2xx = numberOr(r.non2xx) ?? 0;
  const failedRequests = errors + non2xx;
  const attempts = total + errors;
  const durationSeconds = numberOr(r.duration);
  const notes = [
    'autocannon defines no thresholds; only the policy limits apply',
    `peak VUs are autocannon connections (${connections})`,
  ];
  const p975 = numberOr(latency.p97_5);
  if (p975 !== undefined) notes.push('autocannon reports no p95; p97.5 (never below p95) is compared with a p95 limit');
  const checks =
    meta.releaseCheck === undefined
      ? []
      : [
          {
            name: meta.releaseCheck,
            path: `::${meta.releaseCheck}`,
            passes: total - (numberOr(r.mismatches) ?? 0),
            fails: numberOr(r.mismatches) ?? 0,
          },
        ];
  const target = meta.target ?? (typeof r.url === 'string' ? r.url : undefined);
  return {
    tool: 'autocannon',
    format: 'autocannon',
    thresholds: [],
    checks,
    httpRequests: attempts,
    failedRequests,
    failedRequestRate: attempts === 0 ? 0 : failedRequests / attempts,
    peakVus: connections,
    ...(durationSeconds === undefined ? {} : { durationMs: Math.round(durationSeconds * 1000) }),
    ...(numberOr(latency.p99) === undefined ? {} : { p99Ms: numberOr(latency.p99) }),
    ...(p975 === undefined ? {} : { p975Ms: p975 }),
    ...(target ? { target } : {}),
    notes,
  };
}
