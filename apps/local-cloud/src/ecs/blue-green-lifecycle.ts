import { healthPollMs, shiftSteps, waitReplacementHealthy } from '../bluegreen/index';
import type { TaskSetView } from '../contract';
import { describeUnhealthy } from '../codedeploy/unhealthy-report';
import { bakeMinutesOf, shiftPlanOf } from './blue-green-config';
import { runHooks, RollbackRequest } from './lifecycle-hooks';
import type { NativeContext } from './native-context';
import { routeTraffic } from './native-traffic';
import type { LifecycleStage, ServiceDeployment, ServiceRevision } from './service-deployment-model';

const MINUTE = 60_000;

/** A failure of the deployment that ends it without a rollback (circuit breaker or alarm with rollback off). */
export class HaltRequest extends Error {}

/**
 * Runs one ECS-native deployment through AWS's lifecycle stages. Traffic-shifting strategies (BLUE_GREEN, LINEAR,
 * CANARY) start the target revision beside the source one in the other target group, move the test listener rule,
 * then the production listener rule (in steps for LINEAR and CANARY), bake, and clean the source up.
 */
export async function runLifecycle(ctx: NativeContext, dep: ServiceDeployment): Promise<void> {
  const signal = dep.controller.signal;
  const sleep = async (ms: number) => {
    await ctx.time.sleep(ms, signal);
    signal.throwIfAborted();
  };
  const stage = (name: LifecycleStage) => {
    signal.throwIfAborted();
    dep.lifecycleStage = name;
    dep.updatedAt = ctx.time.now();
  };
  const hooks = (name: LifecycleStage) => runHooks(ctx, dep, name);

  dep.status = 'IN_PROGRESS';
  dep.startedAt = ctx.time.now();
  const blue = servingRevision(dep);
  const lb = dep.service.loadBalancers[0];
  const adv = lb?.advancedConfiguration;

  if (!blue || !lb || !adv) {
    // The first deployment of a service (or one without load balancers): scale the revision up, nothing to shift.
    stage('SCALE_UP');
    await scaleUp(ctx, dep, dep.target, lb?.targetGroupArn, sleep);
    ctx.control.setPrimaryTaskSet(dep.service.clusterName, dep.service.name, dep.target.taskSetArn!);
    if (lb && adv) routeTraffic(ctx, dep.service, [{ revision: dep.target, production: 100, test: 100 }]);
    return;
  }

  const others = dep.source.filter((r) => r !== blue && r.taskSetArn);
  if (others.length > 0) {
    stage('RECONCILE_SERVICE');
    await hooks('RECONCILE_SERVICE');
    routeTraffic(ctx, dep.service, [{ revision: blue, production: 100, test: 100 }]);
    for (const r of others) await retire(ctx, r);
  }
  stage('PRE_SCALE_UP');
  await hooks('PRE_SCALE_UP');
  stage('SCALE_UP');
  // Both target groups in the rules (the new one at weight 0) so that the new revision's targets are health-checked.
  routeTraffic(ctx, dep.service, [{ revision: blue, production: 100, test: 100 }]);
  const greenTg = blue.targetGroupArn === lb.targetGroupArn ? adv.alternateTargetGroupArn : lb.targetGroupArn;
  await scaleUp(ctx, dep, dep.target, greenTg, sleep);
  stage('POST_SCALE_UP');
  await hooks('POST_SCALE_UP');
  stage('TEST_TRAFFIC_SHIFT');
  routeTraffic(ctx, dep.service, [
    { revision: blue, production: 100, test: 0 },
    { revision: dep.target, production: 0, test: 100 },
  ]);
  await hooks('TEST_TRAFFIC_SHIFT');
  stage('POST_TEST_TRAFFIC_SHIFT');
  await hooks('POST_TEST_TRAFFIC_SHIFT');
  stage('PRODUCTION_TRAFFIC_SHIFT');
  for (const step of shiftSteps(shiftPlanOf(dep.strategy, dep.configuration))) {
    const percent = step.replacementPercent;
    routeTraffic(ctx, dep.service, [
      { revision: blue, production: 100 - percent, test: 0 },
      { revision: dep.target, production: percent, test: 100 },
    ]);
    await hooks('PRODUCTION_TRAFFIC_SHIFT');
    if (step.waitMinutesAfter > 0) await sleep(step.waitMinutesAfter * MINUTE);
  }
  ctx.control.setPrimaryTaskSet(dep.service.clusterName, dep.service.name, dep.target.taskSetArn!);
  stage('POST_PRODUCTION_TRAFFIC_SHIFT');
  await hooks('POST_PRODUCTION_TRAFFIC_SHIFT');
  stage('BAKE_TIME');
  const bake = bakeMinutesOf(dep.configuration);
  if (bake > 0) await sleep(bake * MINUTE);
  stage('CLEAN_UP');
  await retire(ctx, blue);
}

/** The source revision production traffic is on (the one with the highest production weight that still runs). */
export function servingRevision(dep: ServiceDeployment): ServiceRevision | undefined {
  const running = dep.source.filter((r) => r.taskSetArn);
  return running.sort((a, b) => b.productionWeight - a.productionWeight)[0] ?? dep.source[0];
}

/** Starts a revision's task set in a target group and waits until it is healthy (circuit breaker watching). */
export async function scaleUp(
  ctx: NativeContext,
  dep: ServiceDeployment | undefined,
  revision: ServiceRevision,
  targetGroupArn: string | undefined,
  sleep: (ms: number) => Promise<void>,
): Promise<TaskSetView> {
  const service = revision.service;
  const lb = revision.loadBalancers[0];
  revision.targetGroupArn = targetGroupArn;
  const created = ctx.control.createTaskSet({
    clusterName: service.clusterName,
    serviceName: service.name,
    taskDefinition: revision.taskDefinitionArn,
    targetGroupArn: targetGroupArn ?? '',
    containerName: lb?.containerName ?? '',
    containerPort: lb?.containerPort ?? 0,
    scale: 100,
  });
  revision.taskSetArn = created.taskSetArn;
  const minutes = ctx.options.scaleUpTimeoutMinutes;
  const breaker = dep?.circuitBreaker;
  return waitReplacementHealthy({
    ecs: ctx.control,
    taskSetArn: created.taskSetArn,
    timeoutMs: minutes * MINUTE,
    pollMs: healthPollMs(ctx.time.timeScale),
    sleep,
    onView: (view) => {
      if (!breaker || breaker.status !== 'MONITORING') return;
      breaker.failureCount = view.stoppedTasks.length;
      if (breaker.failureCount < breaker.threshold) return;
      breaker.status = 'TRIGGERED';
      const reason = `ECS deployment circuit breaker: tasks of service revision ${revision.arn} failed to start (${breaker.failureCount} failed tasks, threshold ${breaker.threshold}). ${describeUnhealthy(view, targetGroupArn ?? '')}`;
      const rollback = (dep.configuration['deploymentCircuitBreaker'] as { rollback?: boolean } | undefined)?.rollback;
      throw rollback ? new RollbackRequest(reason) : new HaltRequest(reason);
    },
    failure: (kind, view) =>
      new RollbackRequest(
        kind === 'timeout' && view
          ? `Service revision ${revision.arn} did not become healthy within ${minutes} minutes. ${describeUnhealthy(view, targetGroupArn ?? '')}`
          : `The task set of service revision ${revision.arn} disappeared while ECS waited for it to become healthy.`,
      ),
  });
}

/** Scales a revision down: its targets drain, then its tasks stop. */
export async function retire(ctx: NativeContext, revision: ServiceRevision): Promise<void> {
  const arn = revision.taskSetArn;
  if (!arn) return;
  revision.taskSetArn = undefined;
  revision.productionWeight = 0;
  revision.testWeight = 0;
  if (ctx.control.describeTaskSet(arn)) await ctx.control.deleteTaskSet(arn);
}
