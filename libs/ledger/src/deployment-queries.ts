import type { DeploymentRecord } from '@shipgate/model';

/** Newest first: by start time, then by id (ids from newRecordId sort by time too). */
export function newestFirst(a: DeploymentRecord, b: DeploymentRecord): number {
  return b.startedAt.localeCompare(a.startedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Deployments of one service to one environment, newest first. */
export function deploymentsOf(
  all: readonly DeploymentRecord[],
  service: string,
  environment: string,
): DeploymentRecord[] {
  return all.filter((d) => d.service === service && d.environment === environment).sort(newestFirst);
}

/**
 * The release serving (service, environment) as far as the ledger knows: the newest deploy or
 * rollback that succeeded. A deployment that was rolled back is by then `rolled-back`, or followed
 * by a newer succeeded rollback, so either way the newest success is what serves.
 */
export function currentDeployment(
  all: readonly DeploymentRecord[],
  service: string,
  environment: string,
): DeploymentRecord | undefined {
  return deploymentsOf(all, service, environment).find((d) => d.outcome === 'succeeded');
}

/**
 * The last known good deployment: the newest deploy or rollback that succeeded and was not later
 * rolled back (no succeeded or in-progress rollback names it). `excludeReleaseId` skips a release,
 * typically the one serving now, to find what to roll back to.
 */
export function lastKnownGood(
  all: readonly DeploymentRecord[],
  service: string,
  environment: string,
  options: { excludeReleaseId?: string } = {},
): DeploymentRecord | undefined {
  const ofTarget = deploymentsOf(all, service, environment);
  const rolledBack = new Set(
    ofTarget
      .filter(
        (d) =>
          d.kind === 'rollback' &&
          d.rolledBackDeploymentId &&
          (d.outcome === 'succeeded' || d.outcome === 'in-progress'),
      )
      .map((d) => d.rolledBackDeploymentId),
  );
  return ofTarget.find(
    (d) => d.outcome === 'succeeded' && !rolledBack.has(d.id) && d.releaseId !== options.excludeReleaseId,
  );
}

/** Deployments of (service, environment) still in progress, newest first. */
export function inFlightDeployments(
  all: readonly DeploymentRecord[],
  service: string,
  environment: string,
): DeploymentRecord[] {
  return deploymentsOf(all, service, environment).filter((d) => d.outcome === 'in-progress');
}
