import type { HealthCheckConfig, Target } from './model';

/** The outcome of one health check. */
export type CheckResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'Target.ResponseCodeMismatch' | 'Target.Timeout' | 'Target.FailedHealthChecks';
      description: string;
    };

/** Whether an HTTP status matches a matcher like `200`, `200-299` or `200,302`. */
export function matchesHttpCode(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [lo, hi] = part.trim().split('-').map(Number);
    if (lo === undefined || Number.isNaN(lo)) return false;
    return hi === undefined ? status === lo : status >= lo && status <= hi;
  });
}

/** Checks that a matcher is one AWS accepts for HTTP (200-499, a list or a range). */
export function isValidMatcher(matcher: string): boolean {
  return (
    /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(matcher) &&
    matcher.split(/[,-]/).every((c) => Number(c) >= 200 && Number(c) <= 499)
  );
}

/**
 * Applies one check to a target, following AWS's thresholds: `healthyThreshold` consecutive
 * successes make an initial or unhealthy target healthy, `unhealthyThreshold` consecutive failures
 * make it unhealthy. Pure: mutates only the target's health fields.
 */
export function applyCheckResult(target: Target, result: CheckResult, config: HealthCheckConfig): void {
  if (target.state === 'draining' || target.state === 'unused') return;
  if (result.ok) {
    target.consecutiveOk++;
    target.consecutiveFail = 0;
    if (target.state !== 'healthy' && target.consecutiveOk >= config.healthyThreshold) setState(target, 'healthy');
    else if (target.state === 'initial')
      setState(target, 'initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress');
    return;
  }
  target.consecutiveFail++;
  target.consecutiveOk = 0;
  const threshold = config.unhealthyThreshold;
  if (target.state === 'unhealthy' || target.consecutiveFail >= threshold)
    setState(target, 'unhealthy', result.reason, result.description);
  else if (target.state === 'initial')
    setState(target, 'initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress');
}

/** Sets a target's state with AWS's reason code and description. */
export function setState(target: Target, state: Target['state'], reason?: string, description?: string): void {
  target.state = state;
  target.reason = reason;
  target.description = description;
}

/** A freshly registered target, before any check (AWS: `initial`, `Elb.RegistrationInProgress`). */
export function resetToInitial(target: Target): void {
  target.consecutiveOk = 0;
  target.consecutiveFail = 0;
  setState(target, 'initial', 'Elb.RegistrationInProgress', 'Target registration is in progress');
}

/** A target of a group no listener uses. */
export function markUnused(target: Target): void {
  target.consecutiveOk = 0;
  target.consecutiveFail = 0;
  setState(
    target,
    'unused',
    'Target.NotInUse',
    'Target group is not configured to receive traffic from the load balancer',
  );
}
