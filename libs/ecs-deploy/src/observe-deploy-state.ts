import type { ServiceTarget } from '@shipgate/model';
import { digestOfImage, type DeployState } from './plan-deploy';
import type { DeployPorts, RegisteredTaskDefinition } from './ports';

/** The release a registered task definition runs: digest of the traffic container's image, and its SHIPGATE_RELEASE. */
export function releaseOfTaskDefinition(
  definition: RegisteredTaskDefinition | undefined,
  containerName: string,
): { digest?: string; releaseId?: string } {
  const container = definition?.containers.find((c) => c.name === containerName);
  if (!container) return {};
  const digest = digestOfImage(container.image);
  const releaseId = container.environment.SHIPGATE_RELEASE;
  return { ...(digest ? { digest } : {}), ...(releaseId ? { releaseId } : {}) };
}

/**
 * Reads what runs, what is in flight and how the environment's strategy shifts traffic (read-only
 * calls: safe for a dry run).
 */
export async function observeDeployState(
  target: ServiceTarget,
  ports: Pick<DeployPorts, 'service' | 'controller' | 'taskDefinitions'>,
): Promise<DeployState> {
  const service = await ports.service.describe(target.cluster, target.ecsService);
  const state: DeployState = { routing: await ports.controller.trafficRouting(target) };
  if (service) {
    const running = service.taskDefinitionArn
      ? await ports.taskDefinitions.describe(service.taskDefinitionArn)
      : undefined;
    state.service = {
      ...(service.taskDefinitionArn ? { taskDefinitionArn: service.taskDefinitionArn } : {}),
      ...releaseOfTaskDefinition(running, target.containerName),
    };
  }
  const id = await ports.controller.inFlight(target);
  if (id) {
    const status = await ports.controller.status(id);
    const definition = status.taskDefinitionArn
      ? await ports.taskDefinitions.describe(status.taskDefinitionArn)
      : undefined;
    state.inFlight = {
      id,
      phase: status.phase,
      ...(status.taskDefinitionArn ? { taskDefinitionArn: status.taskDefinitionArn } : {}),
      ...releaseOfTaskDefinition(definition, target.containerName),
    };
  }
  return state;
}
