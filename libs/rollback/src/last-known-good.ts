import type { DeploymentRecord } from '@shipgate/model';

/** Newest first, by when the deployment finished (or started, while it runs). */
export function newestFirst(records: readonly DeploymentRecord[]): DeploymentRecord[] {
  const at = (r: DeploymentRecord) => Date.parse(r.finishedAt ?? r.startedAt);
  return [...records].sort((a, b) => at(b) - at(a) || Date.parse(b.startedAt) - Date.parse(a.startedAt));
}

/** Ids of deployments a succeeded or running rollback says it rolled back (even if their own outcome was never updated). */
export function rolledBackIds(records: readonly DeploymentRecord[]): Set<string> {
  return new Set(
    records
      .filter(
        (r) =>
          r.kind === 'rollback' &&
          r.rolledBackDeploymentId &&
          (r.outcome === 'succeeded' || r.outcome === 'in-progress'),
      )
      .map((r) => r.rolledBackDeploymentId!),
  );
}

/** What to leave out when looking for the last known good deployment. */
export interface LastKnownGoodOptions {
  excludeDeploymentIds?: readonly string[];
  excludeReleaseIds?: readonly string[];
  /** Only deployments that started before this one (the release that served before it). */
  before?: DeploymentRecord;
  /** Only deployments of this release. */
  releaseId?: string;
}

/**
 * The most recent deployment to this environment that succeeded and was not rolled back: not merely
 * the previous revision. A rollback record that succeeded counts (it restored a good release).
 */
export function lastKnownGood(
  records: readonly DeploymentRecord[],
  options: LastKnownGoodOptions = {},
): DeploymentRecord | undefined {
  const undone = rolledBackIds(records);
  const excludedIds = new Set(options.excludeDeploymentIds ?? []);
  const excludedReleases = new Set(options.excludeReleaseIds ?? []);
  const before = options.before ? Date.parse(options.before.startedAt) : Infinity;
  return newestFirst(records).find(
    (r) =>
      r.outcome === 'succeeded' &&
      !undone.has(r.id) &&
      !excludedIds.has(r.id) &&
      !excludedReleases.has(r.releaseId) &&
      (options.releaseId === undefined || r.releaseId === options.releaseId) &&
      Date.parse(r.startedAt) < before,
  );
}

/** The latest ledger deployment of this release here (the one a rollback away from it undoes). */
export function latestDeploymentOf(
  records: readonly DeploymentRecord[],
  releaseId: string,
): DeploymentRecord | undefined {
  return newestFirst(records).find(
    (r) => r.releaseId === releaseId && r.outcome !== 'failed' && r.outcome !== 'stopped',
  );
}

/**
 * The release the ledger believes serves: an unfinished deployment that is no longer in flight may
 * have moved traffic (its recorder died), so it wins over the last known good one.
 */
export function ledgerServingReleaseId(
  records: readonly DeploymentRecord[],
  inFlightControllerId?: string,
): string | undefined {
  const latest = newestFirst(
    records.filter((r) => r.controllerDeploymentId === undefined || r.controllerDeploymentId !== inFlightControllerId),
  )[0];
  if (latest?.outcome === 'in-progress') return latest.releaseId;
  return lastKnownGood(records)?.releaseId;
}
