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
 * The newest deploy or rollback of (service, environment) that succeeded. (What rollback restores, and
 * the last known good release, are decided by @shipgate/rollback: `lastKnownGood`, `rollbackTarget`.)
 * Roughly the release serving as far as the ledger knows: A deployment that was rolled back is by then `rolled-back`, or followed
 * by a newer succeeded rollback, so either way the newest success is what serves.
 */
export function currentDeployment(
  all: readonly DeploymentRecord[],
  service: string,
  environment: string,
): DeploymentRecord | undefined {
  return deploymentsOf(all, service, environment).find((d) => d.outcome === 'succeeded');
}

/** Deployments of (service, environment) still in progress, newest first. */
export function inFlightDeployments(
  all: readonly DeploymentRecord[],
  service: string,
  environment: string,
): DeploymentRecord[] {
  return deploymentsOf(all, service, environment).filter((d) => d.outcome === 'in-progress');
}

/**
 * How long a recorded deployment took: its own `durationMs`, else from its start to its finish; for a
 * deployment attached to after a crash that is from the first run's start. Undefined when it did not
 * deploy anything (bootstrap creates the service with its release: no time to report, not "0 ms").
 */
export function recordedDurationMs(
  d: Pick<DeploymentRecord, 'durationMs' | 'startedAt' | 'finishedAt'>,
): number | undefined {
  const ms = d.durationMs ?? (d.finishedAt ? Date.parse(d.finishedAt) - Date.parse(d.startedAt) : undefined);
  return ms !== undefined && ms > 0 ? ms : undefined;
}
