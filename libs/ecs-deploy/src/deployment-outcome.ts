import type { DeploymentOutcome } from '@shipgate/model';
import { isTerminalPhase, type DeploymentView } from './ports';
import type { DeployReport } from './run-deploy';

/**
 * The ledger outcome of a deploy this run followed. `traffic-shifted` stays in progress: production
 * traffic moved, but the original's bake (termination wait) is not over and could still roll back.
 */
export function recordedOutcome(report: Pick<DeployReport, 'outcome'>): DeploymentOutcome {
  switch (report.outcome) {
    case 'succeeded':
    case 'already-running':
      return 'succeeded';
    case 'traffic-shifted':
      return 'in-progress';
    case 'rolled-back':
      return 'rolled-back';
    case 'failed':
      return 'failed';
  }
}

/**
 * The ledger outcome of a controller deployment that ended while no shipgate process followed it;
 * undefined while it can still change. A failed or stopped deployment that has rollback information
 * was rolled back by its controller; without it, it just failed.
 */
export function endedOutcome(status: Pick<DeploymentView, 'phase' | 'rollback'>): DeploymentOutcome | undefined {
  if (!isTerminalPhase(status.phase)) return undefined;
  if (status.phase === 'finished') return 'succeeded';
  return status.rollback ? 'rolled-back' : 'failed';
}
