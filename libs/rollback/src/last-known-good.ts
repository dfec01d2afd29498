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
 * the previous revision. A rollback record that succeeded counts (it restored a good release); a
 * break-glass one (a release that never passed the gate here, #12.6) never does.
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
      r.breakGlass === undefined &&
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
  // A break-glass deploy that succeeded serves, though it is not known good (until a gated deploy of it).
  if (latest?.outcome === 'succeeded' && latest.breakGlass && !rolledBackIds(records).has(latest.id))
    return latest.releaseId;
  return lastKnownGood(records)?.releaseId;
}

/** The newest known good deployment of each release (succeeded, not rolled back), newest first. */
export function knownGoodReleases(
  records: readonly DeploymentRecord[],
  options: { excludeReleaseIds?: readonly string[] } = {},
): DeploymentRecord[] {
  const found: DeploymentRecord[] = [];
  for (;;) {
    const next = lastKnownGood(records, {
      excludeReleaseIds: [...(options.excludeReleaseIds ?? []), ...found.map((r) => r.releaseId)],
    });
    if (!next) return found;
    found.push(next);
  }
}

/**
 * What `rollback` without `--to` restores when nothing is in flight: the one rule that rollback acts on
 * and that status and history show, so that they never disagree.
 * - the release serving is not the last known good one → the last known good;
 * - right after a rollback (or after a deploy that ended rolled back or failed) → nothing: the last
 *   known good already serves, and going further back is asked for with `--to R` (the candidates);
 * - the release serving is the last known good and nothing went wrong since → the known good release before it.
 */
export type RollbackTarget =
  | { kind: 'redeploy'; deployment: DeploymentRecord; lastKnownGood: DeploymentRecord }
  | {
      kind: 'none';
      situation: 'no-history' | 'no-last-known-good' | 'already-restored' | 'serving-is-last-known-good';
      lastKnownGood?: DeploymentRecord;
      /** Why the last known good counts as restored (already-restored). */
      restoredBy?: string;
      /** Earlier known good releases, newest first: what `--to R` could name. */
      candidates: DeploymentRecord[];
    };

/** Decides the rollback target from the ledger and the release serving now (live, or the ledger's belief). */
export function rollbackTarget(
  records: readonly DeploymentRecord[],
  servingReleaseId: string | undefined,
): RollbackTarget {
  const good = lastKnownGood(records);
  if (!good)
    return { kind: 'none', situation: records.length === 0 ? 'no-history' : 'no-last-known-good', candidates: [] };
  if (servingReleaseId !== good.releaseId) return { kind: 'redeploy', deployment: good, lastKnownGood: good };
  const candidates = knownGoodReleases(records, { excludeReleaseIds: [good.releaseId] });
  // A later deploy that failed or was rolled back left this release serving: that was the rollback.
  // A later rollback that failed restored nothing: the release serving is still the one to leave.
  const undoneSince = newestFirst(records).find(
    (r) =>
      r.kind === 'deploy' &&
      Date.parse(r.startedAt) > Date.parse(good.startedAt) &&
      (r.outcome === 'failed' || r.outcome === 'rolled-back' || r.outcome === 'stopped'),
  );
  if (good.kind === 'rollback' || undoneSince) {
    const restoredBy =
      good.kind === 'rollback'
        ? `restored by rollback ${good.id}`
        : `the later deployment ${undoneSince!.id} ended ${undoneSince!.outcome}`;
    return { kind: 'none', situation: 'already-restored', lastKnownGood: good, restoredBy, candidates };
  }
  const previous = candidates[0];
  if (previous) return { kind: 'redeploy', deployment: previous, lastKnownGood: good };
  return { kind: 'none', situation: 'serving-is-last-known-good', lastKnownGood: good, candidates };
}

/**
 * How far a newest-first read of the deployment records has got (the console's cold board, #16): every
 * record not read yet started before `startedBefore` and ranks (`finishedAt`, else `startedAt`, as in
 * `newestFirst`) before `rankedBefore`, both in ms since the epoch. The ledger makes ids that sort by
 * start time (newRecordId), so a read in key order from the newest gives the first bound; the second
 * holds while a deployment records its outcome within the reader's settle window of its start.
 * `undefined` means every record was read. The companions below say when a rule's answer over the
 * records read so far is the answer over the whole history.
 */
export interface ReadHorizon {
  startedBefore: number;
  rankedBefore: number;
}

const rankOf = (r: DeploymentRecord) => Date.parse(r.finishedAt ?? r.startedAt);

/** Whether no record beyond the horizon can outrank `r` in newestFirst or roll it back. */
function settledBeyond(r: DeploymentRecord, horizon: ReadHorizon): boolean {
  // A rollback starts after the deployment it rolls back, so none beyond the horizon names `r`.
  return rankOf(r) >= horizon.rankedBefore && Date.parse(r.startedAt) >= horizon.startedBefore;
}

/** Whether `lastKnownGood(records)` (no options) is final: records beyond the horizon cannot change it. */
export function lastKnownGoodDetermined(records: readonly DeploymentRecord[], horizon?: ReadHorizon): boolean {
  if (!horizon) return true;
  const good = lastKnownGood(records);
  // Unread records rank lower (never the newest) and roll back nothing this new; with no candidate yet,
  // an older record may still be one.
  return good !== undefined && settledBeyond(good, horizon);
}

/** Whether `ledgerServingReleaseId(records)` (no controller in flight) is final. */
export function ledgerServingDetermined(records: readonly DeploymentRecord[], horizon?: ReadHorizon): boolean {
  if (!horizon) return true;
  const latest = newestFirst(records)[0];
  if (!latest || !settledBeyond(latest, horizon)) return false;
  if (latest.outcome === 'in-progress') return true;
  if (latest.outcome === 'succeeded' && latest.breakGlass && !rolledBackIds(records).has(latest.id)) return true;
  return lastKnownGoodDetermined(records, horizon);
}

/**
 * Deployments of one service and environment in flight now, newest first: unfinished and newer than the
 * newest one that finished. An older unfinished record was abandoned (its run died and a later
 * deployment finished since): `abandonedDeployments` lists those (a later deploy closes those whose controller deployment ended).
 * `status` and the console both read "in flight" through this one rule.
 */
export function inFlightNow(records: readonly DeploymentRecord[]): DeploymentRecord[] {
  return splitUnfinished(records).inFlight;
}

/** Unfinished records older than the newest finished one (their run died), newest first: never "in flight". */
export function abandonedDeployments(records: readonly DeploymentRecord[]): DeploymentRecord[] {
  return splitUnfinished(records).abandoned;
}

function splitUnfinished(records: readonly DeploymentRecord[]) {
  const ordered = newestFirst(records);
  const finished = ordered.findIndex((r) => r.finishedAt !== undefined);
  const cut = finished < 0 ? ordered.length : finished;
  const unfinished = (r: DeploymentRecord) => r.outcome === 'in-progress';
  return { inFlight: ordered.slice(0, cut).filter(unfinished), abandoned: ordered.slice(cut).filter(unfinished) };
}

/** The newest deployment or rollback that finished (newestFirst order). */
export function lastFinished(records: readonly DeploymentRecord[]): DeploymentRecord | undefined {
  return newestFirst(records).find((r) => r.finishedAt !== undefined);
}

/** Whether `inFlightNow(records)` and `lastFinished(records)` are final: the newest finished record is read. */
export function lastFinishedDetermined(records: readonly DeploymentRecord[], horizon?: ReadHorizon): boolean {
  if (!horizon) return true;
  const last = lastFinished(records);
  return last !== undefined && rankOf(last) >= horizon.rankedBefore;
}
