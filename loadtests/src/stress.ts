// k6 stress test: ramps to PEAK_VUS, holds, ramps down, over DURATION; every answer must come from
// the release under test. Run by `shipgate stress <env> --service S`, which sets BASE_URL and RELEASE_ID.
import { check, sleep } from 'k6';
import http from 'k6/http';
import { RELEASE_CHECK, servesRelease } from './release-check';
import { readStressSettings, stressStages } from './settings';
import thresholds from './thresholds.json';

const settings = readStressSettings(__ENV);

/** k6 options: ramping stages and the thresholds the production policy requires. */
export const options = {
  stages: stressStages(settings.peakVus, settings.durationSeconds),
  thresholds,
  // Percentiles the gate reads from the summary export (p(99) is not in k6's default set).
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  tags: { release: settings.releaseId },
};

/** One iteration: one request to each configured path, in turn. */
export default function stress(): void {
  for (const path of settings.paths) {
    const answer = http.get(`${settings.baseUrl}${path}`, { tags: { name: path } });
    check(answer, {
      'status is 2xx': (r) => r.status >= 200 && r.status < 300,
      [RELEASE_CHECK]: (r) => servesRelease(r, settings.releaseId),
    });
  }
  sleep(0.1);
}
