import { afterEach, describe, expect, it } from 'vitest';
import type { TestBed } from './engine-test-bed';
import { createTestBed } from './engine-test-bed';

const MINUTE = 60_000;
let bed: TestBed;
afterEach(async () => bed?.close());

const seconds = (v: unknown) => (v as number) * 1000;
type Info = Record<string, unknown> & {
  rollbackInfo?: Record<string, string>;
  errorInformation?: { code: string; message: string };
};

async function rollbackOf(b: TestBed, id: string): Promise<{ original: Info; rollback: Info }> {
  const original = (await b.deployment(id)) as Info;
  const rbId = original.rollbackInfo?.['rollbackDeploymentId'];
  if (!rbId) throw new Error(`deployment ${id} has no rollback deployment`);
  const rollback = (await b.until(rbId, 'Succeeded', 'Failed', 'Stopped')) as Info;
  return { original, rollback };
}

describe('stop, alarms, failures and rollback', () => {
  it('StopDeployment with rollback during the termination wait puts traffic back on the original within the call', async () => {
    bed = await createTestBed({
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
      },
    });
    const id = await bed.deploy();
    await bed.time.runUntil(() => bed.prodWeights().length === 1);
    await bed.time.advance(10 * MINUTE);
    expect(bed.elb.share(bed.prod, bed.greenTg)).toBe(100);
    bed.ecs.deregistrationDelayMs = 5 * MINUTE;

    const handler = bed.codeDeploy.api['StopDeployment']!;
    const out = (await handler({ deploymentId: id, autoRollbackEnabled: true })) as Record<string, string>;
    // No clock movement and no background work yet: the listener and the primary task set are already back.
    expect(bed.elb.share(bed.prod, bed.blueTg)).toBe(100);
    expect(bed.elb.share(bed.test, bed.blueTg)).toBe(100);
    expect(bed.ecs.taskSetsOf('prod', 'web').find((t) => t.status === 'PRIMARY')?.targetGroupArn).toBe(bed.blueTg);
    expect(out['status']).toBe('Succeeded');
    // The rollback deployment holds the group until the replacement is gone (deregistration delay).
    const rbId = ((await bed.deployment(id))['rollbackInfo'] as Record<string, string>)['rollbackDeploymentId'];
    expect((await bed.deployment(rbId!))['status']).toBe('InProgress');
    await expect(bed.deploy()).rejects.toMatchObject({
      code: 'DeploymentLimitExceededException',
      message: `The Deployment Group 'shop-prod' already has an active Deployment '${rbId}'`,
    });

    const { original, rollback } = await rollbackOf(bed, id);
    expect(original['status']).toBe('Stopped');
    expect(original.errorInformation?.code).toBe('MANUAL_STOP');
    expect(rollback['status']).toBe('Succeeded');
    expect(rollback['creator']).toBe('codeDeployRollback');
    expect(rollback.rollbackInfo?.['rollbackTriggeringDeploymentId']).toBe(id);
    expect(original.rollbackInfo?.['rollbackDeploymentId']).toBe(rollback['deploymentId']);
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => [t.targetGroupArn, t.status])).toEqual([
      [bed.blueTg, 'PRIMARY'],
    ]);
    expect(bed.prodWeights().at(-1)).toEqual([1, 0]); // the listener's own forward action from before the deployment
    const content = (rollback['revision'] as { appSpecContent: { content: string } }).appSpecContent.content;
    expect(content).toContain('task-definition/web:1');
  });

  it('StopDeployment without rollback leaves traffic where it is', async () => {
    bed = await createTestBed({ deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent15Minutes' });
    const id = await bed.deploy();
    await bed.time.runUntil(() => bed.prodWeights().length === 1);
    await bed.cd('StopDeployment', { deploymentId: id, autoRollbackEnabled: false });
    const info = (await bed.deployment(id)) as Info;
    expect(info['status']).toBe('Stopped');
    expect(info.rollbackInfo).toBeUndefined();
    expect(bed.elb.share(bed.prod, bed.greenTg)).toBe(10);
    await bed.time.advance(60 * MINUTE);
    expect(bed.prodWeights()).toEqual([[90, 10]]);
    const events = (await bed.ecsTarget(id)).lifecycleEvents.map(
      (e) => `${String(e['lifecycleEventName'])}:${String(e['status'])}`,
    );
    expect(events.slice(5)).toEqual([
      'BeforeAllowTraffic:Succeeded',
      'AllowTraffic:Failed',
      'AfterAllowTraffic:Skipped',
    ]);
    await expect(bed.cd('StopDeployment', { deploymentId: id })).rejects.toMatchObject({
      code: 'DeploymentAlreadyCompletedException',
    });
  });

  it('an alarm in ALARM during the canary stops the deployment and rolls it back', async () => {
    bed = await createTestBed({
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent15Minutes',
      alarmConfiguration: { enabled: true, alarms: [{ name: 'web-5xx' }] },
    });
    await bed.cw('PutMetricAlarm', {
      AlarmName: 'web-5xx',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const id = await bed.deploy();
    await bed.time.runUntil(() => bed.prodWeights().length === 1);
    await bed.time.advance(2 * MINUTE);
    expect((await bed.deployment(id))['status']).toBe('InProgress');

    bed.cloudWatch.setAlarmState(
      'web-5xx',
      'ALARM',
      'Threshold Crossed: 1 datapoint [7.0] was >= the threshold (1.0).',
    );
    await bed.time.advance(bed.time.timeScale * 1000); // one alarm poll
    const { original, rollback } = await rollbackOf(bed, id);
    expect(original['status']).toBe('Stopped');
    expect(original.errorInformation?.code).toBe('ALARM_ACTIVE');
    expect(original.errorInformation?.message).toContain('web-5xx');
    expect(rollback['status']).toBe('Succeeded');
    expect(bed.elb.share(bed.prod, bed.blueTg)).toBe(100);
    expect(bed.prodWeights().map(([, green]) => green)).toEqual([10, 0]);
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => t.targetGroupArn)).toEqual([bed.blueTg]);
  });

  it('does not start replacing when a watched alarm is already in ALARM', async () => {
    bed = await createTestBed({ alarmConfiguration: { enabled: true, alarms: [{ name: 'web-latency' }] } });
    await bed.cw('PutMetricAlarm', {
      AlarmName: 'web-latency',
      MetricName: 'TargetResponseTime',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    bed.cloudWatch.setAlarmState('web-latency', 'ALARM', 'test');
    const id = await bed.deploy();
    await bed.time.settle();
    const info = (await bed.deployment(id)) as Info;
    expect(info['status']).toBe('Stopped');
    expect(info.errorInformation?.code).toBe('ALARM_ACTIVE');
    expect(bed.log.filter((l) => l.startsWith('ecs.createTaskSet'))).toEqual([]);
  });

  it('fails after 60 minutes when the replacement never gets healthy, says why, and rolls back', async () => {
    bed = await createTestBed();
    bed.ecs.nextTaskSetHealth = 'unhealthy';
    const id = await bed.deploy();
    const failed = (await bed.until(id, 'Failed', 'Succeeded', 'Stopped')) as Info;
    expect(failed['status']).toBe('Failed');
    expect(failed.errorInformation?.code).toBe('ECS_UPDATE_ERROR');
    const message = failed.errorInformation?.message ?? '';
    expect(message).toContain('timed out while waiting for the replacement task set to become healthy');
    expect(message).toContain('0 of 2 targets healthy in target group tg-green');
    expect(message).toContain('Target.ResponseCodeMismatch (x2)');
    expect(message).toContain('Essential container in task exited (exit code 1)');
    expect(message).toContain('Error: cannot connect to database');
    expect(seconds(failed['completeTime']) - seconds(failed['startTime'])).toBe(60 * MINUTE);
    const install = (await bed.ecsTarget(id)).lifecycleEvents.find((e) => e['lifecycleEventName'] === 'Install');
    expect(install?.['status']).toBe('Failed');

    const { rollback } = await rollbackOf(bed, id);
    expect(rollback['status']).toBe('Succeeded');
    expect(bed.prodWeights()).toEqual([]);
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => t.targetGroupArn)).toEqual([bed.blueTg]);
  });

  it('honours a shorter install timeout and, without auto-rollback, leaves the replacement for the next deployment to clear', async () => {
    bed = await createTestBed(
      { autoRollbackConfiguration: { enabled: false, events: [] } },
      { installTimeoutMinutes: 5 },
    );
    bed.ecs.nextTaskSetHealth = 'pending';
    const id = await bed.deploy();
    const failed = (await bed.until(id, 'Failed')) as Info;
    expect(seconds(failed['completeTime']) - seconds(failed['startTime'])).toBe(5 * MINUTE);
    expect(failed.rollbackInfo).toBeUndefined();
    expect(bed.ecs.taskSetsOf('prod', 'web')).toHaveLength(2);

    bed.ecs.nextTaskSetHealth = 'healthy';
    const next = await bed.deploy();
    expect((await bed.until(next, 'Succeeded', 'Failed'))['status']).toBe('Succeeded');
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => t.targetGroupArn)).toEqual([bed.greenTg]);
  });

  it('fails with ECS_UPDATE_ERROR when ECS refuses the task set, and still records a rollback', async () => {
    bed = await createTestBed();
    bed.ecs.createTaskSetError = 'TaskDefinition is inactive';
    const id = await bed.deploy();
    await bed.time.settle();
    const info = (await bed.deployment(id)) as Info;
    expect(info['status']).toBe('Failed');
    expect(info.errorInformation).toEqual({
      code: 'ECS_UPDATE_ERROR',
      message: 'The ECS service cannot be updated: CreateTaskSet failed: TaskDefinition is inactive',
    });
    const { rollback } = await rollbackOf(bed, id);
    expect(rollback['status']).toBe('Succeeded');
  });

  it('close() aborts running deployments and leaves nothing scheduled', async () => {
    bed = await createTestBed({ deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes' });
    const id = await bed.deploy();
    await bed.time.runUntil(() => bed.prodWeights().length === 2);
    await bed.close();
    expect(bed.time.pendingSleeps).toBe(0);
    expect((await bed.deployment(id))['status']).toBe('InProgress');
  });
});
