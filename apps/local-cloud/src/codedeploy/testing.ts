/**
 * In-memory stand-ins for the runtime half (ECS, ELBv2) and a controllable CloudTime, so the CodeDeploy engine can be
 * tested without processes or sockets. Exported for anyone who needs the same (e.g. the runtime half's own tests).
 */
import type { CloudTime, EcsControl, EcsServiceView, ElbControl, TaskSetView, WeightedTargetGroup } from '../contract';
import { AwsError } from '../contract';
import { createCloudTime } from '../cloud-time';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** CloudTime whose clock moves only when a test moves it; sleeps resolve in due order. */
export class ManualCloudTime implements CloudTime {
  private current: number;
  private timers: { due: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  constructor(
    start: string | Date = '2026-01-01T00:00:00Z',
    readonly timeScale = 60,
  ) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  scaled(ms: number): number {
    return ms / this.timeScale;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const timer = { due: this.current + Math.max(0, ms), seq: this.seq++, resolve: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }

  /** Number of sleeps not yet due. */
  get pendingSleeps(): number {
    return this.timers.length;
  }

  /** Lets every promise chain that can progress without the clock moving do so. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Moves the clock forward by `ms`, waking each sleeper at its due time, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await this.settle();
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.due > target) break;
      this.fire(next);
      await this.settle();
    }
    this.current = target;
    await this.settle();
  }

  /** Moves the clock from timer to timer until `done()` holds; fails past `maxMs` or when nothing is scheduled. */
  async runUntil(done: () => boolean, maxMs = 7 * 24 * 3600_000): Promise<void> {
    const limit = this.current + maxMs;
    await this.settle();
    while (!done()) {
      const next = this.nextTimer();
      if (!next) throw new Error('ManualCloudTime.runUntil: the condition does not hold and no sleep is pending');
      if (next.due > limit)
        throw new Error(`ManualCloudTime.runUntil: the condition does not hold after ${maxMs} ms of CloudTime`);
      this.fire(next);
      await this.settle();
    }
  }

  private nextTimer(): { due: number; seq: number; resolve: () => void } | undefined {
    return [...this.timers].sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
  }

  private fire(timer: { due: number; resolve: () => void }): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.current = Math.max(this.current, timer.due);
    timer.resolve();
  }
}

/** A real-time CloudTime compressed by `timeScale` (60: one CodeDeploy minute per real second). */
export function scaledCloudTime(timeScale: number): CloudTime {
  return createCloudTime(timeScale);
}

/**
 * How the fake brings up the tasks of a new task set. `needs-listener`: healthy only once some listener of `FakeEcs.elb`
 * forwards to its target group (unused target groups are not health-checked, as in ELB).
 */
export type FakeTaskSetHealth = 'healthy' | 'unhealthy' | 'pending' | 'needs-listener';

interface FakeService extends EcsServiceView {
  containerName: string;
  containerPort: number;
}

/** An in-memory ECS with task sets, for CodeDeploy's tests. Every change is appended to `log`. */
export class FakeEcs implements EcsControl {
  readonly services = new Map<string, FakeService>();
  private readonly taskSets = new Map<string, TaskSetView & { service: string; health?: FakeTaskSetHealth }>();
  /** The load balancer `needs-listener` health asks. */
  elb?: FakeElb;
  private counter = 0;
  /** Health of the next task sets created. */
  nextTaskSetHealth: FakeTaskSetHealth = 'healthy';
  /** When set, createTaskSet throws this as an AwsError. */
  createTaskSetError?: string;
  readonly deleted: string[] = [];
  /** How long deleteTaskSet takes (the target group's deregistration delay), in the clock's time. */
  deregistrationDelayMs = 0;

  constructor(
    readonly log: string[] = [],
    private readonly clock: { now(): Date; sleep?(ms: number): Promise<void> } = { now: () => new Date(0) },
  ) {}

  /** Creates a CODE_DEPLOY service with a healthy PRIMARY task set in `targetGroupArn`. */
  addService(input: {
    clusterName: string;
    serviceName: string;
    taskDefinition: string;
    targetGroupArn: string;
    desiredCount?: number;
    containerName?: string;
    containerPort?: number;
    deploymentController?: EcsServiceView['deploymentController'];
  }): FakeService {
    const key = `${input.clusterName}/${input.serviceName}`;
    const service: FakeService = {
      serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${key}`,
      serviceName: input.serviceName,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${input.clusterName}`,
      clusterName: input.clusterName,
      deploymentController: input.deploymentController ?? 'CODE_DEPLOY',
      desiredCount: input.desiredCount ?? 2,
      taskDefinition: input.taskDefinition,
      loadBalancers: [
        {
          targetGroupArn: input.targetGroupArn,
          containerName: input.containerName ?? 'web',
          containerPort: input.containerPort ?? 8080,
        },
      ],
      taskSets: [],
      containerName: input.containerName ?? 'web',
      containerPort: input.containerPort ?? 8080,
    };
    this.services.set(key, service);
    const primary = this.makeTaskSet(key, input.taskDefinition, input.targetGroupArn, 'healthy');
    primary.status = 'PRIMARY';
    return service;
  }

  getService(clusterName: string, serviceName: string): EcsServiceView | undefined {
    const service = this.services.get(`${clusterName}/${serviceName}`);
    if (!service) return undefined;
    const taskSets = [...this.taskSets.values()]
      .filter((t) => t.service === `${clusterName}/${serviceName}`)
      .map((t) => this.view(t));
    return { ...service, taskSets };
  }

  createTaskSet(input: Parameters<EcsControl['createTaskSet']>[0]): TaskSetView {
    const key = `${input.clusterName}/${input.serviceName}`;
    const service = this.services.get(key);
    if (!service) throw new AwsError('ServiceNotFoundException', `Service not found: ${key}`);
    if (this.createTaskSetError) throw new AwsError('ClientException', this.createTaskSetError);
    if (input.containerName !== service.containerName)
      throw new AwsError(
        'InvalidParameterException',
        `The container ${input.containerName} does not exist in the task definition.`,
      );
    const ts = this.makeTaskSet(
      key,
      input.taskDefinition,
      input.targetGroupArn,
      this.nextTaskSetHealth,
      input.scale,
      input.externalId,
    );
    this.log.push(`ecs.createTaskSet ${input.taskDefinition} -> ${input.targetGroupArn}`);
    return this.view(ts);
  }

  describeTaskSet(taskSetArn: string): TaskSetView | undefined {
    const ts = this.taskSets.get(taskSetArn);
    return ts && this.view(ts);
  }

  setPrimaryTaskSet(clusterName: string, serviceName: string, taskSetArn: string): void {
    const key = `${clusterName}/${serviceName}`;
    const ts = this.taskSets.get(taskSetArn);
    const service = this.services.get(key);
    if (!ts || !service) throw new AwsError('TaskSetNotFoundException', `Task set not found: ${taskSetArn}`);
    for (const other of this.taskSets.values())
      if (other.service === key && other.status === 'PRIMARY') other.status = 'ACTIVE';
    ts.status = 'PRIMARY';
    service.taskDefinition = ts.taskDefinition;
    this.log.push(`ecs.setPrimaryTaskSet ${ts.taskDefinition}`);
  }

  async deleteTaskSet(taskSetArn: string): Promise<void> {
    const ts = this.taskSets.get(taskSetArn);
    if (!ts) throw new AwsError('TaskSetNotFoundException', `Task set not found: ${taskSetArn}`);
    if (this.deregistrationDelayMs > 0 && this.clock.sleep) await this.clock.sleep(this.deregistrationDelayMs);
    this.taskSets.delete(taskSetArn);
    this.deleted.push(taskSetArn);
    this.log.push(`ecs.deleteTaskSet ${ts.taskDefinition}`);
  }

  /** Changes how a task set's targets look to the load balancer (e.g. to make a replacement healthy later). */
  setHealth(taskSetArn: string, health: FakeTaskSetHealth): void {
    const ts = this.taskSets.get(taskSetArn);
    if (ts) Object.assign(ts, { health }, this.counts(ts.computedDesiredCount, health));
  }

  /** The service's task sets, as ECS would list them. */
  taskSetsOf(clusterName: string, serviceName: string): TaskSetView[] {
    return this.getService(clusterName, serviceName)?.taskSets ?? [];
  }

  private makeTaskSet(
    service: string,
    taskDefinition: string,
    targetGroupArn: string,
    health: FakeTaskSetHealth,
    scale = 100,
    externalId?: string,
  ): TaskSetView & { service: string; health?: FakeTaskSetHealth } {
    const id = `ecs-svc/${String(++this.counter).padStart(19, '0')}`;
    const desired = Math.ceil(((this.services.get(service)?.desiredCount ?? 0) * scale) / 100);
    const ts: TaskSetView & { service: string; health?: FakeTaskSetHealth } = {
      service,
      health,
      id,
      taskSetArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-set/${service}/${id}`,
      status: 'ACTIVE',
      taskDefinition,
      ...(externalId !== undefined ? { externalId } : {}),
      scale,
      computedDesiredCount: desired,
      targetGroupArn,
      createdAt: this.clock.now(),
      ...this.counts(desired, health),
    };
    this.taskSets.set(ts.taskSetArn, ts);
    return ts;
  }

  private counts(
    desired: number,
    health: FakeTaskSetHealth,
  ): Pick<
    TaskSetView,
    'runningCount' | 'pendingCount' | 'healthyTargets' | 'unhealthyReasons' | 'stoppedTasks' | 'stabilityStatus'
  > {
    if (health === 'healthy')
      return {
        runningCount: desired,
        pendingCount: 0,
        healthyTargets: desired,
        unhealthyReasons: [],
        stoppedTasks: [],
        stabilityStatus: 'STEADY_STATE',
      };
    if (health === 'needs-listener')
      return {
        runningCount: desired,
        pendingCount: 0,
        healthyTargets: 0,
        unhealthyReasons: Array.from({ length: desired }, () => 'Target.NotInUse'),
        stoppedTasks: [],
        stabilityStatus: 'STABILIZING',
      };
    if (health === 'pending')
      return {
        runningCount: 0,
        pendingCount: desired,
        healthyTargets: 0,
        unhealthyReasons: [],
        stoppedTasks: [],
        stabilityStatus: 'STABILIZING',
      };
    return {
      runningCount: desired,
      pendingCount: 0,
      healthyTargets: 0,
      unhealthyReasons: Array.from({ length: desired }, () => 'Target.ResponseCodeMismatch'),
      stoppedTasks: [
        {
          taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/crashed-1`,
          stoppedReason: 'Essential container in task exited',
          exitCode: 1,
          lastOutput: ['listening on 8080', 'Error: cannot connect to database'],
        },
      ],
      stabilityStatus: 'STABILIZING',
    };
  }

  private view(ts: TaskSetView & { service: string; health?: FakeTaskSetHealth }): TaskSetView {
    const { service: _service, health, ...view } = ts;
    if (health === 'needs-listener' && this.elb?.forwardsTo(ts.targetGroupArn))
      Object.assign(view, this.counts(ts.computedDesiredCount, 'healthy'));
    return { ...view, unhealthyReasons: [...view.unhealthyReasons], stoppedTasks: [...view.stoppedTasks] };
  }
}

/** An in-memory ELBv2 with named target groups and listeners; keeps every weight a listener was given. */
export class FakeElb implements ElbControl {
  private readonly targetGroups = new Map<string, string>();
  private readonly listeners = new Map<string, { port: number; targetGroups: WeightedTargetGroup[] }>();
  /** Every forward action each listener was given, in order. */
  readonly history = new Map<string, WeightedTargetGroup[][]>();

  constructor(readonly log: string[] = []) {}

  addTargetGroup(name: string): string {
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${Buffer.from(name).toString('hex').slice(0, 16).padEnd(16, '0')}`;
    this.targetGroups.set(name, arn);
    return arn;
  }

  addListener(port: number, targetGroupArn: string): string {
    const arn = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/lc/0000000000000000/${String(port).padStart(16, '0')}`;
    this.listeners.set(arn, { port, targetGroups: [{ targetGroupArn, weight: 1 }] });
    this.history.set(arn, []);
    return arn;
  }

  findTargetGroupByName(name: string): { targetGroupArn: string; name: string } | undefined {
    const arn = this.targetGroups.get(name);
    return arn === undefined ? undefined : { targetGroupArn: arn, name };
  }

  getListener(
    listenerArn: string,
  ): { listenerArn: string; port: number; targetGroups: WeightedTargetGroup[] } | undefined {
    const l = this.listeners.get(listenerArn);
    return l && { listenerArn, port: l.port, targetGroups: l.targetGroups.map((t) => ({ ...t })) };
  }

  setListenerWeights(listenerArn: string, targetGroups: WeightedTargetGroup[]): void {
    const l = this.listeners.get(listenerArn);
    if (!l) throw new AwsError('ListenerNotFoundException', `Listener not found: ${listenerArn}`);
    l.targetGroups = targetGroups.map((t) => ({ ...t }));
    this.history.get(listenerArn)?.push(l.targetGroups);
    this.log.push(
      `elb.setListenerWeights :${l.port} ${targetGroups.map((t) => `${this.nameOf(t.targetGroupArn)}=${t.weight}`).join(',')}`,
    );
  }

  /** Whether some listener's forward action names this target group (at any weight). */
  forwardsTo(targetGroupArn: string): boolean {
    return [...this.listeners.values()].some((l) => l.targetGroups.some((t) => t.targetGroupArn === targetGroupArn));
  }

  /** Percent of a listener's traffic that goes to this target group now. */
  share(listenerArn: string, targetGroupArn: string): number {
    const l = this.listeners.get(listenerArn);
    if (!l) return 0;
    const total = l.targetGroups.reduce((s, t) => s + t.weight, 0);
    const mine = l.targetGroups.find((t) => t.targetGroupArn === targetGroupArn)?.weight ?? 0;
    return total === 0 ? 0 : Math.round((mine / total) * 100);
  }

  nameOf(targetGroupArn: string): string {
    for (const [name, arn] of this.targetGroups) if (arn === targetGroupArn) return name;
    return targetGroupArn;
  }
}
