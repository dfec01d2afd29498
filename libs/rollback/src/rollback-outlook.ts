import type { DeploymentRecord } from '@shipgate/model';
import { ledgerServingReleaseId } from './last-known-good';
import { planRollback } from './plan-rollback';
import type { RefusalSituation, RollbackState } from './rollback-plan';

/** What `shipgate rollback <env> --service S` (without --to) would do now. */
export type RollbackOutlook =
  | {
      action: 'stop' | 'redeploy' | 'resume';
      /** The release that would serve afterwards (unknown only when the ledger knows nothing). */
      restores?: string;
      /** The controller deployment stopped (stop) or followed (resume). */
      controllerDeploymentId?: string;
    }
  | { action: 'nothing'; situation: RefusalSituation; message: string; candidates: string[] };

/**
 * Asks planRollback itself what a rollback would do, so that `status` (and the runbook reading it)
 * shows exactly what `rollback` would restore: one rule, never a second copy of it.
 */
export function rollbackOutlook(state: RollbackState): RollbackOutlook {
  const planned = planRollback(state, { actor: 'status' });
  if (!planned.ok)
    return {
      action: 'nothing',
      situation: planned.error.situation,
      message: planned.error.message,
      candidates: planned.error.candidates ?? [],
    };
  const plan = planned.value;
  const restores = plan.restore.releaseId ? { restores: plan.restore.releaseId } : {};
  if (plan.path === 'fast')
    return { action: 'stop', ...restores, controllerDeploymentId: plan.stop.controllerDeploymentId };
  if (plan.path === 'resume')
    return { action: 'resume', ...restores, controllerDeploymentId: plan.resume.controllerDeploymentId };
  return { action: 'redeploy', ...restores };
}

/**
 * A warning when the production listener answers with a release the ledger does not say serves here:
 * deployed outside shipgate (the console, another --state), or by a run that died before recording it.
 */
export function servingOutsideLedger(
  records: readonly DeploymentRecord[],
  liveServingReleaseId: string | undefined,
  inFlightControllerId?: string,
): string | undefined {
  if (!liveServingReleaseId) return undefined;
  const believed = ledgerServingReleaseId(records, inFlightControllerId);
  if (believed === liveServingReleaseId) return undefined;
  const known = records.some((r) => r.releaseId === liveServingReleaseId);
  return `the production listener answers as ${liveServingReleaseId}, but the ledger ${believed ? `says ${believed} serves` : 'records nothing serving'} here${known ? '' : ` and has no deployment of ${liveServingReleaseId} here`}: it was deployed outside shipgate (console, another --state) or by a run that died before recording it`;
}
