import { AwsError, type EcsControl, type EcsServiceView, type StoppedTaskView, type TaskSetView } from '../contract';
import type { Ecs } from './ecs';
import type { Service, Task, TaskGroup } from './model';

/** EcsControl over the same state the ECS API serves. */
export function createEcsControl(ecs: Ecs): EcsControl {
  const findGroup = (taskSetArn: string): { service: Service; group: TaskGroup } | undefined => {
    for (const service of ecs.services.values()) {
      const group = service.groups.find((g) => g.kind === 'taskSet' && g.arn === taskSetArn);
      if (group) return { service, group };
    }
    return undefined;
  };
  const view = (service: Service, group: TaskGroup): TaskSetView => taskSetControlView(ecs, service, group);

  return {
    getService(clusterName, serviceName) {
      if (!ecs.clusters.has(clusterName)) return undefined;
      const service = ecs.findService(clusterName, serviceName);
      if (!service || service.status === 'INACTIVE') return undefined;
      const s: EcsServiceView = {
        serviceArn: service.arn,
        serviceName: service.name,
        clusterArn: service.clusterArn,
        clusterName: service.clusterName,
        deploymentController: service.deploymentController,
        desiredCount: service.desiredCount,
        taskDefinition: service.taskDefinitionArn,
        loadBalancers: service.loadBalancers.map((lb) => ({ ...lb })),
        taskSets: service.groups.filter((g) => g.kind === 'taskSet').map((g) => view(service, g)),
      };
      return s;
    },

    createTaskSet(input) {
      const service = ecs.findService(input.clusterName, input.serviceName);
      if (!service || service.status !== 'ACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const def = ecs.taskDefinition(input.taskDefinition);
      if (!ecs.deps.elb.targetGroups.has(input.targetGroupArn))
        throw new AwsError(
          'InvalidParameterException',
          'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
        );
      const container = def.containers.find((c) => c.name === input.containerName);
      if (!container)
        throw new AwsError(
          'InvalidParameterException',
          `The container ${input.containerName} does not exist in the task definition.`,
        );
      if (!container.portMappings.some((p) => p.containerPort === input.containerPort))
        throw new AwsError(
          'InvalidParameterException',
          `The container ${input.containerName} did not have a container port ${input.containerPort} defined.`,
        );
      if (!(input.scale >= 0 && input.scale <= 100))
        throw new AwsError('InvalidParameterException', `Scale value must be between 0 and 100; found ${input.scale}.`);
      const group = ecs.addGroup(
        service,
        {
          kind: 'taskSet',
          status: 'ACTIVE',
          taskDefinitionArn: def.arn,
          loadBalancer: {
            targetGroupArn: input.targetGroupArn,
            containerName: input.containerName,
            containerPort: input.containerPort,
          },
          scale: input.scale,
          ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
        },
        service.arn.split(':')[3]!,
      );
      return view(service, group);
    },

    describeTaskSet(taskSetArn) {
      const found = findGroup(taskSetArn);
      return found ? view(found.service, found.group) : undefined;
    },

    setPrimaryTaskSet(clusterName, serviceName, taskSetArn) {
      const service = ecs.findService(clusterName, serviceName);
      if (!service || service.status !== 'ACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const group = service.groups.find((g) => g.kind === 'taskSet' && g.arn === taskSetArn);
      if (!group) throw new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.');
      for (const g of service.groups) if (g.status === 'PRIMARY' && g !== group) g.status = 'ACTIVE';
      group.status = 'PRIMARY';
      group.updatedAt = new Date();
      service.taskDefinitionArn = group.taskDefinitionArn;
    },

    async deleteTaskSet(taskSetArn) {
      const found = findGroup(taskSetArn);
      if (!found) throw new AwsError('TaskSetNotFoundException', 'The specified task set does not exist.');
      await ecs.drainGroup(found.group, `Task set ${found.group.id} is being deleted`);
      found.service.groups = found.service.groups.filter((g) => g !== found.group);
    },
  };
}

/** The contract's view of a task set (counts, target health, stopped tasks with their last output). */
export function taskSetControlView(ecs: Ecs, service: Service, group: TaskGroup): TaskSetView {
  const desired = ecs.desiredOf(service, group);
  const live = group.tasks.filter((t) => t.desiredStatus === 'RUNNING');
  const running = live.filter((t) => t.lastStatus === 'RUNNING').length;
  const pending = live.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING').length;
  const healthy = ecs.healthyCount(group);
  const tg = group.loadBalancer ? ecs.deps.elb.targetGroups.get(group.loadBalancer.targetGroupArn) : undefined;
  const unhealthyReasons: string[] = [];
  for (const task of live) {
    if (!task.target || !tg) continue;
    const target = tg.targets.get(`127.0.0.1:${task.target.port}`);
    if (target && target.state !== 'healthy' && target.reason) unhealthyReasons.push(target.reason);
  }
  return {
    id: group.id,
    taskSetArn: group.arn,
    status: group.status === 'INACTIVE' ? 'DRAINING' : group.status,
    taskDefinition: group.taskDefinitionArn,
    ...(group.externalId !== undefined ? { externalId: group.externalId } : {}),
    scale: group.scale,
    computedDesiredCount: desired,
    pendingCount: pending,
    runningCount: running,
    stabilityStatus: running === desired && pending === 0 && healthy === desired ? 'STEADY_STATE' : 'STABILIZING',
    targetGroupArn: group.loadBalancer?.targetGroupArn ?? '',
    healthyTargets: healthy,
    unhealthyReasons,
    stoppedTasks: group.stoppedTasks.map(stoppedView),
    createdAt: group.createdAt,
  };
}

function stoppedView(task: Task): StoppedTaskView {
  const essential = task.containers.find((c) => c.def.essential) ?? task.containers[0];
  return {
    taskArn: task.arn,
    stoppedReason: task.stoppedReason ?? '',
    ...(essential?.exitCode !== undefined ? { exitCode: essential.exitCode } : {}),
    lastOutput: task.containers.flatMap((c) => c.process?.output.snapshot() ?? []),
  };
}
