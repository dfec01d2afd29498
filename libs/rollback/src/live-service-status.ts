import type { DeploymentPhase, DeploymentSide } from '@shipgate/ecs-deploy';
import { isShipgateError, type ServiceTarget } from '@shipgate/model';
import type { ListenerWeight, RollbackControllerPorts, RollbackPorts } from './ports';

/** What the controller and the load balancer say about one service in one environment right now. */
export type LiveServiceStatus =
  | {
      reachable: true;
      /** The release the production listener answers with (undefined: it did not answer). */
      servingReleaseId?: string;
      productionWeights: ListenerWeight[];
      inFlight?: {
        id: string;
        phase: DeploymentPhase;
        /** The controller's own word for its state. */
        controllerStatus: string;
        sides: DeploymentSide[];
        taskDefinitionArn?: string;
      };
    }
  | { reachable: false; code: string; error: string };

/** Reads the live state; an unreachable or missing AWS side is a value, so that status can still show the ledger. */
export async function liveServiceStatus(
  target: ServiceTarget,
  ports: RollbackControllerPorts & Pick<RollbackPorts, 'traffic' | 'probe'>,
): Promise<LiveServiceStatus> {
  try {
    const [inFlightId, productionWeights, urls] = await Promise.all([
      ports.deploy.controller.inFlight(target),
      ports.traffic.productionWeights(),
      ports.traffic.listenerUrls(),
    ]);
    const [flight, answer] = await Promise.all([
      inFlightId ? ports.deploy.controller.status(inFlightId) : Promise.resolve(undefined),
      ports.probe.whoAnswers(urls.production),
    ]);
    return {
      reachable: true,
      productionWeights,
      ...(answer.ok && answer.releaseId ? { servingReleaseId: answer.releaseId } : {}),
      ...(flight
        ? {
            inFlight: {
              id: flight.id,
              phase: flight.phase,
              controllerStatus: flight.controllerStatus,
              sides: flight.sides,
              ...(flight.taskDefinitionArn ? { taskDefinitionArn: flight.taskDefinitionArn } : {}),
            },
          }
        : {}),
    };
  } catch (error) {
    return {
      reachable: false,
      code: isShipgateError(error) ? error.code : 'AWS_ERROR',
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
