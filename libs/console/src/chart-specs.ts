import type { DeploymentRecord } from '@shipgate/model';
import { parseK6Threshold } from '@shipgate/promotion-gate';
import type { StressSummary } from '@shipgate/promotion-gate';

/** Bars with limits drawn across them: what the browser script hands to uPlot. */
export interface BarChartSpec {
  kind: 'bars';
  unit: string;
  labels: string[];
  values: number[];
  /** Horizontal lines: a threshold's limit. */
  limits: { label: string; value: number }[];
}

/** Stepped lines over time: percent of production traffic per task set (or per release). */
export interface TrafficChartSpec {
  kind: 'traffic';
  /** Seconds since the start. */
  seconds: number[];
  series: { label: string; values: number[] }[];
  /** Vertical markers (seconds), e.g. when a rollback started. */
  markers: { label: string; at: number }[];
}

const latencyMetrics = new Set(['http_req_duration', 'http_req_waiting', 'iteration_duration']);

/**
 * Latency percentiles of a stress run with its latency thresholds. The summary keeps aggregates only
 * (k6 writes no time series into it), so each bar is one statistic the gate read.
 */
export function latencyChart(s: StressSummary): BarChartSpec | undefined {
  const bars = new Map<string, number>();
  const limits: BarChartSpec['limits'] = [];
  for (const t of s.thresholds) {
    if (!latencyMetrics.has(t.metric.replace(/\{.*\}$/, ''))) continue;
    const parsed = parseK6Threshold(t.expression);
    if (!parsed) continue;
    if (t.observed !== undefined) bars.set(`${parsed.stat} ${t.metric}`, t.observed);
    limits.push({ label: `${t.metric} ${t.expression}`, value: parsed.limit });
  }
  if (s.p95Ms !== undefined && ![...bars.keys()].some((k) => k.startsWith('p(95) http_req_duration')))
    bars.set('p(95) http_req_duration', s.p95Ms);
  if (s.p99Ms !== undefined) bars.set('p(99) http_req_duration', s.p99Ms);
  if (s.p975Ms !== undefined) bars.set('p(97.5) latency', s.p975Ms);
  if (!bars.size) return undefined;
  return { kind: 'bars', unit: 'ms', labels: [...bars.keys()], values: [...bars.values()], limits };
}

/** Request rate (and failure rate) of a stress run with its rate thresholds. */
export function requestRateChart(s: StressSummary): BarChartSpec | undefined {
  if (s.httpRequests === undefined || !s.durationMs) return undefined;
  const rate = s.httpRequests / (s.durationMs / 1000);
  const limits: BarChartSpec['limits'] = [];
  for (const t of s.thresholds) {
    const parsed = parseK6Threshold(t.expression);
    if (t.metric === 'http_reqs' && parsed?.stat === 'rate')
      limits.push({ label: `http_reqs ${t.expression}`, value: parsed.limit });
  }
  return { kind: 'bars', unit: 'requests/s', labels: ['http_reqs rate'], values: [Math.round(rate * 10) / 10], limits };
}

/** Production traffic over the deploy, as the deploy recorded it; rollbacks of it as markers. */
export function trafficChart(
  d: DeploymentRecord,
  rollbacks: readonly DeploymentRecord[],
): TrafficChartSpec | undefined {
  const points = d.trafficTimeline ?? [];
  if (!points.length) return undefined;
  const start = Date.parse(d.startedAt);
  const seconds = points.map((p) => Math.round(p.atMs / 100) / 10);
  const original = points.map((p) => p.blue);
  const replacement = points.map((p) => p.green);
  const markers = rollbacks.map((r) => ({
    label: `rollback ${r.id}`,
    at: Math.round((Date.parse(r.startedAt) - start) / 100) / 10,
  }));
  // The split holds until the deploy ends: draw it to the end, and to any rollback after it.
  const end = Math.max(
    d.finishedAt ? (Date.parse(d.finishedAt) - start) / 1000 : 0,
    ...rollbacks.map((r) => ((r.finishedAt ? Date.parse(r.finishedAt) : Date.parse(r.startedAt)) - start) / 1000),
  );
  if (end > seconds.at(-1)!) {
    seconds.push(Math.round(end * 10) / 10);
    original.push(original.at(-1)!);
    replacement.push(replacement.at(-1)!);
  }
  return {
    kind: 'traffic',
    seconds,
    series: [
      { label: 'original', values: original },
      { label: 'replacement', values: replacement },
    ],
    markers,
  };
}
