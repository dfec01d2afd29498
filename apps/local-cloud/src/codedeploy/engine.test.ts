import { afterEach, describe, expect, it } from 'vitest';
import type { TestBed } from './engine-test-bed';
import { createTestBed } from './engine-test-bed';

const MINUTE = 60_000;
let bed: TestBed;
afterEach(async () => bed?.close());

const seconds = (v: unknown) => (v as number) * 1000;

describe('ECS blue/green lifecycle', () => {
  it('runs every lifecycle event in order, tests through the test listener first, shifts all at once and terminates the original after the wait', async () => {
    bed = await createTestBed();
    const id = await bed.deploy();
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(['Queued', 'InProgress']).toContain((await bed.deployment(id))['status']);

    await bed.time.runUntil(() =>
      bed.ecs.taskSetsOf('prod', 'web').some((t) => t.status === 'PRIMARY' && t.targetGroupArn === bed.greenTg),
    );
    const waiting = await bed.deployment(id);
    expect(waiting['status']).toBe('InProgress');
    expect(waiting['instanceTerminationWaitTimeStarted']).toBe(true);
    expect(bed.ecs.taskSetsOf('prod', 'web')).toHaveLength(2); // the original stays up during the termination wait
    const target = await bed.ecsTarget(id);
    expect(target.lifecycleEvents.map((e) => [e['lifecycleEventName'], e['status']])).toEqual([
      ['BeforeInstall', 'Succeeded'],
      ['Install', 'Succeeded'],
      ['AfterInstall', 'Succeeded'],
      ['AllowTestTraffic', 'Succeeded'],
      ['AfterAllowTestTraffic', 'Succeeded'],
      ['BeforeAllowTraffic', 'Succeeded'],
      ['AllowTraffic', 'Succeeded'],
      ['AfterAllowTraffic', 'Succeeded'],
    ]);
    expect(
      target.taskSetsInfo.map((t) => [
        t['taskSetLabel'],
        t['trafficWeight'],
        (t['targetGroup'] as { name: string }).name,
        t['status'],
      ]),
    ).toEqual([
      ['Blue', 0, 'tg-blue', 'ACTIVE'],
      ['Green', 100, 'tg-green', 'PRIMARY'],
    ]);

    const done = await bed.until(id, 'Succeeded', 'Failed', 'Stopped');
    expect(done['status']).toBe('Succeeded');
    expect(seconds(done['completeTime']) - seconds(done['startTime'])).toBe(5 * MINUTE);
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => t.taskDefinition)).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:task-definition/web:2',
    ]);
    expect(bed.log).toEqual([
      'ecs.createTaskSet arn:aws:ecs:us-east-1:000000000000:task-definition/web:2 -> ' + bed.greenTg,
      'elb.setListenerWeights :8080 tg-blue=0,tg-green=100',
      'elb.setListenerWeights :80 tg-blue=0,tg-green=100',
      'ecs.setPrimaryTaskSet arn:aws:ecs:us-east-1:000000000000:task-definition/web:2',
      'ecs.deleteTaskSet arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
    ]);
    const group = (await bed.cd('GetDeploymentGroup', { applicationName: 'shop', deploymentGroupName: 'shop-prod' }))[
      'deploymentGroupInfo'
    ] as Record<string, { deploymentId: string; status: string }>;
    expect(group['lastSuccessfulDeployment']).toMatchObject({ deploymentId: id, status: 'Succeeded' });
    expect(done['deploymentOverview']).toEqual({
      Pending: 0,
      InProgress: 0,
      Succeeded: 1,
      Failed: 0,
      Skipped: 0,
      Ready: 0,
    });
  });

  it('shifts production traffic 10% then the rest after 5 minutes under ECSCanary10Percent5Minutes', async () => {
    bed = await createTestBed({ deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes' });
    const id = await bed.deploy();
    await bed.time.runUntil(() => bed.prodWeights().length === 1);
    const target = await bed.ecsTarget(id);
    expect(target.taskSetsInfo.map((t) => t['trafficWeight'])).toEqual([90, 10]);
    expect(bed.elb.share(bed.test, bed.greenTg)).toBe(100);
    const done = await bed.until(id, 'Succeeded');
    expect(bed.prodWeights()).toEqual([
      [90, 10],
      [0, 100],
    ]);
    const allow = (await bed.ecsTarget(id)).lifecycleEvents.find((e) => e['lifecycleEventName'] === 'AllowTraffic')!;
    expect(seconds(allow['endTime']) - seconds(allow['startTime'])).toBe(5 * MINUTE);
    expect(done['deploymentConfigName']).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes');
  });

  it('shifts 10% every minute under ECSLinear10PercentEvery1Minutes', async () => {
    bed = await createTestBed({ deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes' });
    const id = await bed.deploy();
    await bed.until(id, 'Succeeded');
    expect(bed.prodWeights()).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((g) => [100 - g, g]));
    const allow = (await bed.ecsTarget(id)).lifecycleEvents.find((e) => e['lifecycleEventName'] === 'AllowTraffic')!;
    expect(seconds(allow['endTime']) - seconds(allow['startTime'])).toBe(9 * MINUTE);
  });

  it('points the test listener at the replacement before any production weight moves', async () => {
    bed = await createTestBed({ deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery3Minutes' });
    const id = await bed.deploy();
    await bed.until(id, 'Succeeded');
    const testIndex = bed.log.indexOf('elb.setListenerWeights :8080 tg-blue=0,tg-green=100');
    const firstProd = bed.log.findIndex((l) => l.startsWith('elb.setListenerWeights :80 '));
    expect(testIndex).toBeGreaterThanOrEqual(0);
    expect(testIndex).toBeLessThan(firstProd);
  });

  it('follows a custom TimeBasedCanary config given on CreateDeployment', async () => {
    bed = await createTestBed();
    await bed.cd('CreateDeploymentConfig', {
      deploymentConfigName: 'Canary25Percent2Minutes',
      computePlatform: 'ECS',
      trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 25, canaryInterval: 2 } },
    });
    const id = await bed.deploy({ deploymentConfigName: 'Canary25Percent2Minutes' });
    await bed.until(id, 'Succeeded');
    expect(bed.prodWeights()).toEqual([
      [75, 25],
      [0, 100],
    ]);
  });

  it('waits in Ready until ContinueDeployment(READY_WAIT) when the group says STOP_DEPLOYMENT', async () => {
    bed = await createTestBed({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
      },
    });
    const id = await bed.deploy();
    const ready = await bed.until(id, 'Ready');
    expect(ready['deploymentOverview']).toMatchObject({ Ready: 1 });
    await bed.time.advance(20 * MINUTE);
    expect((await bed.deployment(id))['status']).toBe('Ready');
    expect(bed.prodWeights()).toEqual([]);
    expect(bed.elb.share(bed.test, bed.greenTg)).toBe(100);
    await expect(
      bed.cd('ContinueDeployment', { deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }),
    ).rejects.toMatchObject({ code: 'InvalidDeploymentStatusException' });

    expect(await bed.cd('ContinueDeployment', { deploymentId: id, deploymentWaitType: 'READY_WAIT' })).toEqual({});
    const done = await bed.until(id, 'Succeeded', 'Stopped', 'Failed');
    expect(done['status']).toBe('Succeeded');
    expect(bed.prodWeights()).toEqual([[0, 100]]);
  });

  it('stops the deployment when the ready wait runs out, without moving production traffic', async () => {
    bed = await createTestBed({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
      },
    });
    const id = await bed.deploy();
    const ready = await bed.until(id, 'Ready');
    const stopped = await bed.until(id, 'Stopped', 'Succeeded', 'Failed');
    expect(stopped['status']).toBe('Stopped');
    expect(stopped['errorInformation']).toMatchObject({ code: 'TIMEOUT' });
    expect(seconds(stopped['completeTime']) - seconds(ready['startTime'])).toBe(30 * MINUTE);
    expect(bed.prodWeights()).toEqual([]);
    expect(bed.elb.share(bed.test, bed.blueTg)).toBe(100);
    await bed.time.settle();
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => t.targetGroupArn)).toEqual([bed.blueTg]);
    expect(stopped['rollbackInfo']).toBeUndefined();
    await expect(bed.cd('ContinueDeployment', { deploymentId: id })).rejects.toMatchObject({
      code: 'DeploymentAlreadyCompletedException',
    });
  });

  it('ends the termination wait on ContinueDeployment(TERMINATION_WAIT) and deletes the original task set', async () => {
    bed = await createTestBed({
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
      },
    });
    const id = await bed.deploy();
    await bed.time.runUntil(() => bed.prodWeights().length === 1);
    await bed.time.advance(MINUTE);
    const before = await bed.deployment(id);
    expect(before['status']).toBe('InProgress');
    expect(before['instanceTerminationWaitTimeStarted']).toBe(true);
    await expect(
      bed.cd('ContinueDeployment', { deploymentId: id, deploymentWaitType: 'READY_WAIT' }),
    ).rejects.toMatchObject({ code: 'DeploymentIsNotInReadyStateException' });

    await bed.cd('ContinueDeployment', { deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' });
    await bed.time.settle();
    const done = await bed.deployment(id);
    expect(done['status']).toBe('Succeeded');
    expect(seconds(done['completeTime']) - seconds(before['startTime'])).toBe(MINUTE);
    expect(bed.ecs.deleted).toHaveLength(1);
    expect(bed.ecs.taskSetsOf('prod', 'web')).toHaveLength(1);
  });

  it('attaches an unused replacement target group at weight 0 so it is health-checked before any traffic reaches it', async () => {
    bed = await createTestBed();
    bed.ecs.nextTaskSetHealth = 'needs-listener';
    const id = await bed.deploy();
    const done = await bed.until(id, 'Succeeded', 'Failed', 'Stopped');
    expect(done['status']).toBe('Succeeded');
    expect(bed.log.slice(0, 3)).toEqual([
      'ecs.createTaskSet arn:aws:ecs:us-east-1:000000000000:task-definition/web:2 -> ' + bed.greenTg,
      'elb.setListenerWeights :8080 tg-blue=1,tg-green=0',
      'elb.setListenerWeights :8080 tg-blue=0,tg-green=100',
    ]);
    expect(bed.prodWeights()).toEqual([[0, 100]]);
  });

  it('accepts the AppSpec as JSON and deploys its task definition', async () => {
    bed = await createTestBed({
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
      },
    });
    const content = JSON.stringify({
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:7',
              LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    const id = await bed.deploy({}, content);
    const done = await bed.until(id, 'Succeeded', 'Failed');
    expect(done['status']).toBe('Succeeded');
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => t.taskDefinition)).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:task-definition/web:7',
    ]);
    expect((done['revision'] as { appSpecContent: { sha256: string } }).appSpecContent.sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  it('refuses a second deployment while the group has an active one, naming it', async () => {
    bed = await createTestBed();
    const first = await bed.deploy();
    await expect(bed.deploy()).rejects.toMatchObject({
      code: 'DeploymentLimitExceededException',
      message: `The Deployment Group 'shop-prod' already has an active Deployment '${first}'`,
    });
    await bed.until(first, 'Succeeded');
    const second = await bed.deploy();
    const done = await bed.until(second, 'Succeeded', 'Failed');
    expect(done['status']).toBe('Succeeded');
    expect(done['previousRevision']).toEqual((await bed.deployment(first))['revision']);
    // the second deployment goes back to the first target group
    expect(bed.ecs.taskSetsOf('prod', 'web').map((t) => t.targetGroupArn)).toEqual([bed.blueTg]);
  });
});
