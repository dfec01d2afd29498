import type { TaskSetView } from '../contract';
import { healthPollMs, splitWeights, waitReplacementHealthy } from '../bluegreen/index';
import { trafficSteps } from './deployment-configs';
import type { EngineContext } from './engine-context';
import { beginEvent, DeploymentFailure, endEvent, isAbort } from './engine-context';
import type { DeploymentRecord, EcsLifecycleEventName, TaskSetRef } from './model';
import { isComplete } from './model';
import { describeUnhealthy } from './unhealthy-report';
import type { StopOutcome } from './stop-deployment';
import { markComplete, stopDeployment } from './stop-deployment';

const MINUTE = 60_000;

/** Runs CodeDeploy's ECS blue/green lifecycle for each deployment, in CodeDeploy time. */
export class DeploymentEngine {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly ctx: EngineContext) {}

  /** Starts the lifecycle in the background. */
  start(rec: DeploymentRecord): void {
    this.track(this.run(rec));
  }

  /** Ends a deployment that is not complete (StopDeployment, alarm, failure, timeout). */
  stop(rec: DeploymentRecord, outcome: StopOutcome): DeploymentRecord | undefined {
    return stopDeployment(this.ctx, rec, outcome, (work) => this.track(work));
  }

  /** Ends a deployment because of a failure, rolling back when the deployment's auto-rollback asks for it. */
  fail(rec: DeploymentRecord, failure: DeploymentFailure): void {
    const { enabled, events } = rec.settings.autoRollback;
    this.stop(rec, {
      status: 'Failed',
      code: failure.code,
      message: failure.message,
      rollback: enabled && events.includes('DEPLOYMENT_FAILURE'),
    });
  }

  /** Aborts every engine and background task, and waits for them. Statuses stay as they are. */
  async close(): Promise<void> {
    for (const rec of this.ctx.store.deployments.values()) rec.controller.abort();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<void>): void {
    const guarded = work.catch(() => undefined);
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
  }

  private async run(rec: DeploymentRecord): Promise<void> {
    const { time } = this.ctx;
    const watcher = new AbortController();
    try {
      rec.status = 'Queued';
      await Promise.resolve();
      this.guard(rec);
      rec.status = 'InProgress';
      rec.startTime = time.now();
      rec.target.status = 'InProgress';
      rec.phase = 'installing';
      this.checkAlarms(rec);
      this.track(this.watchAlarms(rec, AbortSignal.any([watcher.signal, rec.controller.signal])));
      await this.event(rec, 'BeforeInstall', async () => {});
      await this.event(rec, 'Install', () => this.install(rec));
      await this.event(rec, 'AfterInstall', async () => {});
      await this.event(rec, 'AllowTestTraffic', async () => this.routeTestTraffic(rec));
      await this.event(rec, 'AfterAllowTestTraffic', async () => {});
      await this.readyWait(rec);
      await this.event(rec, 'BeforeAllowTraffic', async () => {});
      await this.event(rec, 'AllowTraffic', () => this.shiftProductionTraffic(rec));
      await this.event(rec, 'AfterAllowTraffic', async () => {});
      await this.terminationWait(rec);
      rec.phase = 'terminating';
      watcher.abort();
      await this.deleteOriginal(rec);
      rec.statusMessages.push('The original task set was deleted; the deployment succeeded.');
      markComplete(this.ctx, rec, 'Succeeded');
    } catch (error) {
      if (isAbort(rec) || isComplete(rec.status)) return;
      const failure =
        error instanceof DeploymentFailure
          ? error
          : new DeploymentFailure('INTERNAL_ERROR', `local-cloud CodeDeploy engine error: ${(error as Error).message}`);
      this.fail(rec, failure);
    } finally {
      watcher.abort();
    }
  }

  /** Throws (to unwind the engine) once someone else has ended the deployment. */
  private guard(rec: DeploymentRecord): void {
    rec.controller.signal.throwIfAborted();
  }

  private async sleep(rec: DeploymentRecord, ms: number): Promise<void> {
    await this.ctx.time.sleep(ms, rec.controller.signal);
    this.guard(rec);
  }

  private async event(rec: DeploymentRecord, name: EcsLifecycleEventName, body: () => Promise<void>): Promise<void> {
    this.guard(rec);
    beginEvent(rec, name, this.ctx.time.now());
    try {
      await body();
      this.guard(rec);
    } catch (error) {
      if (!isAbort(rec) && error instanceof DeploymentFailure)
        endEvent(rec, name, this.ctx.time.now(), 'Failed', { errorCode: 'UnknownError', message: error.message });
      throw error;
    }
    endEvent(rec, name, this.ctx.time.now(), 'Succeeded');
  }

  private checkAlarms(rec: DeploymentRecord): void {
    const { alarms } = rec.settings;
    if (!alarms.enabled || alarms.names.length === 0 || isComplete(rec.status) || rec.phase === 'terminating') return;
    const firing = this.ctx.alarms.alarmsInAlarm(alarms.names);
    if (firing.length === 0) return;
    const { enabled, events } = rec.settings.autoRollback;
    this.stop(rec, {
      status: 'Stopped',
      code: 'ALARM_ACTIVE',
      message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${firing.join(', ')}>`,
      rollback: enabled && events.includes('DEPLOYMENT_STOP_ON_ALARM'),
    });
    this.guard(rec);
  }

  private async watchAlarms(rec: DeploymentRecord, signal: AbortSignal): Promise<void> {
    if (!rec.settings.alarms.enabled || rec.settings.alarms.names.length === 0) return;
    const interval = this.ctx.options.alarmPollRealMs * this.ctx.time.timeScale;
    for (;;) {
      await this.ctx.time.sleep(interval, signal);
      if (signal.aborted) return;
      this.checkAlarms(rec);
    }
  }

  private install(rec: DeploymentRecord): Promise<void> {
    const { ecs, elb } = this.ctx;
    const { clusterName, serviceName } = rec.settings.ecsService;
    const service = ecs.getService(clusterName, serviceName);
    if (!service)
      throw new DeploymentFailure(
        'INVALID_ECS_SERVICE',
        `The ECS service ${serviceName} in cluster ${clusterName} does not exist.`,
      );
    const original = service.taskSets.find((ts) => ts.status === 'PRIMARY');
    if (!original)
      throw new DeploymentFailure(
        'ECS_UPDATE_ERROR',
        `The ECS service ${clusterName}/${serviceName} has no PRIMARY task set to replace.`,
      );
    const groups = rec.settings.targetGroups.map((name) => {
      const tg = elb.findTargetGroupByName(name);
      if (!tg)
        throw new DeploymentFailure(
          'ELASTIC_LOAD_BALANCING_INVALID',
          `The target group ${name} of the deployment group does not exist.`,
        );
      return tg;
    });
    const blueTg = groups.find((tg) => tg.targetGroupArn === original.targetGroupArn);
    const greenTg = groups.find((tg) => tg.targetGroupArn !== original.targetGroupArn);
    if (!blueTg || !greenTg) {
      throw new DeploymentFailure(
        'ELASTIC_LOAD_BALANCING_INVALID',
        `The original task set ${original.id} is in target group ${original.targetGroupArn}, which is not one of the deployment group's target groups (${rec.settings.targetGroups.join(', ')}).`,
      );
    }
    rec.target.blue = {
      taskSetArn: original.taskSetArn,
      targetGroupArn: blueTg.targetGroupArn,
      targetGroupName: blueTg.name,
      label: 'Blue',
      last: original,
      deleted: false,
    };
    rec.listenersBefore = [...rec.settings.prodListenerArns, ...rec.settings.testListenerArns].map((arn) => {
      const listener = elb.getListener(arn);
      if (!listener)
        throw new DeploymentFailure(
          'ELASTIC_LOAD_BALANCING_INVALID',
          `The listener ${arn} of the deployment group does not exist.`,
        );
      return { listenerArn: arn, targetGroups: listener.targetGroups.map((tg) => ({ ...tg })) };
    });
    return this.createReplacement(
      rec,
      service.taskSets.filter((ts) => ts.taskSetArn !== original.taskSetArn),
      greenTg,
    );
  }

  private async createReplacement(
    rec: DeploymentRecord,
    stale: TaskSetView[],
    greenTg: { targetGroupArn: string; name: string },
  ): Promise<void> {
    // Task sets left behind by a deployment stopped without rollback would hold the replacement's target group.
    for (const ts of stale) {
      await this.ctx.ecs.deleteTaskSet(ts.taskSetArn);
      this.guard(rec);
    }
    const { clusterName, serviceName } = rec.settings.ecsService;
    let created: TaskSetView;
    try {
      created = this.ctx.ecs.createTaskSet({
        clusterName,
        serviceName,
        taskDefinition: rec.appSpec.taskDefinition,
        targetGroupArn: greenTg.targetGroupArn,
        containerName: rec.appSpec.containerName,
        containerPort: rec.appSpec.containerPort,
        scale: 100,
        externalId: rec.deploymentId,
      });
    } catch (error) {
      throw new DeploymentFailure(
        'ECS_UPDATE_ERROR',
        `The ECS service cannot be updated: CreateTaskSet failed: ${(error as Error).message}`,
      );
    }
    rec.target.green = {
      taskSetArn: created.taskSetArn,
      targetGroupArn: greenTg.targetGroupArn,
      targetGroupName: greenTg.name,
      label: 'Green',
      last: created,
      deleted: false,
    };
    await this.waitHealthy(rec, rec.target.green);
  }

  private async waitHealthy(rec: DeploymentRecord, green: TaskSetRef): Promise<void> {
    const minutes = this.ctx.options.installTimeoutMinutes;
    await waitReplacementHealthy({
      ecs: this.ctx.ecs,
      taskSetArn: green.taskSetArn,
      timeoutMs: minutes * MINUTE,
      pollMs: healthPollMs(this.ctx.time.timeScale),
      sleep: (ms) => this.sleep(rec, ms),
      onView: (view) => (green.last = view),
      attachForChecks: () => this.attachAtZeroWeight(rec, green),
      failure: (kind, view) =>
        kind === 'gone' || !view
          ? new DeploymentFailure(
              'ECS_UPDATE_ERROR',
              `The replacement task set ${green.taskSetArn} disappeared while CodeDeploy waited for it to become healthy.`,
            )
          : new DeploymentFailure(
              'ECS_UPDATE_ERROR',
              `The deployment timed out while waiting for the replacement task set to become healthy. This time out period is ${minutes} minutes. ${describeUnhealthy(view, green.targetGroupName)}`,
            ),
    });
  }

  /**
   * A target group no listener forwards to is not health-checked (its targets are `unused`), so the replacement could
   * never prove healthy before traffic reaches it. It is added to one listener's forward action at weight 0: health
   * checks start, no request goes to it, and rollback restores the listener as it was.
   */
  private attachAtZeroWeight(rec: DeploymentRecord, green: TaskSetRef): void {
    const arn = rec.settings.testListenerArns[0] ?? rec.settings.prodListenerArns[0];
    const listener = arn === undefined ? undefined : this.ctx.elb.getListener(arn);
    if (!arn || !listener) return;
    const others = listener.targetGroups.filter((tg) => tg.targetGroupArn !== green.targetGroupArn);
    this.ctx.elb.setListenerWeights(arn, [...others, { targetGroupArn: green.targetGroupArn, weight: 0 }]);
    rec.statusMessages.push(
      `Target group ${green.targetGroupName} was added at weight 0 to listener ${arn} so that its targets are health-checked before any traffic reaches them.`,
    );
  }

  private routeTestTraffic(rec: DeploymentRecord): void {
    const { blue, green } = this.requireTaskSets(rec);
    for (const arn of rec.settings.testListenerArns) {
      this.ctx.elb.setListenerWeights(arn, splitWeights(blue.targetGroupArn, green.targetGroupArn, 100));
    }
  }

  private async readyWait(rec: DeploymentRecord): Promise<void> {
    const { actionOnTimeout, waitTimeInMinutes } = rec.settings.readyOption;
    if (actionOnTimeout !== 'STOP_DEPLOYMENT') return;
    rec.status = 'Ready';
    rec.target.status = 'Ready';
    rec.phase = 'ready-wait';
    rec.statusMessages.push(
      `The replacement task set is ready; waiting up to ${waitTimeInMinutes} minutes for ContinueDeployment (READY_WAIT) before rerouting production traffic.`,
    );
    const continued = await this.waitOrContinue(rec, 'READY_WAIT', waitTimeInMinutes * MINUTE);
    if (!continued) {
      this.stop(rec, {
        status: 'Stopped',
        code: 'TIMEOUT',
        message: `The deployment was stopped because traffic was not rerouted to the replacement task set within the ${waitTimeInMinutes} minutes of the deployment group's ready wait (deploymentReadyOption STOP_DEPLOYMENT).`,
        rollback: false,
        cleanUp: true,
      });
      this.guard(rec);
    }
    rec.status = 'InProgress';
    rec.target.status = 'InProgress';
  }

  /** Waits `ms` of CodeDeploy time, or less if ContinueDeployment(type) comes; true when continued. */
  private waitOrContinue(rec: DeploymentRecord, type: 'READY_WAIT' | 'TERMINATION_WAIT', ms: number): Promise<boolean> {
    const local = new AbortController();
    return new Promise<boolean>((resolve, reject) => {
      rec.waiter = {
        type,
        resolve: () => {
          rec.waiter = undefined;
          local.abort();
          resolve(true);
        },
      };
      this.ctx.time.sleep(ms, AbortSignal.any([local.signal, rec.controller.signal])).then(
        () => resolve(false),
        (error: unknown) => {
          if (isAbort(rec)) reject(error);
        },
      );
    }).finally(() => {
      rec.waiter = undefined;
      this.guard(rec);
    });
  }

  private async shiftProductionTraffic(rec: DeploymentRecord): Promise<void> {
    const { blue, green } = this.requireTaskSets(rec);
    rec.phase = 'shifting';
    const routing = rec.config.trafficRouting ?? { type: 'AllAtOnce' as const };
    for (const step of trafficSteps(routing)) {
      this.checkAlarms(rec);
      for (const arn of rec.settings.prodListenerArns) {
        this.ctx.elb.setListenerWeights(
          arn,
          splitWeights(blue.targetGroupArn, green.targetGroupArn, step.replacementPercent),
        );
      }
      rec.target.greenWeight = step.replacementPercent;
      rec.statusMessages.push(`${step.replacementPercent}% of production traffic is on the replacement task set.`);
      if (step.waitMinutesAfter > 0) await this.sleep(rec, step.waitMinutesAfter * MINUTE);
    }
    const { clusterName, serviceName } = rec.settings.ecsService;
    this.ctx.ecs.setPrimaryTaskSet(clusterName, serviceName, green.taskSetArn);
    rec.primarySwitched = true;
  }

  private async terminationWait(rec: DeploymentRecord): Promise<void> {
    const minutes = rec.settings.termination.terminationWaitTimeInMinutes;
    rec.phase = 'termination-wait';
    rec.instanceTerminationWaitTimeStarted = true;
    rec.statusMessages.push(
      `Waiting ${minutes} minutes (or ContinueDeployment TERMINATION_WAIT) before terminating the original task set.`,
    );
    this.checkAlarms(rec);
    if (minutes > 0) await this.waitOrContinue(rec, 'TERMINATION_WAIT', minutes * MINUTE);
    this.checkAlarms(rec);
  }

  private async deleteOriginal(rec: DeploymentRecord): Promise<void> {
    const { blue } = this.requireTaskSets(rec);
    blue.deleted = true;
    try {
      await this.ctx.ecs.deleteTaskSet(blue.taskSetArn);
    } catch (error) {
      blue.deleted = false;
      throw new DeploymentFailure(
        'ECS_UPDATE_ERROR',
        `The original task set ${blue.last.id} could not be deleted: ${(error as Error).message}`,
      );
    }
    blue.last = { ...blue.last, status: 'DRAINING', runningCount: 0, pendingCount: 0, healthyTargets: 0 };
  }

  private requireTaskSets(rec: DeploymentRecord): { blue: TaskSetRef; green: TaskSetRef } {
    const { blue, green } = rec.target;
    if (!blue || !green)
      throw new DeploymentFailure('INTERNAL_ERROR', 'The deployment has no original and replacement task sets.');
    return { blue, green };
  }
}
