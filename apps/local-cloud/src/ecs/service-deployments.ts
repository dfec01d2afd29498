import { randomBytes } from 'node:crypto';
import { digitId } from '../ids';
import { strategyOf } from './blue-green-config';
import { HaltRequest, retire, runLifecycle, scaleUp, servingRevision } from './blue-green-lifecycle';
import { RollbackRequest } from './lifecycle-hooks';
import type { Service, TaskDefinition } from './model';
import type { NativeContext } from './native-context';
import { routeTraffic } from './native-traffic';
import { isFinished, type ServiceDeployment, type ServiceRevision } from './service-deployment-model';

/** The failed-task threshold of ECS's circuit breaker: half the desired count, at least 3, at most 200. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount / 2)));
}

/**
 * A PAUSE hook still awaiting action when the deployment is stopped or rolled back is over: it is closed as
 * SUCCEEDED (AWS does not document this case; no client can act on it any more).
 */
function closeHooks(dep: ServiceDeployment): void {
  for (const hook of dep.hooks)
    if (hook.status === 'AWAITING_ACTION') {
      hook.status = 'SUCCEEDED';
      hook.resume = undefined;
    }
}

/** ECS-native service deployments and service revisions, and the lifecycle that runs each deployment. */
export class ServiceDeployments {
  readonly deployments = new Map<string, ServiceDeployment>();
  readonly revisions = new Map<string, ServiceRevision>();
  private readonly byService = new Map<string, ServiceDeployment[]>();
  private readonly running = new Set<Promise<void>>();
  private readonly closing = new AbortController();

  constructor(
    readonly ctx: NativeContext,
    private readonly accountId: string,
  ) {}

  /** The service's deployments, newest first. */
  of(service: Service): ServiceDeployment[] {
    return [...(this.byService.get(service.arn) ?? [])].reverse();
  }

  /** Revisions of the service whose tasks run now. */
  runningRevisions(service: Service): ServiceRevision[] {
    return [...this.revisions.values()].filter((r) => r.service === service && r.taskSetArn);
  }

  /** Starts a deployment of `def` (the first one of a new service, or an update); an unfinished one is superseded. */
  start(service: Service, def: TaskDefinition): ServiceDeployment {
    const previous = this.of(service)[0];
    if (previous && !isFinished(previous.status))
      this.halt(previous, `Superseded by a newer deployment of service ${service.name}.`);
    this.adoptPrimary(service);
    const region = service.arn.split(':')[3]!;
    const now = this.ctx.time.now();
    const config = (service.fields['deploymentConfiguration'] ?? {}) as Record<string, unknown>;
    const alarms = (config['alarms'] ?? {}) as { alarmNames?: string[]; enable?: boolean };
    const breaker = (config['deploymentCircuitBreaker'] ?? {}) as { enable?: boolean };
    const dep: ServiceDeployment = {
      arn: `arn:aws:ecs:${region}:${this.accountId}:service-deployment/${service.clusterName}/${service.name}/${randomBytes(16).toString('base64url')}`,
      service,
      strategy: strategyOf(config),
      createdAt: now,
      startedAt: undefined,
      finishedAt: undefined,
      stoppedAt: undefined,
      updatedAt: now,
      source: this.runningRevisions(service),
      target: this.newRevision(service, def, region),
      status: 'PENDING',
      statusReason: undefined,
      lifecycleStage: undefined,
      hooks: [],
      configuration: structuredClone(config),
      rollback: undefined,
      circuitBreaker: {
        status: breaker.enable ? 'MONITORING' : 'DISABLED',
        failureCount: 0,
        threshold: circuitBreakerThreshold(service.desiredCount),
      },
      alarms: {
        status: alarms.enable && alarms.alarmNames?.length ? 'MONITORING' : 'DISABLED',
        alarmNames: alarms.alarmNames ?? [],
        triggeredAlarmNames: [],
      },
      controller: new AbortController(),
    };
    this.deployments.set(dep.arn, dep);
    this.byService.set(service.arn, [...(this.byService.get(service.arn) ?? []), dep]);
    service.taskDefinitionArn = def.arn;
    this.track(this.run(dep));
    return dep;
  }

  /** Rolls back at once while the source revision runs: traffic returns to it now, the target drains after. */
  rollback(dep: ServiceDeployment, reason: string): void {
    if (isFinished(dep.status) || dep.status.startsWith('ROLLBACK')) return;
    const blue = servingRevision(dep);
    if (!blue) return this.halt(dep, reason);
    dep.controller.abort();
    closeHooks(dep);
    dep.status = 'ROLLBACK_REQUESTED';
    dep.statusReason = reason;
    dep.rollback = { reason, startedAt: this.ctx.time.now(), serviceRevisionArn: blue.arn };
    dep.updatedAt = this.ctx.time.now();
    if (blue.taskSetArn && this.ctx.control.describeTaskSet(blue.taskSetArn)) this.restore(dep, blue);
    this.track(this.finishRollback(dep, blue));
  }

  /** Ends a deployment where it is (StopServiceDeployment ABORT, a failure without rollback, a newer deployment). */
  halt(dep: ServiceDeployment, reason: string): void {
    if (isFinished(dep.status) || dep.status === 'STOP_REQUESTED') return;
    dep.controller.abort();
    closeHooks(dep);
    dep.status = 'STOP_REQUESTED';
    dep.statusReason = reason;
    dep.updatedAt = this.ctx.time.now();
    this.track(
      Promise.resolve().then(() => {
        dep.status = 'STOPPED';
        dep.stoppedAt = dep.updatedAt = this.ctx.time.now();
        this.completeMonitors(dep);
      }),
    );
  }

  /** Ends the deployments of a service being deleted. */
  serviceDeleted(service: Service): void {
    for (const dep of this.of(service)) this.halt(dep, `Service ${service.name} was deleted.`);
  }

  /** Stops every lifecycle and waits for them. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const dep of this.deployments.values()) dep.controller.abort();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private newRevision(service: Service, def: TaskDefinition, region: string): ServiceRevision {
    const revision: ServiceRevision = {
      arn: `arn:aws:ecs:${region}:${this.accountId}:service-revision/${service.clusterName}/${service.name}/${digitId(19)}`,
      service,
      taskDefinitionArn: def.arn,
      loadBalancers: service.loadBalancers.map((lb) => structuredClone(lb)),
      networkConfiguration: service.fields['networkConfiguration'],
      platformVersion: service.fields['platformVersion'] as string | undefined,
      containerImages: def.containers.map((c) => ({
        containerName: c.name,
        image: c.image,
        imageDigest: /@(sha256:[0-9a-f]{64})$/.exec(c.image)?.[1],
      })),
      createdAt: this.ctx.time.now(),
      targetGroupArn: undefined,
      taskSetArn: undefined,
      productionWeight: 0,
      testWeight: 0,
    };
    this.revisions.set(revision.arn, revision);
    return revision;
  }

  /** A service that ran rolling deployments has a primary deployment but no revision: it becomes the source. */
  private adoptPrimary(service: Service): void {
    if (this.runningRevisions(service).length > 0) return;
    const primary = service.groups.find((g) => g.status === 'PRIMARY');
    if (!primary) return;
    primary.kind = 'taskSet';
    primary.scale = 100;
    for (const g of service.groups)
      if (g !== primary) void this.ctx.ecs.drainGroup(g, 'Replaced by a service revision');
    const revision = this.newRevision(
      service,
      this.ctx.ecs.taskDefinition(primary.taskDefinitionArn),
      service.arn.split(':')[3]!,
    );
    revision.taskSetArn = primary.arn;
    revision.targetGroupArn = primary.loadBalancer?.targetGroupArn;
    // The listener rules now carry both target groups, so that the next revision's targets are health-checked.
    routeTraffic(this.ctx, service, [{ revision, production: 100, test: 100 }]);
  }

  private restore(dep: ServiceDeployment, blue: ServiceRevision): void {
    routeTraffic(this.ctx, dep.service, [
      { revision: blue, production: 100, test: 100 },
      { revision: dep.target, production: 0, test: 0 },
    ]);
    this.ctx.control.setPrimaryTaskSet(dep.service.clusterName, dep.service.name, blue.taskSetArn!);
  }

  private async run(dep: ServiceDeployment): Promise<void> {
    const watcher = new AbortController();
    try {
      await Promise.resolve();
      if (dep.controller.signal.aborted) return;
      void this.track(this.watchAlarms(dep, AbortSignal.any([watcher.signal, dep.controller.signal])));
      await runLifecycle(this.ctx, dep);
      if (dep.controller.signal.aborted) return;
      dep.status = 'SUCCESSFUL';
      dep.finishedAt = dep.updatedAt = this.ctx.time.now();
      this.completeMonitors(dep);
      const group = dep.service.groups.find((g) => g.arn === dep.target.taskSetArn);
      if (group) group.rolloutState = 'COMPLETED';
    } catch (error) {
      if (dep.controller.signal.aborted) return;
      const message = (error as Error).message;
      if (error instanceof HaltRequest) this.halt(dep, message);
      else
        this.rollback(dep, error instanceof RollbackRequest ? message : `local-cloud ECS deployment error: ${message}`);
    } finally {
      watcher.abort();
    }
  }

  private async finishRollback(dep: ServiceDeployment, blue: ServiceRevision): Promise<void> {
    await Promise.resolve();
    dep.status = 'ROLLBACK_IN_PROGRESS';
    dep.updatedAt = this.ctx.time.now();
    const signal = this.closing.signal;
    const relaunch = !blue.taskSetArn;
    try {
      if (relaunch) {
        // The source revision was already cleaned up: start it again, then move traffic back to it.
        await scaleUp(this.ctx, undefined, blue, blue.targetGroupArn, (ms) => this.ctx.time.sleep(ms, signal));
        this.restore(dep, blue);
      }
      await retire(this.ctx, dep.target);
      dep.status = 'ROLLBACK_SUCCESSFUL';
    } catch (error) {
      if (signal.aborted) return;
      // Traffic never left the target revision: it keeps serving, and the source's failed restart is scaled in.
      if (relaunch) await retire(this.ctx, blue).catch(() => undefined);
      dep.status = 'ROLLBACK_FAILED';
      dep.statusReason = `${dep.statusReason ?? ''} The rollback failed: ${(error as Error).message}`.trim();
    }
    dep.finishedAt = dep.updatedAt = this.ctx.time.now();
    this.completeMonitors(dep);
  }

  private async watchAlarms(dep: ServiceDeployment, signal: AbortSignal): Promise<void> {
    if (dep.alarms.status !== 'MONITORING') return;
    const rollback = (dep.configuration['alarms'] as { rollback?: boolean }).rollback ?? false;
    for (;;) {
      if (signal.aborted || isFinished(dep.status)) return;
      const firing = this.ctx.alarms.alarmsInAlarm(dep.alarms.alarmNames);
      if (firing.length > 0 && dep.lifecycleStage !== 'CLEAN_UP') {
        dep.alarms.status = 'TRIGGERED';
        dep.alarms.triggeredAlarmNames = firing;
        const reason = `CloudWatch alarm(s) ${firing.join(', ')} went into ALARM during the deployment.`;
        return rollback ? this.rollback(dep, reason) : this.halt(dep, reason);
      }
      try {
        await this.ctx.time.sleep(this.ctx.options.alarmPollRealMs * this.ctx.time.timeScale, signal);
      } catch {
        return;
      }
    }
  }

  private completeMonitors(dep: ServiceDeployment): void {
    for (const m of [dep.alarms, dep.circuitBreaker]) if (m.status === 'MONITORING') m.status = 'MONITORING_COMPLETE';
  }

  private track(work: Promise<void>): Promise<void> {
    const guarded = work.catch(() => undefined);
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
    return guarded;
  }
}
