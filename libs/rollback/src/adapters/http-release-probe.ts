import { request } from 'node:http';
import type { ReleaseProbePort } from '../ports';

/**
 * Asks a listener which release answers: GET `releasePath` on a fresh connection (so that the load
 * balancer picks a target for this very request), reading `x-release-id` or the JSON body's `release`.
 */
export function httpReleaseProbe(options: { releasePath: string; timeoutMs?: number }): ReleaseProbePort {
  const timeoutMs = options.timeoutMs ?? 2000;
  return {
    whoAnswers(baseUrl) {
      return new Promise((resolve) => {
        const req = request(
          new URL(options.releasePath, baseUrl),
          { agent: false, timeout: timeoutMs, headers: { connection: 'close' } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              const header = res.headers['x-release-id'];
              let releaseId = typeof header === 'string' ? header : undefined;
              if (!releaseId) {
                try {
                  const parsed = JSON.parse(body) as { release?: unknown };
                  if (typeof parsed.release === 'string') releaseId = parsed.release;
                } catch {
                  // not JSON: the header was the only chance
                }
              }
              resolve({ ok: status >= 200 && status < 300, status, ...(releaseId ? { releaseId } : {}) });
            });
            res.on('error', (error) => resolve({ ok: false, status: 0, error: error.message }));
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (error) => resolve({ ok: false, status: 0, error: error.message }));
        req.end();
      });
    },
  };
}
