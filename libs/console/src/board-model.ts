import type { DeploymentRecord } from '@shipgate/model';
import { lastKnownGood, ledgerServingReleaseId, newestFirst } from '@shipgate/rollback';
import type { ConsoleEnvironment } from './console-source';

/** One cell of the environments board: a service in an environment, as the ledger knows it. */
export interface BoardRow {
  environment: string;
  service: string;
  /** The release the ledger believes serves (rollback's own rule). */
  servingReleaseId?: string;
  servingDeployment?: DeploymentRecord;
  inFlight: DeploymentRecord[];
  lastKnownGood?: DeploymentRecord;
  /** The newest deployment or rollback that finished. */
  lastFinished?: DeploymentRecord;
}

/** The board from every deployment record: pure, so that it is tested without a ledger. */
export function boardRows(
  environments: readonly ConsoleEnvironment[],
  deployments: readonly DeploymentRecord[],
): BoardRow[] {
  const groups = new Map<string, DeploymentRecord[]>();
  for (const d of deployments) {
    const key = `${d.environment}\u0000${d.service}`;
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  const rows: BoardRow[] = [];
  for (const env of environments) {
    for (const service of env.services) {
      const records = groups.get(`${env.name}\u0000${service}`) ?? [];
      const ordered = newestFirst(records);
      const servingReleaseId = ledgerServingReleaseId(records);
      const good = lastKnownGood(records);
      const servingDeployment = ordered.find((d) => d.releaseId === servingReleaseId && d.outcome !== 'failed');
      const lastFinished = ordered.find((d) => d.finishedAt);
      rows.push({
        environment: env.name,
        service,
        ...(servingReleaseId ? { servingReleaseId } : {}),
        ...(servingDeployment ? { servingDeployment } : {}),
        inFlight: ordered.filter((d) => d.outcome === 'in-progress'),
        ...(good ? { lastKnownGood: good } : {}),
        ...(lastFinished ? { lastFinished } : {}),
      });
    }
  }
  return rows;
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
