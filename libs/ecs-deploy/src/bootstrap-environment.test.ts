import { describe, expect, it } from 'vitest';
import { initialTaskDefinitionFor, sampleTarget } from './__fixtures__/targets';
import { bootstrapEnvironment } from './bootstrap-environment';
import { FakeInfra, FakeTaskDefinitions } from './testing';

const target = sampleTarget('production');
const initialTaskDefinition = initialTaskDefinitionFor(target);
const role = 'arn:aws:iam::123456789012:role/codedeploy';

describe('bootstrapEnvironment', () => {
  it('on AWS: stops before anything needing a VPC when none is given, and creates nothing', async () => {
    const infra = new FakeInfra();
    const report = await bootstrapEnvironment(target, infra, new FakeTaskDefinitions(), {
      dryRun: false,
      local: false,
      initialTaskDefinition,
      serviceRoleArn: role,
    });
    expect(report.complete).toBe(false);
    expect(report.steps.filter((s) => s.action === 'missing').map((s) => s.resource)).toEqual([
      'target-group',
      'target-group',
    ]);
    expect(infra.calls).toEqual(['createCluster demo-production']);
  });

  it('on AWS: creates everything but the alarms, which it reports as missing; the test listener starts on green', async () => {
    const infra = new FakeInfra();
    const report = await bootstrapEnvironment(target, infra, new FakeTaskDefinitions(), {
      dryRun: false,
      local: false,
      initialTaskDefinition,
      serviceRoleArn: role,
      network: { vpcId: 'vpc-1', subnets: ['subnet-1'] },
    });
    expect(report.steps.find((s) => s.resource === 'alarm')).toMatchObject({ name: 'demo-5xx', action: 'missing' });
    expect(infra.calls).toContain('createListener 18280 → arn:tg/production-api-blue');
    expect(infra.calls).toContain('createListener 18281 → arn:tg/production-api-green');
    expect(infra.groups.get('demo-production/api')).toMatchObject({
      readyAction: 'STOP_DEPLOYMENT',
      readyWaitMinutes: 10,
      terminationWaitMinutes: 5,
      alarms: ['demo-5xx'],
      autoRollbackEvents: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
    });
  });

  it('converges a drifted deployment group and desired count, and leaves the rest alone', async () => {
    const infra = new FakeInfra();
    const options = { dryRun: false, local: true, initialTaskDefinition };
    await bootstrapEnvironment(target, infra, new FakeTaskDefinitions(), options);
    infra.groups.get('demo-production/api')!.readyAction = 'CONTINUE_DEPLOYMENT';
    infra.services.get('demo-production/api')!.desiredCount = 5;
    infra.calls.length = 0;
    const report = await bootstrapEnvironment(target, infra, new FakeTaskDefinitions(), options);
    expect(report.steps.filter((s) => s.action === 'update').map((s) => s.changes)).toEqual([
      ['desiredCount: 5 → 2'],
      ['readyAction: CONTINUE_DEPLOYMENT → STOP_DEPLOYMENT'],
    ]);
    expect(infra.calls).toEqual(['updateDesiredCount 2', 'updateDeploymentGroup api']);
  });

  it('asks for a release when the ECS service has to be created, and for a role on AWS', async () => {
    const report = await bootstrapEnvironment(target, new FakeInfra(), new FakeTaskDefinitions(), {
      dryRun: true,
      local: false,
      network: { vpcId: 'vpc-1' },
    });
    expect(report.steps.find((s) => s.resource === 'ecs-service')?.note).toContain('--release <release id>');
    expect(report.steps.find((s) => s.resource === 'deployment-group')?.note).toContain('codeDeployServiceRoleArn');
  });
});
