import { formatCount, formatRate, plural } from './format';
import type { StressSummary } from './summaries';

/**
 * One line about a stress run for people: requests, failed share, peak VUs, thresholds. A number the run
 * did not record says so ("no HTTP requests recorded") instead of printing `undefined`.
 */
export function describeStressRun(s: StressSummary): string {
  const requests = s.httpRequests === undefined ? 'no HTTP requests recorded' : plural(s.httpRequests, 'request');
  const failed =
    s.failedRequestRate === undefined
      ? s.httpRequests === undefined
        ? undefined
        : 'failed share not recorded'
      : `${formatRate(s.failedRequestRate)} failed`;
  const vus = s.peakVus === undefined ? 'peak VUs not recorded' : `peak ${plural(s.peakVus, 'VU')}`;
  const crossed = s.thresholds.filter((t) => !t.passed).length;
  const thresholds = s.thresholds.length
    ? `${formatCount(crossed)} of ${plural(s.thresholds.length, 'threshold')} failed`
    : 'no thresholds';
  return [requests, failed, vus, thresholds].filter(Boolean).join(', ');
}
