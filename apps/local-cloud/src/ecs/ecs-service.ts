import type { JsonServiceBinding } from '../server/json-protocol';
import type { Ecs } from './ecs';
import { definitionOperations } from './ecs-api-definitions';
import { serviceOperations } from './ecs-api-services';
import { serviceDeploymentOperations } from './ecs-api-service-deployments';
import type { ServiceDeployments } from './service-deployments';
import { taskOperations } from './ecs-api-tasks';

/** The ECS JSON 1.1 binding over an Ecs state. */
export function ecsBinding(ecs: Ecs, defaultRegion: string, deployments: ServiceDeployments): JsonServiceBinding {
  return {
    name: 'ecs',
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    jsonVersion: '1.1',
    api: {
      ...definitionOperations(ecs, defaultRegion),
      ...serviceOperations(ecs, defaultRegion, deployments),
      ...serviceDeploymentOperations(ecs, deployments),
      ...taskOperations(ecs),
    },
  };
}
