import type { ServiceTarget } from '@shipgate/model';
import { isPredefinedConfig } from './deploy-budget';
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
 * Reads what runs and what is in flight (read-only calls: safe for a dry run), and, when a deploy is
 * going to use a custom `deploymentConfig`, how CodeDeploy defines its traffic routing.
 */
export async function observeDeployState(
  target: ServiceTarget,
  ports: Pick<DeployPorts, 'service' | 'blueGreen' | 'taskDefinitions'>,
  options: { deploymentConfig?: string } = {},
): Promise<DeployState> {
  const service = await ports.service.describe(target.cluster, target.ecsService);
  const state: DeployState = {};
  if (service) {
    const running = service.taskDefinitionArn
      ? await ports.taskDefinitions.describe(service.taskDefinitionArn)
      : undefined;
    state.service = {
      ...(service.taskDefinitionArn ? { taskDefinitionArn: service.taskDefinitionArn } : {}),
      ...releaseOfTaskDefinition(running, target.containerName),
    };
  }
  const id = await ports.blueGreen.inFlight({
    application: target.codeDeployApplication,
    deploymentGroup: target.deploymentGroup,
  });
  if (id) {
    const status = await ports.blueGreen.status(id);
    const definition = status.taskDefinitionArn
      ? await ports.taskDefinitions.describe(status.taskDefinitionArn)
      : undefined;
    state.inFlight = {
      id,
      status: status.status,
      ...(status.taskDefinitionArn ? { taskDefinitionArn: status.taskDefinitionArn } : {}),
      ...releaseOfTaskDefinition(definition, target.containerName),
    };
  }
  const config = options.deploymentConfig;
  if (config && !isPredefinedConfig(config)) state.routing = await ports.blueGreen.trafficRouting(config);
  return state;
}
