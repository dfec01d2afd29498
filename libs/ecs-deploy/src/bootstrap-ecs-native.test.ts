import { describe, expect, it } from 'vitest';
import { initialTaskDefinitionFor, sampleTarget } from './__fixtures__/targets';
import { bootstrapEnvironment } from './bootstrap-environment';
import { FakeInfra, FakeTaskDefinitions } from './testing';

const codedeploy = sampleTarget('production');
const ecs = sampleTarget('production', {
  controller: 'ecs',
  strategy: 'LINEAR',
  linear: { stepPercent: 10, stepBakeTime: '1m' },
});
const initialTaskDefinition = initialTaskDefinitionFor(ecs);
const local = { dryRun: false, local: true, initialTaskDefinition };

describe('bootstrapEnvironment with the ECS-native controller', () => {
  it('creates both listener rules on blue, references the role and creates an ECS-controller service; no CodeDeploy', async () => {
    const infra = new FakeInfra();
    const report = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), local);
    expect(report.complete).toBe(true);
    expect(report.steps.map((s) => `${s.resource} ${s.action}`)).toEqual([
      'cluster create',
      'target-group create',
      'target-group create',
      'load-balancer create',
      'listener create',
      'listener create',
      'alarm create',
      'listener-rule create',
      'listener-rule create',
      'infrastructure-role unchanged',
      'ecs-service create',
    ]);
    expect(infra.calls.filter((c) => c.startsWith('createListenerRule'))).toEqual([
      'createListenerRule arn:listener/18280 1: arn:tg/production-api-blue=100 arn:tg/production-api-green=0',
      'createListenerRule arn:listener/18281 1: arn:tg/production-api-blue=100 arn:tg/production-api-green=0',
    ]);
    expect(infra.services.get('demo-production/api')).toMatchObject({
      controller: 'ECS',
      ecs: {
        strategy: 'LINEAR',
        resources: {
          targetGroupArn: 'arn:tg/production-api-blue',
          alternateTargetGroupArn: 'arn:tg/production-api-green',
          productionListenerRuleArn: 'arn:listener/18280/rule/1',
          testListenerRuleArn: 'arn:listener/18281/rule/1',
          roleArn: 'arn:aws:iam::000000000000:role/shipgate-local-ecs-infrastructure',
        },
      },
    });
    expect(infra.applications.size + infra.groups.size).toBe(0);

    infra.calls.length = 0;
    const again = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), local);
    expect(again.steps.filter((s) => s.action !== 'unchanged')).toEqual([]);
    expect(infra.calls).toEqual([]);
  });

  it('on AWS without aws.ecsInfrastructureRoleArn: says which setting is missing and creates no service', async () => {
    const infra = new FakeInfra();
    const report = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), {
      ...local,
      local: false,
      network: { vpcId: 'vpc-1' },
    });
    expect(report.complete).toBe(false);
    expect(report.steps.find((s) => s.resource === 'infrastructure-role')).toMatchObject({
      action: 'missing',
      note: expect.stringContaining('environments.production.aws.ecsInfrastructureRoleArn'),
    });
    expect(report.steps.find((s) => s.resource === 'ecs-service')?.action).toBe('missing');
    expect(infra.services.size).toBe(0);
  });

  it('converges a drifted deployment configuration without starting a deployment', async () => {
    const infra = new FakeInfra();
    await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), local);
    infra.services.get('demo-production/api')!.ecs!.pauseStages = ['POST_TEST_TRAFFIC_SHIFT'];
    infra.calls.length = 0;
    const report = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), local);
    expect(report.steps.find((s) => s.resource === 'ecs-service')).toMatchObject({
      action: 'update',
      changes: ['PAUSE hooks: [POST_TEST_TRAFFIC_SHIFT] → [POST_PRODUCTION_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT]'],
    });
    expect(infra.calls).toEqual(['updateEcsDeploymentConfiguration api']);
  });
});

describe('moving a CodeDeploy service to ECS-native', () => {
  /** A CodeDeploy environment whose last deployment left production traffic on green. */
  async function codeDeployOnGreen() {
    const infra = new FakeInfra();
    await bootstrapEnvironment(codedeploy, infra, new FakeTaskDefinitions(), local);
    infra.rules.get('arn:listener/18280')![0]!.forward = [{ targetGroupArn: 'arn:tg/production-api-green', weight: 1 }];
    infra.calls.length = 0;
    return infra;
  }

  it('never migrates unasked: says what it would change, changes nothing, reports incomplete', async () => {
    const infra = await codeDeployOnGreen();
    const report = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), { ...local, dryRun: true });
    const step = report.steps.find((s) => s.resource === 'ecs-service')!;
    expect(step.action).toBe('migrate');
    expect(step.changes[0]).toBe('deploymentController: CODE_DEPLOY → ECS');
    expect(step.note).toMatch(/--migrate-controller.*nothing is recreated/);
    expect(report.complete).toBe(false);
    expect(infra.calls).toEqual([]);

    const applied = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), local);
    expect(applied.steps.find((s) => s.resource === 'ecs-service')?.action).toBe('migrate');
    // The listener rules may be added (they route as the default action does); the service is untouched.
    expect(infra.calls.filter((c) => !c.startsWith('createListenerRule'))).toEqual([]);
    expect(infra.services.get('demo-production/api')!.controller).toBe('CODE_DEPLOY');
  });

  it('with --migrate-controller: moves it in place, keeping production traffic on the target group it is on', async () => {
    const infra = await codeDeployOnGreen();
    const report = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), {
      ...local,
      migrateController: true,
    });
    expect(report.complete).toBe(true);
    expect(report.steps.find((s) => s.resource === 'ecs-service')).toMatchObject({
      action: 'update',
      note: expect.stringMatching(/^moved in place with UpdateService/),
    });
    expect(infra.calls).toContain(
      'createListenerRule arn:listener/18280 1: arn:tg/production-api-green=100 arn:tg/production-api-blue=0',
    );
    expect(infra.calls).toContain('migrateServiceToEcs api');
    expect(infra.services.get('demo-production/api')!.ecs?.resources).toMatchObject({
      targetGroupArn: 'arn:tg/production-api-green',
      alternateTargetGroupArn: 'arn:tg/production-api-blue',
    });
    expect(report.steps.find((s) => s.resource === 'deployment-group')?.note).toMatch(/no longer used/);
  });

  it('refuses to migrate while a CodeDeploy deployment is in flight, as AWS requires', async () => {
    const infra = await codeDeployOnGreen();
    infra.inFlight.set('demo-production/api', 'd-ABCDEF123');
    const report = await bootstrapEnvironment(ecs, infra, new FakeTaskDefinitions(), {
      ...local,
      migrateController: true,
    });
    expect(report.steps.find((s) => s.resource === 'ecs-service')).toMatchObject({
      action: 'missing',
      note: expect.stringContaining('d-ABCDEF123 is in flight'),
    });
    expect(infra.calls).not.toContain('migrateServiceToEcs api');
  });
});
