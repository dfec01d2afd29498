import { isTerminalPhase } from '@shipgate/ecs-deploy';
import type { Clock, DeploymentRecord } from '@shipgate/model';
import type { RollbackControllerPorts, RollbackPorts } from './ports';
import type { RollbackState } from './rollback-plan';

/** One ledger rollback record that no run will finish, and how it was closed. */
export interface HealedRollback {
  id: string;
  outcome: 'succeeded' | 'failed';
  why: string;
}

/**
 * Closes rollback records left `in-progress` by a run that died and that no re-run can resume: the
 * controller deployment they recorded has ended (the controller timed it out, someone stopped it), or they
 * recorded none and are older than the longest rollback wait. An in-progress rollback record counts
 * its deployment as rolled back forever, so leaving it would skew the last known good.
 * The in-flight deployment's record is left alone: the plan resumes it.
 */
export async function healAbandonedRollbacks(
  state: Pick<RollbackState, 'deployments' | 'inFlight'>,
  ports: RollbackControllerPorts & Pick<RollbackPorts, 'ledger'>,
  options: { clock: Clock; longestWaitMs: number; actor: string },
): Promise<HealedRollback[]> {
  const now = options.clock.now();
  const healed: HealedRollback[] = [];
  const open = state.deployments.filter(
    (r: DeploymentRecord) =>
      r.kind === 'rollback' &&
      r.outcome === 'in-progress' &&
      !(state.inFlight && r.controllerDeploymentId === state.inFlight.id),
  );
  for (const record of open) {
    let closing: HealedRollback | undefined;
    if (record.controllerDeploymentId) {
      const status = await ports.deploy.controller.status(record.controllerDeploymentId);
      if (isTerminalPhase(status.phase))
        closing = {
          id: record.id,
          outcome: status.phase === 'finished' ? 'succeeded' : 'failed',
          why: `abandoned: the run that started it ended before recording its outcome; ${ports.deploy.controller.label} deployment ${record.controllerDeploymentId} ended ${status.controllerStatus}${status.error?.message ? ` (${status.error.message})` : ''}`,
        };
    } else if (now.getTime() - Date.parse(record.startedAt) > options.longestWaitMs) {
      closing = {
        id: record.id,
        outcome: 'failed',
        why: `abandoned: the run that started it ended before recording its outcome or a controller deployment, more than ${Math.round(options.longestWaitMs / 1000)} s ago`,
      };
    }
    if (!closing) continue;
    await ports.ledger.updateDeployment(record.id, {
      outcome: closing.outcome,
      finishedAt: now.toISOString(),
      ...(closing.outcome === 'failed' ? { failure: closing.why } : {}),
    });
    await ports.ledger.appendAudit({
      actor: options.actor,
      action: 'rollback.abandoned',
      subject: { service: record.service, environment: record.environment, deploymentId: record.id },
      details: { outcome: closing.outcome, why: closing.why, startedBy: record.startedBy },
    });
    healed.push(closing);
  }
  return healed;
}
