import type { Clock, DeploymentRecord } from '@shipgate/model';
import type { RollbackPorts } from './ports';
import type { RollbackPlan } from './rollback-plan';
import type { RollbackReport } from './run-rollback';

/** Ledger and audit writes after a rollback: the audit entry is written whatever happened. */
export async function recordRollback(
  ports: RollbackPorts,
  plan: RollbackPlan,
  report: RollbackReport,
  record: Pick<DeploymentRecord, 'id'> | undefined,
  clock: Clock,
): Promise<void> {
  const finishedAt = clock.now();
  const restored = report.outcome === 'restored';
  try {
    if (record) {
      report.rollbackDeploymentId = record.id;
      await ports.ledger.updateDeployment(record.id, {
        outcome: restored ? 'succeeded' : 'failed',
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - Date.parse(report.startedAt),
        ...(report.timeToRestoreMs !== undefined ? { timeToRestoreMs: report.timeToRestoreMs } : {}),
        ...(report.failure ? { failure: report.failure.message } : {}),
        // A redeploy that registered the task definition (none was recorded) records it for the next one.
        ...(report.engine?.taskDefinitionArn ? { taskDefinitionArn: report.engine.taskDefinitionArn } : {}),
      });
    }
    if (restored && plan.rolledBack) {
      await ports.ledger.updateDeployment(plan.rolledBack.deploymentId, {
        outcome: 'rolled-back',
        finishedAt: finishedAt.toISOString(),
      });
    }
  } finally {
    await ports.ledger.appendAudit({
      actor: plan.actor,
      action: restored ? 'rollback' : 'rollback.failed',
      subject: {
        service: plan.service,
        environment: plan.environment,
        ...((report.restoredReleaseId ?? plan.restore.releaseId)
          ? { releaseId: report.restoredReleaseId ?? plan.restore.releaseId }
          : {}),
        ...(report.rollbackDeploymentId ? { deploymentId: report.rollbackDeploymentId } : {}),
      },
      details: {
        path: plan.path,
        reason: plan.reason,
        reasonGiven: plan.reasonGiven,
        outcome: report.outcome,
        ...(report.timeToRestoreMs !== undefined ? { timeToRestoreMs: report.timeToRestoreMs } : {}),
        ...(plan.rolledBack
          ? { rolledBackDeploymentId: plan.rolledBack.deploymentId, rolledBackReleaseId: plan.rolledBack.releaseId }
          : {}),
        ...(report.controllerDeploymentId ? { controllerDeploymentId: report.controllerDeploymentId } : {}),
        ...(plan.path === 'redeploy'
          ? { basis: plan.basis, forced: plan.forced, shift: plan.shift, gate: plan.gate }
          : {}),
        ...(report.failure ? { failure: report.failure } : {}),
        ...(plan.path === 'redeploy' && plan.breakGlass ? { breakGlass: plan.breakGlass } : {}),
        ...(plan.authorisation
          ? {
              authorisedBy: {
                by: plan.authorisation.by,
                identity: plan.authorisation.identity,
                keyId: plan.authorisation.keyId,
                nonce: plan.authorisation.nonce,
              },
            }
          : {}),
      },
    });
  }
}
