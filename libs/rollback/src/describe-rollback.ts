import type { RollbackPlan, RollbackRefusal } from './rollback-plan';
import type { RollbackReport } from './run-rollback';

/** Milliseconds for people: `850 ms`, `4.2 s`, `3 min 05 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The plan in words, for `--dry-run` and before acting. */
export function describePlan(plan: RollbackPlan): string {
  const head = `rollback ${plan.service} in ${plan.environment}`;
  const why = `reason: ${plan.reasonGiven ? plan.reason : `${plan.reason} (pass --reason to record why)`}; by ${plan.actor}`;
  const undo = plan.rolledBack
    ? `rolls back ${plan.rolledBack.deploymentId} (${plan.rolledBack.releaseId})`
    : 'rolls back a deployment the ledger does not know';
  if (plan.path === 'fast') {
    return [
      `${head}: FAST PATH (stop the deployment in flight; traffic returns to the original task set in seconds)`,
      `  stop      ${plan.stop.controllerDeploymentId} (${plan.stop.status}${plan.stop.inTerminationWait ? ', in its termination wait' : ''}; ${plan.stop.replacementWeight}% of production traffic on the replacement) with rollback`,
      `  restores  ${plan.restore.releaseId ?? 'the original task set (release unknown to the ledger)'}${plan.originalTargetGroup ? ` on ${plan.originalTargetGroup}` : ''}`,
      `  ${undo}`,
      `  ${why}`,
    ].join('\n');
  }
  if (plan.path === 'resume') {
    const by = plan.resume.record;
    return [
      `${head}: RESUME (a rollback an earlier run started is in flight and nobody follows it; finish it)`,
      `  follow    ${plan.resume.controllerDeploymentId} (${plan.resume.status}; ${plan.resume.replacementWeight}% of production traffic moved) to ${plan.restore.releaseId}`,
      `  record    ${by ? `${by.id}, started by ${by.startedBy} at ${by.startedAt}: this run finishes it` : 'none yet: this run records it'}`,
      `  ${undo}`,
      `  ${why}`,
    ].join('\n');
  }
  return [
    `${head}: REDEPLOY PATH (nothing in flight; redeploy ${plan.basis === 'requested' ? 'the requested' : 'the last known good'} release)`,
    `  deploys   ${plan.restore.releaseId}${plan.forced ? ' (FORCED: it never succeeded here)' : ''} with ${plan.deploymentConfig}; gate skipped, freeze windows ignored (rollback is always allowed, always audited)`,
    `  task def  ${plan.taskDefinitionArn ?? '(registered from the release image)'}`,
    `  ${undo}`,
    `  ${why}`,
  ].join('\n');
}

/** The outcome in words: path, time to restore, what proved it. */
export function describeReport(report: RollbackReport): string {
  if (report.outcome === 'restored') {
    return [
      `restored ${report.service} in ${report.environment} to ${report.restoredReleaseId} by the ${report.path} path`,
      report.resumed
        ? `  resumed          rollback ${report.resumed.controllerDeploymentId}${report.resumed.startedBy ? `, started by ${report.resumed.startedBy}` : ''} (its run had stopped following it)`
        : '',
      `  time to restore  ${formatMs(report.timeToRestoreMs ?? 0)} (from the ${report.resumed?.recordId ? "first run's" : "command's"} start until all production traffic was served by ${report.restoredReleaseId})`,
      report.verification
        ? `  verified         production listener 100% on ${report.verification.targetGroup}; ${report.verification.confirmations} probes answered ${report.verification.releaseId}`
        : '',
      report.rolledBackDeploymentId ? `  rolled back      ${report.rolledBackDeploymentId}` : '',
      `  recorded         ${report.rollbackDeploymentId ?? '(no ledger record)'}; audited with reason "${report.reason}" by ${report.actor}`,
    ]
      .filter(Boolean)
      .join('\n');
  }
  return [
    `rollback of ${report.service} in ${report.environment} FAILED (${report.path} path): ${report.failure?.message ?? 'unknown failure'}`,
    report.failure?.hint ? `  next: ${report.failure.hint}` : '',
    `  audited with reason "${report.reason}" by ${report.actor}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A refusal in words: what was found, and the commands that would act. */
export function describeRefusal(refusal: RollbackRefusal): string {
  return [refusal.message, `  ${refusal.hint}`, ...refusal.options.map((o) => `  option: ${o}`)].join('\n');
}
