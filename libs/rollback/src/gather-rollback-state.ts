import { parseDuration, type ServiceTarget } from '@shipgate/model';
import type { RollbackControllerPorts, RollbackPorts } from './ports';
import type { RollbackState } from './rollback-plan';

/**
 * Reads what planRollback needs: the controller's in-flight deployment, the ledger's deployments,
 * the `--to` release, and (when nothing is in flight) which release the production listener serves.
 */
export async function gatherRollbackState(
  target: ServiceTarget,
  ports: RollbackControllerPorts & Pick<RollbackPorts, 'ledger' | 'traffic' | 'probe'>,
  options: { to?: string } = {},
): Promise<RollbackState> {
  const [inFlightId, deployments, requested] = await Promise.all([
    ports.deploy.controller.inFlight(target),
    ports.ledger.deployments(target.service, target.environment),
    options.to ? ports.ledger.release(options.to) : Promise.resolve(undefined),
  ]);
  const inFlight = inFlightId ? await ports.deploy.controller.status(inFlightId) : undefined;
  const liveServingReleaseId = inFlight ? undefined : await servingRelease(ports);
  return {
    service: target.service,
    environment: target.environment,
    deployments,
    ...(inFlight ? { inFlight } : {}),
    ...(liveServingReleaseId ? { liveServingReleaseId } : {}),
    ...(requested ? { requested } : {}),
  };
}

/** The release the production listener answers with now, or undefined when it does not answer. */
export async function servingRelease(ports: Pick<RollbackPorts, 'traffic' | 'probe'>): Promise<string | undefined> {
  try {
    const answer = await ports.probe.whoAnswers((await ports.traffic.listenerUrls()).production);
    return answer.ok ? answer.releaseId : undefined;
  } catch {
    // The listener could not be found or asked: plan from the ledger alone.
    return undefined;
  }
}

/** How long a rollback may take before it is reported as timed out, from the environment's settings. */
export function rollbackDeadlines(target: ServiceTarget): { fastMs: number; redeployMs: number } {
  const health = target.deploy.healthCheck;
  const healthFloor = health.healthyThreshold * parseDuration(health.interval);
  return { fastMs: 120_000, redeployMs: 5 * 60_000 + 3 * healthFloor };
}
