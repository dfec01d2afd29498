import { randomBytes } from 'node:crypto';
import { hooksOf } from './blue-green-config';
import type { NativeContext } from './native-context';
import type { HookRun, LifecycleStage, ServiceDeployment } from './service-deployment-model';

const MINUTE = 60_000;

/** A reason to roll the deployment back, raised inside the lifecycle (hook, health, circuit breaker, alarm). */
export class RollbackRequest extends Error {}

/**
 * Runs the hooks a deployment's configuration declares for a stage. A PAUSE hook waits (in cloud time) for
 * ContinueServiceDeployment or its timeout; an AWS_LAMBDA hook fails, since local-cloud has no Lambda and so the
 * function cannot be invoked, and a failed hook rolls the deployment back, as ECS does.
 */
export async function runHooks(ctx: NativeContext, dep: ServiceDeployment, stage: LifecycleStage): Promise<void> {
  for (const hook of hooksOf(dep.configuration)) {
    if (!hook.lifecycleStages.includes(stage)) continue;
    const run: HookRun = {
      hookId: `ecs-${hook.targetType === 'PAUSE' ? 'pause' : 'lambda'}-${randomBytes(32).toString('base64url')}`,
      stage,
      targetType: hook.targetType,
      targetArn: hook.hookTargetArn,
      status: 'IN_PROGRESS',
      expiresAt: undefined,
      timeoutAction: hook.timeoutAction,
      resume: undefined,
    };
    dep.hooks.push(run);
    dep.updatedAt = ctx.time.now();
    if (hook.targetType === 'AWS_LAMBDA') {
      run.status = 'FAILED';
      throw new RollbackRequest(
        `Lifecycle hook ${run.hookId} at ${stage} failed: the Lambda function ${hook.hookTargetArn} could not be invoked (ResourceNotFoundException: Function not found: ${hook.hookTargetArn}).`,
      );
    }
    const timeoutMs = hook.timeoutMinutes * MINUTE;
    run.status = 'AWAITING_ACTION';
    run.expiresAt = new Date(ctx.time.now().getTime() + ctx.time.scaled(timeoutMs));
    const action = await awaitAction(ctx, dep, run, timeoutMs);
    run.resume = undefined;
    dep.updatedAt = ctx.time.now();
    if (action === 'TIMEOUT') {
      run.status = 'TIMED_OUT';
      if (hook.timeoutAction === 'ROLLBACK')
        throw new RollbackRequest(
          `Lifecycle hook ${run.hookId} at ${stage} timed out after ${hook.timeoutMinutes} minutes; its timeout action is ROLLBACK.`,
        );
      continue;
    }
    run.status = 'SUCCEEDED';
    if (action === 'ROLLBACK')
      throw new RollbackRequest(
        `ContinueServiceDeployment asked for ROLLBACK at lifecycle hook ${run.hookId} (${stage}).`,
      );
  }
}

function awaitAction(
  ctx: NativeContext,
  dep: ServiceDeployment,
  run: HookRun,
  timeoutMs: number,
): Promise<'CONTINUE' | 'ROLLBACK' | 'TIMEOUT'> {
  const local = new AbortController();
  const signal = AbortSignal.any([local.signal, dep.controller.signal]);
  return new Promise((resolve, reject) => {
    run.resume = (action) => {
      local.abort();
      resolve(action);
    };
    ctx.time.sleep(timeoutMs, signal).then(
      () => resolve('TIMEOUT'),
      (error: unknown) => {
        if (dep.controller.signal.aborted) reject(error);
      },
    );
  });
}
