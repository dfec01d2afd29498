import { formatDuration } from '@shipgate/model';
import type { RollbackPlan, RollbackRefusal } from './rollback-plan';
import type { RollbackReport } from './run-rollback';

/** The plan in words, for `--dry-run` and before acting. */
export function describePlan(plan: RollbackPlan): string {
  const head = `rollback ${plan.service} in ${plan.environment}`;
  const why = `reason: ${plan.reasonGiven ? plan.reason : `${plan.reason} (pass --reason to record why)`}; by ${plan.actor}`;
  const undo = plan.rolledBack
    ? `rolls back ${plan.rolledBack.deploymentId} (${plan.rolledBack.releaseId})`
    : 'rolls back a deployment the ledger does not know';
  if (plan.path === 'fast') {
    return [
      `${head}: FAST PATH (stop the deployment in flight; traffic returns to the original in seconds)`,
      `  stop      ${plan.stop.controllerDeploymentId} (${plan.stop.phase}; ${plan.stop.replacementWeight}% of production traffic on the replacement) with rollback`,
      `  restores  ${plan.restore.releaseId ?? 'the original (release unknown to the ledger)'}${plan.originalTargetGroup ? ` on ${plan.originalTargetGroup}` : ''}`,
      `  ${undo}`,
      `  ${why}`,
    ].join('\n');
  }
  if (plan.path === 'resume') {
    const by = plan.resume.record;
    return [
      `${head}: RESUME (a rollback an earlier run started is in flight and nobody follows it; finish it)`,
      `  follow    ${plan.resume.controllerDeploymentId} (${plan.resume.phase}; ${plan.resume.replacementWeight}% of production traffic moved) to ${plan.restore.releaseId}`,
      `  record    ${by ? `${by.id}, started by ${by.startedBy} at ${by.startedAt}: this run finishes it` : 'none yet: this run records it'}`,
      `  ${undo}`,
      `  ${why}`,
    ].join('\n');
  }
  return [
    `${head}: REDEPLOY PATH (nothing in flight; redeploy ${plan.basis === 'requested' ? 'the requested' : 'the last known good'} release)`,
    `  deploys   ${plan.restore.releaseId}${plan.forced ? ' (FORCED: it never succeeded here)' : ''} all at once through the deploy engine (verified through the test listener first); gate skipped, freeze windows ignored (rollback is always allowed, always audited)`,
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
      `  time to restore  ${formatDuration(report.timeToRestoreMs ?? 0)} (from the ${report.resumed?.recordId ? "first run's" : "command's"} start until all production traffic was served by ${report.restoredReleaseId})`,
      report.engine?.verification
        ? `  test listener    ${report.engine.verification.succeeded}/${report.engine.verification.requests} requests answered ${report.restoredReleaseId} before production traffic moved`
        : '',
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
    ...(report.engine?.failure?.lines ?? []).map((line) => `  ${line}`),
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
