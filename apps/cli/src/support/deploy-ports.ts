import type { DeployPorts } from '@shipgate/ecs-deploy';
import type { ServiceTarget } from '@shipgate/model';
import type { AwsClients } from './aws';

/**
 * The deploy engine's ports for one service in one environment, with the controller its
 * `deploy.controller` names: the one wiring deploy, rollback and finish-now share. On local-cloud the
 * listeners are loopback ports and a stopped task's output is read from local-cloud itself.
 */
export async function deployPortsFor(clients: AwsClients, target: ServiceTarget): Promise<DeployPorts> {
  const { createAwsDeployPorts, localCloudListenerAddress, localCloudTaskOutput, awsListenerAddress } =
    await import('@shipgate/ecs-deploy/aws');
  const { settings } = clients;
  const local = settings.local && settings.endpoint ? settings.endpoint : undefined;
  return createAwsDeployPorts(clients, {
    listenerAddress: local ? localCloudListenerAddress(local) : awsListenerAddress,
    ...(local ? { taskOutput: localCloudTaskOutput(local) } : {}),
    context: { environment: target.environment, service: target.service },
    controller: target.deploy.controller,
  });
}

/** Controller time per real time: local-cloud's time scale (SHIPGATE_LOCAL_TIME_SCALE, localCloud.timeScale), 1 on AWS. */
export function controllerTimeScale(
  clients: Pick<AwsClients, 'settings'>,
  config: { localCloud?: { timeScale?: number } },
  env: NodeJS.ProcessEnv,
): number {
  return clients.settings.local ? Number(env.SHIPGATE_LOCAL_TIME_SCALE || config.localCloud?.timeScale || 1) : 1;
}

/** How long a task takes to start before its first health check: seconds on local-cloud, minutes on AWS. */
export function taskStartMs(clients: Pick<AwsClients, 'settings'>): number {
  return clients.settings.local ? 5_000 : 120_000;
}
