/** The inputs and outputs of planRollback: what the ledger and the controller say, and what to do. */
import type { DeploymentRecord, Release, RollbackAuthorisationRecord } from '@shipgate/model';
import type { DeploymentPhase } from '@shipgate/ecs-deploy';
import type { ControllerDeploymentView } from './ports';

/** How a redeploy rollback describes its controller deployment, so that any later run recognises it. */
export const ROLLBACK_DESCRIPTION_PREFIX = 'shipgate rollback to ';

/** The reason recorded when none was given (recorded as such, never invented). */
export const REASON_NOT_GIVEN = 'not given';

/** What the world says, gathered before planning. */
export interface RollbackState {
  service: string;
  environment: string;
  /** The controller deployment in flight (or baking), if any. */
  inFlight?: ControllerDeploymentView;
  /** Every ledger deployment of the service to the environment. */
  deployments: DeploymentRecord[];
  /** The release the production listener answers with now, when it could be asked. */
  liveServingReleaseId?: string;
  /** The release named by `--to`, resolved in the ledger (undefined when it is not there). */
  requested?: Release;
}

/** What the on-call engineer asked for. */
export interface RollbackOptions {
  actor: string;
  reason?: string;
  /** `--to R`: redeploy this release instead of the last known good one. */
  to?: string;
  /** Redeploy `--to R` even though it never succeeded in this environment. */
  force?: boolean;
}

interface PlanBase {
  service: string;
  environment: string;
  actor: string;
  reason: string;
  reasonGiven: boolean;
  /** The ledger deployment being rolled back, when the ledger knows it. */
  rolledBack?: { deploymentId: string; releaseId: string };
  /** The release expected to serve all production traffic afterwards (unknown only when the ledger is empty). */
  restore: { releaseId?: string; digest?: string };
  /** The verified authorisation (set by the CLI when the trust policy names who may roll back): recorded and audited. */
  authorisation?: RollbackAuthorisationRecord;
}

/** Stop the in-flight deployment with rollback: traffic returns to the original. */
export interface FastRollbackPlan extends PlanBase {
  path: 'fast';
  /** `baking`: all traffic moved and the original still runs (bake time, termination wait). */
  stop: { controllerDeploymentId: string; phase: DeploymentPhase; baking: boolean; replacementWeight: number };
  /** The target group of the original, which must end with 100% of production traffic. */
  originalTargetGroup?: string;
}

/** Redeploy a known good release all at once through the deploy engine, with no gate and no freeze window. */
export interface RedeployRollbackPlan extends PlanBase {
  path: 'redeploy';
  basis: 'last-known-good' | 'requested';
  forced: boolean;
  /** A forced redeploy's verified break-glass override (set by the CLI): recorded on the rollback, which then never counts as last known good. */
  breakGlass?: { by: string; evidenceId: string };
  restore: { releaseId: string; digest: string; image?: string };
  /** Recorded on the release's last good deployment here; undefined → registered from the release. */
  taskDefinitionArn?: string;
  /** Every redeploy rollback shifts production traffic at once, whatever the environment's strategy. */
  shift: 'all-at-once';
  gate: 'skipped';
  freezeWindows: 'ignored';
}

/**
 * Follow a redeploy rollback that an earlier run started and no longer follows (its process died
 * before production traffic moved): the deploy engine attaches to it, verifies the test listener, lets
 * traffic move and waits for all of it.
 */
export interface ResumeRollbackPlan extends PlanBase {
  path: 'resume';
  resume: {
    controllerDeploymentId: string;
    phase: DeploymentPhase;
    replacementWeight: number;
    /** The earlier run's ledger record, still in progress: this run finishes it (and counts from its start). */
    record?: { id: string; startedAt: string; startedBy: string };
  };
  restore: { releaseId: string; digest?: string };
}

/** A rollback to carry out. */
export type RollbackPlan = FastRollbackPlan | RedeployRollbackPlan | ResumeRollbackPlan;

/** The release a redeploy rollback restores, read back from the description it was started with. */
export function releaseOfRollbackDescription(description: string | undefined): string | undefined {
  if (!description?.startsWith(ROLLBACK_DESCRIPTION_PREFIX)) return undefined;
  return /^[^\s:]+/.exec(description.slice(ROLLBACK_DESCRIPTION_PREFIX.length))?.[0];
}

/** The description a redeploy rollback starts its controller deployment with (controllers keep 100 characters). */
export function rollbackDescription(releaseId: string, reason: string): string {
  return `${ROLLBACK_DESCRIPTION_PREFIX}${releaseId}: ${reason}`.slice(0, 100);
}

/** Why there is nothing to do, or why the request cannot be done as asked. */
export type RefusalSituation =
  | 'no-history'
  | 'no-last-known-good'
  | 'already-restored'
  | 'rollback-in-progress'
  | 'serving-is-last-known-good'
  | 'target-already-serving'
  | 'target-not-found'
  | 'target-other-service'
  | 'target-never-succeeded'
  | 'target-while-in-flight';

/** planRollback's answer when it will not act: a value with a clear message and the commands that would. */
export interface RollbackRefusal {
  code: 'NOTHING_TO_ROLL_BACK' | 'USAGE' | 'RELEASE_NOT_FOUND' | 'RELEASE_SERVICE_MISMATCH';
  situation: RefusalSituation;
  message: string;
  hint: string;
  /** Commands that would do something, for the message and for scripts. */
  options: string[];
  servingReleaseId?: string;
  lastKnownGoodReleaseId?: string;
  /** Earlier known good releases, newest first, that `--to R` could restore (after a rollback). */
  candidates?: string[];
}

/** True for refusals that mean production already runs the good release (a second run of the runbook). */
export function isAlreadyRestored(refusal: RollbackRefusal): boolean {
  return (
    refusal.situation === 'already-restored' ||
    refusal.situation === 'rollback-in-progress' ||
    refusal.situation === 'target-already-serving'
  );
}
