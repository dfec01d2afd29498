import { AwsError } from '../contract';
import type { Elb } from '../elb/elb';
import type { Faults } from '../faults/faults';
import { digitId } from '../ids';
import type { ImageStore } from '../runtime/image-store';
import type { Cluster, Service, ServiceLoadBalancer, Task, TaskDefinition, TaskGroup } from './model';
import type { ServiceDeployments } from './service-deployments';
import { newTask, TaskRunner } from './task-runner';

/** What the ECS half needs. */
export interface EcsDeps {
  accountId: string;
  images: ImageStore;
  elb: Elb;
  faults: Faults;
  outputLines?: number;
  /** How often the scheduler reconciles desired counts (real ms). */
  schedulerIntervalMs?: number;
}

const STOPPED_KEPT_PER_GROUP = 20;
const STOPPED_KEPT_TOTAL = 1000;
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 10_000;

/** ECS state and its service scheduler: clusters, task definitions, services, task groups, tasks. */
export class Ecs {
  readonly clusters = new Map<string, Cluster>();
  readonly taskDefinitions = new Map<string, TaskDefinition[]>();
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  readonly runner: TaskRunner;
  /** Service deployments and revisions (set once they are created, as they need the rest of local-cloud). */
  serviceDeployments: ServiceDeployments | undefined;
  private groupOfTask = new Map<string, TaskGroup>();
  private timer: NodeJS.Timeout;
  private stoppedOrder: string[] = [];

  constructor(readonly deps: EcsDeps) {
    this.runner = new TaskRunner({
      images: deps.images,
      elb: deps.elb,
      faults: deps.faults,
      outputLines: deps.outputLines ?? 200,
      closeStopTimeoutMs: 5_000,
      onStopped: (task) => this.onTaskStopped(task),
      onRunning: () => {},
    });
    this.timer = setInterval(() => this.reconcileAll(), deps.schedulerIntervalMs ?? 200);
    this.timer.unref();
  }

  /** The cluster by name or ARN, or ClusterNotFoundException. */
  cluster(ref: string | undefined): Cluster {
    const name = (ref ?? 'default').split('/').pop()!;
    const cluster = this.clusters.get(name);
    if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  /** The ACTIVE or DRAINING service by name or ARN in a cluster, or undefined. */
  findService(clusterName: string, ref: string): Service | undefined {
    const name = ref.split('/').pop()!;
    return this.services.get(`${clusterName}/${name}`);
  }

  /** The service, or ServiceNotFoundException (an INACTIVE service counts as not found for changes). */
  service(clusterName: string, ref: string): Service {
    const service = this.findService(clusterName, ref);
    if (!service || service.status === 'INACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
    return service;
  }

  /** Resolves `family`, `family:revision` or a task definition ARN; `ClientException` when unknown. */
  taskDefinition(ref: string): TaskDefinition {
    const short = ref.includes(':task-definition/') ? ref.split(':task-definition/')[1]! : ref;
    const [family, rev] = short.split(':');
    const revisions = this.taskDefinitions.get(family ?? '') ?? [];
    const def =
      rev === undefined ? [...revisions].reverse().find((d) => d.status === 'ACTIVE') : revisions[Number(rev) - 1];
    if (!def) throw new AwsError('ClientException', 'Unable to describe task definition.');
    return def;
  }

  /** A new deployment or task set of a service, its tasks started by the next reconcile. */
  addGroup(
    service: Service,
    input: {
      kind: TaskGroup['kind'];
      status: TaskGroup['status'];
      taskDefinitionArn: string;
      loadBalancer: ServiceLoadBalancer | undefined;
      scale: number;
      externalId?: string;
    },
    region: string,
  ): TaskGroup {
    const id = `ecs-svc/${digitId(19)}`;
    const arn =
      input.kind === 'taskSet'
        ? `arn:aws:ecs:${region}:${this.deps.accountId}:task-set/${service.clusterName}/${service.name}/${id}`
        : id;
    const now = new Date();
    const group: TaskGroup = {
      kind: input.kind,
      id,
      arn,
      status: input.status,
      taskDefinitionArn: input.taskDefinitionArn,
      scale: input.scale,
      desiredOverride: undefined,
      loadBalancer: input.loadBalancer,
      externalId: input.externalId,
      tasks: [],
      stoppedTasks: [],
      createdAt: now,
      updatedAt: now,
      failures: 0,
      nextStartAt: 0,
      rolloutState: 'IN_PROGRESS',
    };
    service.groups.push(group);
    this.reconcile(service);
    return group;
  }

  /** Tasks a group wants now. */
  desiredOf(service: Service, group: TaskGroup): number {
    if (service.status !== 'ACTIVE' || group.status === 'DRAINING' || group.status === 'INACTIVE') return 0;
    if (group.kind === 'taskSet') return Math.ceil((service.desiredCount * group.scale) / 100);
    return group.status === 'PRIMARY' ? service.desiredCount : (group.desiredOverride ?? 0);
  }

  /** Tasks of a group that are running and, when load balanced, healthy in their target group. */
  healthyCount(group: TaskGroup): number {
    return group.tasks.filter((t) => this.isHealthy(t, group)).length;
  }

  /** Whether one task counts as healthy for its group. */
  isHealthy(task: Task, group: TaskGroup): boolean {
    if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return false;
    if (!group.loadBalancer) return true;
    if (!task.target) return false;
    const target = this.deps.elb.targetGroups
      .get(task.target.targetGroupArn)
      ?.targets.get(`127.0.0.1:${task.target.port}`);
    return target?.state === 'healthy' || target?.state === 'unavailable';
  }

  /** The target-group state of a task's target, if it is registered. */
  targetState(task: Task): string | undefined {
    if (!task.target) return undefined;
    return this.deps.elb.targetGroups.get(task.target.targetGroupArn)?.targets.get(`127.0.0.1:${task.target.port}`)
      ?.state;
  }

  /** Stops every task of a group (draining targets first) and resolves once they are all STOPPED. */
  async drainGroup(group: TaskGroup, reason: string): Promise<void> {
    group.status = 'DRAINING';
    group.updatedAt = new Date();
    await Promise.all(group.tasks.map((t) => this.runner.stop(t, reason)));
    await this.waitStopped(group);
  }

  /** Resolves when a group has no live tasks. */
  async waitStopped(group: TaskGroup): Promise<void> {
    while (group.tasks.some((t) => t.lastStatus !== 'STOPPED')) await new Promise((r) => setTimeout(r, 50));
  }

  /** Runs the scheduler over every service at once (also on a timer). */
  reconcileAll(): void {
    for (const service of this.services.values()) this.reconcile(service);
  }

  /** Brings one service's groups to their desired counts: starts missing tasks (after a crash backoff), stops extra ones. */
  reconcile(service: Service): void {
    const now = Date.now();
    const primary = service.groups.find((g) => g.status === 'PRIMARY');
    // ECS-native blue/green, linear and canary deployments run their revisions as task sets; only rolling
    // deployments are replaced here.
    if (service.deploymentController === 'ECS' && primary?.kind === 'deployment') {
      // Rolling replacement: old deployments shrink as the primary's tasks get healthy (minimumHealthyPercent 100).
      const healthyPrimary = this.healthyCount(primary);
      for (const g of service.groups)
        if (g !== primary)
          g.desiredOverride = Math.min(
            g.desiredOverride ?? service.desiredCount,
            Math.max(0, service.desiredCount - healthyPrimary),
          );
      service.groups = service.groups.filter(
        (g) => g === primary || g.tasks.length > 0 || (g.desiredOverride ?? 0) > 0,
      );
      primary.rolloutState =
        service.groups.length === 1 && healthyPrimary >= service.desiredCount ? 'COMPLETED' : 'IN_PROGRESS';
    }
    const graceMs = Number(service.fields.healthCheckGracePeriodSeconds ?? 0) * 1000;
    for (const group of service.groups) {
      for (const t of group.tasks) {
        if (
          t.lastStatus === 'RUNNING' &&
          t.startedAt &&
          now - t.startedAt.getTime() > 5_000 &&
          this.isHealthy(t, group)
        )
          group.failures = 0;
        // As ECS does: a task its target group reports unhealthy is replaced once the grace period is over.
        if (
          t.desiredStatus === 'RUNNING' &&
          t.target &&
          t.startedAt &&
          now - t.startedAt.getTime() >= graceMs &&
          this.targetState(t) === 'unhealthy'
        ) {
          group.failures++;
          group.nextStartAt = now + Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (group.failures - 1));
          void this.runner.stop(t, `Task failed ELB health checks in (target-group ${t.target.targetGroupArn})`);
        }
      }
      const live = group.tasks.filter((t) => t.desiredStatus === 'RUNNING');
      const desired = this.desiredOf(service, group);
      if (live.length > desired) {
        for (const t of live.slice(desired))
          void this.runner.stop(t, `Scaling activity initiated by (deployment ${group.id})`);
      } else if (live.length < desired && now >= group.nextStartAt && service.status === 'ACTIVE') {
        for (let i = live.length; i < desired; i++) this.startTask(service, group);
      }
    }
  }

  /** Stops every task now (local-cloud is closing). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.runner.beginClose();
    const live = [...this.tasks.values()].filter((t) => t.lastStatus !== 'STOPPED');
    await Promise.all(live.map((t) => this.runner.stop(t, 'local-cloud stopped', 'UserInitiated')));
    for (const t of live) while (t.lastStatus !== 'STOPPED') await new Promise((r) => setTimeout(r, 20));
  }

  /** The group a task belongs to. */
  groupOf(taskArn: string): TaskGroup | undefined {
    return this.groupOfTask.get(taskArn);
  }

  private startTask(service: Service, group: TaskGroup): void {
    const def = this.taskDefinition(group.taskDefinitionArn);
    const region = service.arn.split(':')[3]!;
    const task = newTask({
      region,
      accountId: this.deps.accountId,
      clusterName: service.clusterName,
      def,
      group: `service:${service.name}`,
      startedBy: group.id,
      launchType: service.launchType,
    });
    this.tasks.set(task.arn, task);
    this.groupOfTask.set(task.arn, group);
    group.tasks.push(task);
    service.events.unshift({
      id: digitId(8),
      createdAt: new Date(),
      message: `(service ${service.name}) has started 1 tasks: (task ${task.id}).`,
    });
    service.events.length = Math.min(service.events.length, 100);
    void this.runner.start(task, def, group.loadBalancer).catch((e: unknown) => {
      void this.runner.stop(task, `local-cloud could not start the task: ${(e as Error).message}`, 'TaskFailedToStart');
    });
  }

  private onTaskStopped(task: Task): void {
    const group = this.groupOfTask.get(task.arn);
    if (group) {
      group.tasks = group.tasks.filter((t) => t !== task);
      group.stoppedTasks.unshift(task);
      group.stoppedTasks.length = Math.min(group.stoppedTasks.length, STOPPED_KEPT_PER_GROUP);
      if (task.stopCode === 'EssentialContainerExited' || task.stopCode === 'TaskFailedToStart') {
        group.failures++;
        group.nextStartAt = Date.now() + Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (group.failures - 1));
      }
    }
    this.stoppedOrder.push(task.arn);
    while (this.stoppedOrder.length > STOPPED_KEPT_TOTAL) {
      const old = this.stoppedOrder.shift()!;
      this.tasks.delete(old);
      this.groupOfTask.delete(old);
    }
  }
}
