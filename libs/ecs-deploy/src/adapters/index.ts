import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { InfraPort } from '../infra-port';
import type { ControllerKind, DeployPorts, DeploymentControllerPort } from '../ports';
import type { AwsCallContext } from './aws-errors';
import { AwsDiagnostics } from './aws-diagnostics';
import { AwsInfra } from './aws-infra';
import { CodeDeployBlueGreen } from './codedeploy-blue-green';
import { EcsNativeBlueGreen } from './ecs-native-blue-green';
import { EcsServices, EcsTaskDefinitions } from './ecs-task-definitions';
import { HttpSmoke, awsListenerAddress, type ListenerAddressResolver } from './http-smoke';

export { translateAwsError, awsCall, type AwsCallContext } from './aws-errors';
export { CodeDeployBlueGreen, codeDeployPhase } from './codedeploy-blue-green';
export { EcsNativeBlueGreen, type EcsNativeClients } from './ecs-native-blue-green';
export { ecsDeploymentConfiguration, ecsStrategyOf, ecsLoadBalancers } from './ecs-native-settings';
export { buildAppSpec, taskDefinitionOfAppSpec } from './codedeploy-app-spec';
export { isPredefinedConfig, trafficRoutingOf } from './codedeploy-configs';
export { EcsTaskDefinitions, EcsServices } from './ecs-task-definitions';
export { AwsDiagnostics } from './aws-diagnostics';
export { AwsInfra, type InfraClients } from './aws-infra';
export { HttpSmoke, awsListenerAddress, httpGet, listenerBaseUrl, type ListenerAddressResolver } from './http-smoke';
export { localCloudListenerAddress, localCloudTaskOutput } from './local-cloud-control';

/** The AWS SDK v3 clients the adapters use (as `createAwsClients` in the CLI builds them). */
export interface DeployClients {
  ecs: ECSClient;
  codedeploy: CodeDeployClient;
  elbv2: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
}

/**
 * The controller strategy an environment's `deploy.controller` names, over the AWS SDK: the one place
 * that picks it, for deploy, rollback, status and finish-now alike.
 */
export function createController(
  kind: ControllerKind,
  clients: Pick<DeployClients, 'codedeploy' | 'ecs' | 'elbv2'>,
  context: AwsCallContext = {},
): DeploymentControllerPort {
  switch (kind) {
    case 'codedeploy':
      return new CodeDeployBlueGreen(clients.codedeploy, context);
    case 'ecs':
      return new EcsNativeBlueGreen(clients, context);
  }
}

/** Every deploy port over the AWS SDK, with the controller the environment names (CodeDeploy by default). */
export function createAwsDeployPorts(
  clients: DeployClients,
  options: {
    listenerAddress?: ListenerAddressResolver;
    context?: AwsCallContext;
    taskOutput?: (taskArn: string) => Promise<string[] | undefined>;
    /** The environment's `deploy.controller` (default codedeploy). */
    controller?: ControllerKind;
  } = {},
): DeployPorts {
  const context = options.context ?? {};
  return {
    taskDefinitions: new EcsTaskDefinitions(clients.ecs, context),
    controller: createController(options.controller ?? 'codedeploy', clients, context),
    service: new EcsServices(clients.ecs, context),
    diagnostics: new AwsDiagnostics(clients, context, options.taskOutput),
    smoke: new HttpSmoke(clients.elbv2, options.listenerAddress ?? awsListenerAddress, context),
  };
}

/** Bootstrap's infrastructure port over the AWS SDK. */
export function createAwsInfra(clients: DeployClients, context: AwsCallContext = {}): InfraPort {
  return new AwsInfra(clients, context);
}
