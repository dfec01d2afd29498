import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import type {
  RegisteredTaskDefinition,
  ServicePort,
  ServiceView,
  TaskDefinitionInput,
  TaskDefinitionPort,
} from '../ports';
import { awsCall, awsErrorName, translateAwsError, type AwsCallContext } from './aws-errors';

function registeredView(def: {
  taskDefinitionArn?: string;
  family?: string;
  revision?: number;
  containerDefinitions?: ContainerDefinition[];
}): RegisteredTaskDefinition {
  return {
    arn: def.taskDefinitionArn ?? '',
    family: def.family ?? '',
    revision: def.revision ?? 0,
    containers: (def.containerDefinitions ?? []).map((c) => ({
      name: c.name ?? '',
      image: c.image ?? '',
      environment: Object.fromEntries((c.environment ?? []).map((e) => [e.name ?? '', e.value ?? ''])),
    })),
  };
}

/** Task definitions through ECS. */
export class EcsTaskDefinitions implements TaskDefinitionPort {
  constructor(
    private readonly client: ECSClient,
    private readonly context: AwsCallContext = {},
  ) {}

  async register(definition: TaskDefinitionInput): Promise<RegisteredTaskDefinition> {
    const out = await awsCall('ECS RegisterTaskDefinition', this.context, () =>
      this.client.send(new RegisterTaskDefinitionCommand(definition as unknown as RegisterTaskDefinitionCommandInput)),
    );
    return registeredView(out.taskDefinition ?? {});
  }

  async describe(arn: string): Promise<RegisteredTaskDefinition | undefined> {
    try {
      const out = await this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
      return out.taskDefinition ? registeredView(out.taskDefinition) : undefined;
    } catch (error) {
      // ECS answers ClientException ("Unable to describe task definition") for one that does not exist.
      if (awsErrorName(error) === 'ClientException') return undefined;
      throw translateAwsError(error, 'ECS DescribeTaskDefinition', this.context);
    }
  }
}

/** The ECS service as deploys see it. */
export class EcsServices implements ServicePort {
  constructor(
    private readonly client: ECSClient,
    private readonly context: AwsCallContext = {},
  ) {}

  async describe(cluster: string, service: string): Promise<ServiceView | undefined> {
    try {
      const out = await this.client.send(new DescribeServicesCommand({ cluster, services: [service] }));
      const found = out.services?.find((s) => s.status === 'ACTIVE' || s.status === 'DRAINING');
      if (!found || found.status !== 'ACTIVE') return undefined;
      return {
        ...(found.taskDefinition ? { taskDefinitionArn: found.taskDefinition } : {}),
        desiredCount: found.desiredCount ?? 0,
        runningCount: found.runningCount ?? 0,
      };
    } catch (error) {
      if (awsErrorName(error) === 'ClusterNotFoundException') return undefined;
      throw translateAwsError(error, 'ECS DescribeServices', this.context);
    }
  }
}
