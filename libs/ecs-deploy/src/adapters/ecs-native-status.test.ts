import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { ecsDeploymentStatus, type RevisionFacts } from './ecs-native-status';

const blue = 'arn:aws:ecs:us-east-1:000000000000:service-revision/c/s/1';
const green = 'arn:aws:ecs:us-east-1:000000000000:service-revision/c/s/2';
const facts: RevisionFacts = {
  taskDefinition: new Map([
    [blue, 'arn:td/app:1'],
    [green, 'arn:td/app:2'],
  ]),
  targetGroup: new Map([
    [blue, 'production-api-blue'],
    [green, 'production-api-green'],
  ]),
};

function deployment(fields: Partial<ServiceDeployment>, greenWeight = 0): ServiceDeployment {
  return {
    serviceDeploymentArn: 'arn:sd/1',
    status: 'IN_PROGRESS',
    sourceServiceRevisions: [
      { arn: blue, requestedTaskCount: 2, runningTaskCount: 2, requestedProductionTrafficWeight: 100 - greenWeight },
    ],
    targetServiceRevision: {
      arn: green,
      requestedTaskCount: 2,
      runningTaskCount: 2,
      requestedProductionTrafficWeight: greenWeight,
    },
    deploymentConfiguration: { strategy: 'LINEAR' },
    ...fields,
  };
}

const pause = (status: 'AWAITING_ACTION' | 'SUCCEEDED' | 'TIMED_OUT') => ({
  hookId: 'ecs-pause-1',
  targetType: 'PAUSE' as const,
  status,
  timeoutAction: 'ROLLBACK' as const,
});

describe('ecsDeploymentStatus', () => {
  it('is verifying while the verification hook awaits shipgate, with the replacement on its own target group', () => {
    const s = ecsDeploymentStatus(
      deployment({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [pause('AWAITING_ACTION')] }),
      facts,
    );
    expect(s.phase).toBe('verifying');
    expect(s.controllerStatus).toBe('IN_PROGRESS at POST_TEST_TRAFFIC_SHIFT');
    expect(s.taskDefinitionArn).toBe('arn:td/app:2');
    expect(s.sides.map((t) => [t.label, t.trafficWeight, t.targetGroup])).toEqual([
      ['Blue', 100, 'production-api-blue'],
      ['Green', 0, 'production-api-green'],
    ]);
    expect(s.lifecycleEvents.find((e) => e.status === 'InProgress')?.name).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(s.lifecycleEvents.filter((e) => e.status === 'Succeeded').map((e) => e.name)).toEqual([
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
    ]);
  });

  it('is shifting once the verification hook has been answered, and while traffic shifts', () => {
    expect(
      ecsDeploymentStatus(
        deployment({ lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [pause('SUCCEEDED')] }),
        facts,
      ).phase,
    ).toBe('shifting');
    const shifting = ecsDeploymentStatus(deployment({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' }, 30), facts);
    expect(shifting.phase).toBe('shifting');
    expect(shifting.sides.map((t) => t.trafficWeight)).toEqual([70, 30]);
  });

  it('is baking in the held bake: all traffic moved, the original revision still alive', () => {
    const s = ecsDeploymentStatus(
      deployment(
        { lifecycleStage: 'POST_PRODUCTION_TRAFFIC_SHIFT', lifecycleHookDetails: [pause('AWAITING_ACTION')] },
        100,
      ),
      facts,
    );
    expect(s.phase).toBe('baking');
  });

  it('maps the end states: SUCCESSFUL, stopped with rollback, and rolled back by ECS itself', () => {
    const done = ecsDeploymentStatus(deployment({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }, 100), facts);
    expect(done.phase).toBe('finished');
    expect(done.lifecycleEvents.every((e) => e.status === 'Succeeded')).toBe(true);

    const stopped = ecsDeploymentStatus(
      deployment({
        status: 'ROLLBACK_SUCCESSFUL',
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        rollback: { reason: 'Service deployment rolled back because of a stop request' },
      }),
      facts,
    );
    expect(stopped.phase).toBe('stopped');
    expect(stopped.rollback?.message).toMatch(/stop request/);
    expect(stopped.error).toBeUndefined();

    const alarmed = ecsDeploymentStatus(
      deployment(
        {
          status: 'ROLLBACK_SUCCESSFUL',
          lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
          alarms: { status: 'TRIGGERED', alarmNames: ['demo-5xx'], triggeredAlarmNames: ['demo-5xx'] },
          statusReason: 'Service deployment rolled back because the alarm demo-5xx was triggered',
        },
        20,
      ),
      facts,
    );
    expect(alarmed.phase).toBe('failed');
    expect(alarmed.error?.message).toMatch(/demo-5xx/);
    expect(alarmed.lifecycleEvents.find((e) => e.name === 'PRODUCTION_TRAFFIC_SHIFT')).toMatchObject({
      status: 'Failed',
      diagnostics: { message: expect.stringMatching(/alarm/) },
    });

    const timedOut = ecsDeploymentStatus(
      deployment({
        status: 'ROLLBACK_SUCCESSFUL',
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        lifecycleHookDetails: [pause('TIMED_OUT')],
      }),
      facts,
    );
    expect(timedOut.phase).toBe('failed');

    // The hold hook times out with CONTINUE: that is the deployment finishing, not failing.
    const held = ecsDeploymentStatus(
      deployment(
        {
          status: 'SUCCESSFUL',
          lifecycleStage: 'CLEAN_UP',
          lifecycleHookDetails: [{ ...pause('TIMED_OUT'), timeoutAction: 'CONTINUE' }],
        },
        100,
      ),
      facts,
    );
    expect(held.phase).toBe('finished');
  });

  it('is starting while PENDING and rolling back while a stop or rollback is under way', () => {
    expect(ecsDeploymentStatus(deployment({ status: 'PENDING' }), facts).phase).toBe('starting');
    expect(ecsDeploymentStatus(deployment({ status: 'ROLLBACK_IN_PROGRESS' }), facts).phase).toBe('rolling-back');
    expect(ecsDeploymentStatus(deployment({ status: 'STOP_REQUESTED' }), facts).phase).toBe('rolling-back');
  });
});
