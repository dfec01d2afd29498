import type { DeploymentView, DiagnosticsPort, StoppedTaskReport } from './ports';
import type { VerificationReport } from './verify-replacement';

/** Target health of one target group, for a failure report. */
export interface TargetHealthReport {
  targetGroup: string;
  healthy: number;
  unhealthy: { target: string; state: string; reason?: string; description?: string }[];
}

/** The facts gathered when a deployment failed. */
export interface FailureEvidence {
  status: DeploymentView;
  /** The controller's name for people (the port's `label`): "<label> says …". */
  controller: string;
  targetHealth: TargetHealthReport[];
  stoppedTasks: StoppedTaskReport[];
  alarms: string[];
  verification?: VerificationReport;
  /** Set when shipgate itself stopped the deployment (verification failed, replacement never healthy). */
  stoppedBecause?: string;
  /** Highest share of production traffic the replacement ever had (percent). */
  maxGreenWeight: number;
}

/** A failure in words an on-call engineer can act on. */
export interface FailureExplanation {
  summary: string;
  failedLifecycleEvent?: string;
  lines: string[];
  targetHealth: TargetHealthReport[];
  stoppedTasks: StoppedTaskReport[];
  alarms: string[];
}

/** Explains a failed, stopped or rolled-back deployment from the gathered evidence (pure). */
export function explainFailure(evidence: FailureEvidence): FailureExplanation {
  const { status } = evidence;
  const failed = status.lifecycleEvents.find((e) => e.status === 'Failed');
  const lines: string[] = [];
  const cause =
    evidence.stoppedBecause ??
    (evidence.alarms.length
      ? `alarm ${evidence.alarms.join(', ')} fired`
      : failed
        ? `lifecycle event ${failed.name} failed`
        : (status.error?.message ?? `the deployment ended ${status.controllerStatus}`));
  const summary = `deployment ${status.id} ${status.phase === 'finished' ? 'did not complete' : status.phase}: ${cause}`;
  if (failed)
    lines.push(
      `Lifecycle event ${failed.name} failed${failed.diagnostics?.message ? `: ${failed.diagnostics.message}` : ''}.`,
    );
  if (status.error?.code || status.error?.message)
    lines.push(
      `${evidence.controller} says ${status.error.code ?? 'error'}: ${status.error.message ?? '(no message)'}`,
    );
  if (evidence.verification && !evidence.verification.passed) {
    const v = evidence.verification;
    lines.push(
      `Verification through the test listener (${v.url}): ${v.succeeded}/${v.requests} requests passed.`,
      ...v.failures.map((f) => `  ${f}`),
    );
  }
  for (const group of evidence.targetHealth) {
    if (group.unhealthy.length === 0) continue;
    // When an alarm stopped it, targets still in their first checks are noise, not a cause.
    if (evidence.alarms.length && !group.unhealthy.some((u) => u.state === 'unhealthy')) continue;
    lines.push(`Target group ${group.targetGroup}: ${group.healthy} healthy, ${group.unhealthy.length} not healthy.`);
    for (const t of group.unhealthy.slice(0, 5))
      lines.push(
        `  ${t.target} ${t.state}${t.reason ? `: ${t.reason}` : ''}${t.description ? ` (${t.description})` : ''}`,
      );
  }
  for (const task of evidence.stoppedTasks.slice(0, 3)) {
    lines.push(
      `Task ${shortArn(task.taskArn)} stopped: ${task.reason}${task.exitCode !== undefined ? ` (exit code ${task.exitCode})` : ''}.`,
    );
    if (task.lastOutput.length) lines.push('  last output:', ...task.lastOutput.slice(-10).map((l) => `    ${l}`));
    else if (task.logHint) lines.push(`  output: ${task.logHint}`);
  }
  if (evidence.alarms.length) lines.push(`Alarms in ALARM: ${evidence.alarms.join(', ')}.`);
  if (status.rollback?.message || status.rollback?.rollbackDeploymentId) {
    lines.push(
      `Rolled back${status.rollback.rollbackDeploymentId ? ` by ${status.rollback.rollbackDeploymentId}` : ''}${status.rollback.message ? `: ${status.rollback.message}` : ''}.`,
    );
  }
  lines.push(
    evidence.maxGreenWeight === 0
      ? 'Production traffic never reached the replacement task set.'
      : `The replacement task set had up to ${evidence.maxGreenWeight}% of production traffic before traffic returned to the original.`,
  );
  return {
    summary,
    ...(failed ? { failedLifecycleEvent: failed.name } : {}),
    lines,
    targetHealth: evidence.targetHealth,
    stoppedTasks: evidence.stoppedTasks,
    alarms: evidence.alarms,
  };
}

/** Gathers target health of both target groups, recently stopped tasks and fired alarms. Never throws: a report is better than none. */
export async function gatherFailureFacts(
  diagnostics: DiagnosticsPort,
  where: { cluster: string; service: string; targetGroups: string[]; alarms: string[] },
): Promise<Pick<FailureEvidence, 'targetHealth' | 'stoppedTasks' | 'alarms'>> {
  const safe = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch {
      return fallback;
    }
  };
  const targetHealth = await Promise.all(
    where.targetGroups.map(async (tg) => ({
      targetGroup: tg,
      ...(await safe(() => diagnostics.targetHealth(tg), { healthy: 0, unhealthy: [] })),
    })),
  );
  const stoppedTasks = await safe(() => diagnostics.stoppedTasks(where.cluster, where.service, 5), []);
  const alarms = where.alarms.length ? await safe(() => diagnostics.alarmsInAlarm(where.alarms), []) : [];
  return { targetHealth, stoppedTasks, alarms };
}

function shortArn(arn: string): string {
  return arn.split('/').pop() ?? arn;
}
