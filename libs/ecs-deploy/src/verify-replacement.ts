import type { SmokeAnswer, SmokePort } from './ports';

/** The outcome of verifying the replacement task set through the test listener. */
export interface VerificationReport {
  url: string;
  requests: number;
  succeeded: number;
  /** Releases that answered, with counts (only the release being deployed may appear). */
  releasesSeen: Record<string, number>;
  /** Up to five distinct failures, in words. */
  failures: string[];
  passed: boolean;
}

/**
 * Sends `requests` GETs to the release path through the test listener. Each must answer 2xx and name
 * the release being deployed (x-release-id header, or `release` in the JSON body): a healthy task set
 * of the wrong release is as much a failure as an unhealthy one.
 */
export async function verifyReplacement(
  smoke: SmokePort,
  baseUrl: string,
  path: string,
  releaseId: string,
  requests: number,
  timeoutMs: number,
): Promise<VerificationReport> {
  const url = baseUrl.replace(/\/$/, '') + path;
  const releasesSeen: Record<string, number> = {};
  const failures = new Map<string, number>();
  let succeeded = 0;
  const concurrency = Math.min(4, requests);
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const answer = await smoke.get(url, timeoutMs);
      const named = releaseOfAnswer(answer);
      if (named) releasesSeen[named] = (releasesSeen[named] ?? 0) + 1;
      let problem: string | undefined;
      if (answer.status === 0) problem = `no answer: ${answer.body}`;
      else if (answer.status < 200 || answer.status >= 300) problem = `HTTP ${answer.status}`;
      else if (named !== releaseId)
        problem = `answered by ${named ? `release ${named}` : 'a server that does not name its release'}, expected ${releaseId}`;
      if (problem) failures.set(problem, (failures.get(problem) ?? 0) + 1);
      else succeeded++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    url,
    requests,
    succeeded,
    releasesSeen,
    failures: [...failures].slice(0, 5).map(([problem, count]) => `${count}/${requests} requests: ${problem}`),
    passed: succeeded === requests,
  };
}

/**
 * Which release answered: the `x-release-id` header, else the `release` field of a JSON body. The one
 * reading of it, for deploy's verification and rollback's and status's probes.
 */
export function releaseOfAnswer(answer: Pick<SmokeAnswer, 'headers' | 'body'>): string | undefined {
  const header = answer.headers['x-release-id'];
  if (header) return header;
  try {
    const parsed = JSON.parse(answer.body) as { release?: unknown };
    return typeof parsed.release === 'string' ? parsed.release : undefined;
  } catch {
    return undefined;
  }
}
