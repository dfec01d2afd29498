import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { sampleTarget } from '../__fixtures__/targets';
import type { DeploymentSide, LifecycleEventView } from '../ports';
import { CodeDeployBlueGreen, codeDeployPhase } from './codedeploy-blue-green';

const sides = (green: number): DeploymentSide[] => [
  { id: 'b', label: 'Blue', trafficWeight: 100 - green, desiredCount: 2, runningCount: 2, pendingCount: 0 },
  { id: 'g', label: 'Green', trafficWeight: green, desiredCount: 2, runningCount: 2, pendingCount: 0 },
];
const events = (allowTraffic: LifecycleEventView['status']): LifecycleEventView[] => [
  { name: 'Install', status: 'Succeeded' },
  { name: 'BeforeAllowTraffic', status: allowTraffic },
];

describe('codeDeployPhase', () => {
  it("reads CodeDeploy's statuses, events and task sets as the engine's phases", () => {
    const phase = (status: string, green = 0, more: Partial<Parameters<typeof codeDeployPhase>[0]> = {}) =>
      codeDeployPhase({ status, lifecycleEvents: events('Pending'), sides: sides(green), ...more });
    expect(phase('Created')).toBe('starting');
    expect(phase('Queued')).toBe('starting');
    expect(phase('InProgress')).toBe('starting');
    expect(phase('Ready')).toBe('verifying');
    // Continued from Ready: BeforeAllowTraffic has begun though no traffic moved yet.
    expect(phase('InProgress', 0, { lifecycleEvents: events('InProgress') })).toBe('shifting');
    expect(phase('InProgress', 30)).toBe('shifting');
    expect(phase('InProgress', 100, { terminationWaitStarted: true })).toBe('baking');
    expect(phase('Baking', 100)).toBe('baking');
    expect(phase('Succeeded', 100)).toBe('finished');
    expect(phase('Stopped')).toBe('stopped');
    expect(phase('Failed')).toBe('failed');
    // CodeDeploy's own rollback deployment: rolling back until its termination wait, then baking.
    expect(phase('InProgress', 0, { rollsBack: true })).toBe('rolling-back');
    expect(phase('InProgress', 100, { rollsBack: true, terminationWaitStarted: true })).toBe('baking');
  });
});

describe('CodeDeployBlueGreen.preview', () => {
  it('shows the AppSpec and configuration CreateDeployment would get, all at once for a rollback', () => {
    const port = new CodeDeployBlueGreen(new CodeDeployClient({ region: 'us-east-1' }));
    const target = sampleTarget('production');
    const input = { target, taskDefinitionArn: '<TASK_DEFINITION>', description: 'x' };
    expect(port.preview(input)).toEqual({
      controller: 'codedeploy',
      application: 'demo-production',
      deploymentGroup: 'api',
      deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      appSpec: {
        version: 0,
        Resources: [
          {
            TargetService: {
              Type: 'AWS::ECS::Service',
              Properties: {
                TaskDefinition: '<TASK_DEFINITION>',
                LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
              },
            },
          },
        ],
      },
    });
    expect(port.preview({ ...input, allAtOnce: true })).toMatchObject({
      deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce',
    });
  });
});
