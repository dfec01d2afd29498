import type { DeploymentRecord } from '@shipgate/model';
import {
  inFlightNow,
  lastFinished,
  lastFinishedDetermined,
  lastKnownGood,
  lastKnownGoodDetermined,
  ledgerServingDetermined,
  ledgerServingReleaseId,
  newestFirst,
  type ReadHorizon,
} from '@shipgate/rollback';
import type { ConsoleEnvironment } from './console-source';

/** One cell of the environments board: a service in an environment, as the ledger knows it. */
export interface BoardRow {
  environment: string;
  service: string;
  /** The release the ledger believes serves (rollback's own rule). */
  servingReleaseId?: string;
  servingDeployment?: DeploymentRecord;
  /** Unfinished and newer than the last finished one (`inFlightNow`). */
  inFlight: DeploymentRecord[];
  lastKnownGood?: DeploymentRecord;
  /** The newest deployment or rollback that finished. */
  lastFinished?: DeploymentRecord;
}

function cells(
  environments: readonly ConsoleEnvironment[],
  deployments: readonly DeploymentRecord[],
): { environment: string; service: string; records: DeploymentRecord[] }[] {
  const groups = new Map<string, DeploymentRecord[]>();
  for (const d of deployments) {
    const key = `${d.environment}\u0000${d.service}`;
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  return environments.flatMap((env) =>
    env.services.map((service) => ({
      environment: env.name,
      service,
      records: groups.get(`${env.name}\u0000${service}`) ?? [],
    })),
  );
}

/** The deployment the board shows as serving: the newest of the serving release that did not fail. */
function servingDeploymentOf(records: readonly DeploymentRecord[], releaseId: string | undefined) {
  return releaseId === undefined
    ? undefined
    : newestFirst(records).find((d) => d.releaseId === releaseId && d.outcome !== 'failed');
}

/** The board from the deployment records: pure, so that it is tested without a ledger. */
export function boardRows(
  environments: readonly ConsoleEnvironment[],
  deployments: readonly DeploymentRecord[],
): BoardRow[] {
  return cells(environments, deployments).map(({ environment, service, records }) => {
    const servingReleaseId = ledgerServingReleaseId(records);
    const good = lastKnownGood(records);
    const servingDeployment = servingDeploymentOf(records, servingReleaseId);
    const finished = lastFinished(records);
    return {
      environment,
      service,
      ...(servingReleaseId ? { servingReleaseId } : {}),
      ...(servingDeployment ? { servingDeployment } : {}),
      inFlight: inFlightNow(records),
      ...(good ? { lastKnownGood: good } : {}),
      ...(finished ? { lastFinished: finished } : {}),
    };
  });
}

/**
 * Whether `boardRows` over the records read so far (newest first, down to `horizon`) is the board over
 * the whole history: every cell's rules say their answer is final. `undefined` horizon: all was read.
 */
export function boardDetermined(
  environments: readonly ConsoleEnvironment[],
  deployments: readonly DeploymentRecord[],
  horizon: ReadHorizon | undefined,
): boolean {
  if (!horizon) return true;
  return cells(environments, deployments).every(({ records }) => {
    if (!ledgerServingDetermined(records, horizon) || !lastKnownGoodDetermined(records, horizon)) return false;
    if (!lastFinishedDetermined(records, horizon)) return false;
    const shown = servingDeploymentOf(records, ledgerServingReleaseId(records));
    return shown !== undefined && Date.parse(shown.finishedAt ?? shown.startedAt) >= horizon.rankedBefore;
  });
}

/** What the board says of a deployment in flight: its phase and traffic split, and who says so. */
export interface InFlightView {
  phase?: string;
  step?: string;
  split?: { blue: number; green: number };
  /** `reported`: by the deploy while it runs (unsigned); `recorded`: the deploy's last observation. */
  source: 'reported' | 'recorded' | 'none';
  reportedAt?: string;
}

/**
 * A deployment in flight as the board shows it: the progress its deploy wrote while running (#16), else
 * the split it recorded last (a deploy that ended with traffic moved and the original baking).
 */
export function inFlightView(d: DeploymentRecord): InFlightView {
  const p = d.progress;
  if (p)
    return {
      phase: p.phase,
      ...(p.step ? { step: p.step } : {}),
      ...(p.traffic ? { split: p.traffic } : {}),
      source: 'reported',
      reportedAt: p.reportedAt,
    };
  const split = lastTrafficSplit(d);
  return split ? { split, source: 'recorded' } : { source: 'none' };
}

/** The last recorded production traffic split of a deployment (percent on original / replacement). */
export function lastTrafficSplit(d: DeploymentRecord): { blue: number; green: number } | undefined {
  const last = d.trafficTimeline?.at(-1);
  return last ? { blue: last.blue, green: last.green } : undefined;
}
