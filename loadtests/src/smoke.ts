// k6 smoke test: a few requests through the test listener before any production traffic moves.
// The new task set must be healthy and must say it is the release being deployed.
import { check } from 'k6';
import http from 'k6/http';
import { RELEASE_CHECK, servesRelease } from './release-check';
import { readBaseUrl } from './settings';

const baseUrl = readBaseUrl(__ENV);
const releaseId = __ENV.RELEASE_ID ?? '';

/** k6 options: one user, a handful of iterations, no failure tolerated. */
export const options = {
  vus: 1,
  iterations: 5,
  thresholds: {
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  },
};

/** One iteration: health, then the release endpoint. */
export default function smoke(): void {
  const health = http.get(`${baseUrl}/health`, { tags: { name: '/health' } });
  check(health, { 'health is 200': (r) => r.status === 200 });
  const release = http.get(`${baseUrl}/release`, { tags: { name: '/release' } });
  check(release, {
    'release is 200': (r) => r.status === 200,
    [RELEASE_CHECK]: (r) => releaseId !== '' && servesRelease(r, releaseId),
  });
}
