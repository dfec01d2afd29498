import { request } from 'node:http';
import type { CheckResult } from './target-health';
import { matchesHttpCode } from './target-health';
import type { HealthCheckConfig } from './model';

/** Performs one HTTP health check against 127.0.0.1:port, as a target group configures it. Real time, never scaled. */
export function checkOnce(port: number, config: HealthCheckConfig): Promise<CheckResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: config.path,
        method: 'GET',
        headers: { 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        if (matchesHttpCode(config.matcher, status)) finish({ ok: true });
        else
          finish({
            ok: false,
            reason: 'Target.ResponseCodeMismatch',
            description: `Health checks failed with these codes: [${status}]`,
          });
      },
    );
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'Target.Timeout', description: 'Request timed out' }),
      config.timeoutSeconds * 1000,
    );
    req.on('error', () =>
      finish({ ok: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' }),
    );
    req.end();
  });
}

/**
 * Runs checks every `intervalSeconds` until stopped (the first one interval after registration, as an
 * ALB does: a process gets that long to start listening); `onResult` applies each.
 * `override` lets fault injection fail checks of targets whose image must never get healthy.
 */
export function startHealthLoop(
  port: () => number,
  config: () => HealthCheckConfig,
  onResult: (result: CheckResult) => void,
  override?: () => CheckResult | undefined,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    const cfg = config();
    const forced = override?.();
    const result = forced ?? (await checkOnce(port(), cfg));
    if (stopped) return;
    onResult(result);
    timer = setTimeout(() => void tick(), cfg.intervalSeconds * 1000);
  };
  timer = setTimeout(() => void tick(), config().intervalSeconds * 1000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
