import type { Ecs } from './ecs';
import type { Cluster, Service, Task, TaskDefinition, TaskGroup } from './model';
import { serviceDeploymentFields } from './service-deployment-views';

/** A cluster as DescribeClusters answers it. */
export function clusterView(cluster: Cluster, ecs: Ecs): Record<string, unknown> {
  const tasks = [...ecs.tasks.values()].filter((t) => t.clusterName === cluster.name && t.lastStatus !== 'STOPPED');
  const services = [...ecs.services.values()].filter((s) => s.clusterName === cluster.name && s.status === 'ACTIVE');
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING').length,
    activeServicesCount: services.length,
    statistics: [],
    tags: cluster.tags,
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

/** A task definition as DescribeTaskDefinition answers it. */
export function taskDefinitionView(def: TaskDefinition): Record<string, unknown> {
  return {
    ...def.fields,
    taskDefinitionArn: def.arn,
    family: def.family,
    revision: def.revision,
    status: def.status,
    containerDefinitions: def.containers.map((c) => c.raw),
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [],
    registeredAt: def.registeredAt,
    deregisteredAt: def.deregisteredAt,
  };
}

function counts(group: TaskGroup): { runningCount: number; pendingCount: number } {
  const live = group.tasks.filter((t) => t.desiredStatus === 'RUNNING');
  return {
    runningCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: live.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING').length,
  };
}

/** An ECS-controller deployment of a service. */
export function deploymentView(service: Service, group: TaskGroup, ecs: Ecs): Record<string, unknown> {
  const failedTasks = group.stoppedTasks.filter(
    (t) => t.stopCode === 'EssentialContainerExited' || t.stopCode === 'TaskFailedToStart',
  ).length;
  return {
    id: group.id,
    status: group.status,
    taskDefinition: group.taskDefinitionArn,
    desiredCount: ecs.desiredOf(service, group),
    ...counts(group),
    failedTasks,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
    launchType: service.launchType,
    rolloutState: group.rolloutState,
    rolloutStateReason:
      group.rolloutState === 'COMPLETED'
        ? 'ECS deployment ' + group.id + ' completed.'
        : 'ECS deployment ' + group.id + ' in progress.',
  };
}

/** A task set, as DescribeTaskSets and DescribeServices answer it. */
export function taskSetView(service: Service, group: TaskGroup, ecs: Ecs): Record<string, unknown> {
  const desired = ecs.desiredOf(service, group);
  const { runningCount, pendingCount } = counts(group);
  const steady = runningCount === desired && pendingCount === 0 && ecs.healthyCount(group) === desired;
  return {
    id: group.id,
    taskSetArn: group.arn,
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    startedBy: group.externalId ? 'CodeDeploy' : undefined,
    externalId: group.externalId,
    status: group.status,
    taskDefinition: group.taskDefinitionArn,
    computedDesiredCount: desired,
    pendingCount,
    runningCount,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
    launchType: service.launchType,
    loadBalancers: group.loadBalancer ? [group.loadBalancer] : [],
    serviceRegistries: [],
    scale: { value: group.scale, unit: 'PERCENT' },
    stabilityStatus: steady ? 'STEADY_STATE' : 'STABILIZING',
    stabilityStatusAt: group.updatedAt,
    tags: [],
  };
}

/** A service as DescribeServices answers it. */
export function serviceView(service: Service, ecs: Ecs): Record<string, unknown> {
  const groups = service.groups.map((g) => counts(g));
  const taskSetsShown = service.deploymentController !== 'ECS';
  return {
    ...service.fields,
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: groups.reduce((s, g) => s + g.runningCount, 0),
    pendingCount: groups.reduce((s, g) => s + g.pendingCount, 0),
    launchType: service.launchType,
    taskDefinition: service.taskDefinitionArn,
    deployments: taskSetsShown ? [] : service.groups.map((g) => deploymentView(service, g, ecs)),
    taskSets: taskSetsShown ? service.groups.map((g) => taskSetView(service, g, ecs)) : undefined,
    events: service.events,
    createdAt: service.createdAt,
    deploymentController: { type: service.deploymentController },
    ...(ecs.serviceDeployments ? serviceDeploymentFields(ecs, ecs.serviceDeployments, service) : {}),
    schedulingStrategy: 'REPLICA',
    createdBy: 'arn:aws:iam::000000000000:root',
    tags: service.tags,
  };
}

/** A task as DescribeTasks answers it. */
export function taskView(task: Task): Record<string, unknown> {
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    startedBy: task.startedBy,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    launchType: task.launchType,
    createdAt: task.createdAt,
    pullStartedAt: task.startedAt ? task.createdAt : undefined,
    pullStoppedAt: task.startedAt,
    startedAt: task.startedAt,
    stoppingAt: task.stoppingAt,
    stoppedAt: task.stoppedAt,
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    connectivity: task.startedAt ? 'CONNECTED' : undefined,
    healthStatus: 'UNKNOWN',
    version: task.version,
    availabilityZone: 'local-cloud-1a',
    tags: task.tags,
    attachments: [],
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [] },
    containers: task.containers.map((c) => ({
      containerArn: c.arn,
      taskArn: task.arn,
      name: c.def.name,
      image: c.def.image,
      imageDigest: task.imageDigest,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      healthStatus: 'UNKNOWN',
      networkBindings:
        c.hostPort !== undefined && c.def.portMappings[0]
          ? [
              {
                bindIP: '127.0.0.1',
                containerPort: c.def.portMappings[0].containerPort,
                hostPort: c.hostPort,
                protocol: 'tcp',
              },
            ]
          : [],
      networkInterfaces: [],
    })),
  };
}
