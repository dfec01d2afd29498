import { releaseOfAnswer } from '@shipgate/ecs-deploy';
import { httpGet } from '@shipgate/ecs-deploy/aws';
import type { ReleaseProbePort } from '../ports';

/**
 * Asks a listener which release answers: GET `releasePath` over HTTP or HTTPS (as the listener URL
 * says) on a fresh connection, so that the load balancer picks a target for this very request.
 */
export function httpReleaseProbe(options: { releasePath: string; timeoutMs?: number }): ReleaseProbePort {
  const timeoutMs = options.timeoutMs ?? 2000;
  return {
    async whoAnswers(baseUrl) {
      const answer = await httpGet(new URL(options.releasePath, baseUrl).toString(), timeoutMs, 'shipgate-probe');
      if (answer.status === 0) return { ok: false, status: 0, error: answer.body };
      const releaseId = releaseOfAnswer(answer);
      return {
        ok: answer.status >= 200 && answer.status < 300,
        status: answer.status,
        ...(releaseId ? { releaseId } : {}),
      };
    },
  };
}
