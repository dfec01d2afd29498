import { afterEach, describe, expect, it } from 'vitest';
import type { TestBed } from './engine-test-bed';
import { appSpecYaml, createTestBed } from './engine-test-bed';

let bed: TestBed;
afterEach(async () => bed?.close());

const revision = (content: string) => ({ revisionType: 'AppSpecContent', appSpecContent: { content } });

describe('CodeDeploy API validation', () => {
  it('answers applications, groups and configs with AWS shapes and errors', async () => {
    bed = await createTestBed();
    const app = (await bed.cd('GetApplication', { applicationName: 'shop' }))['application'] as Record<string, unknown>;
    expect(app).toMatchObject({ applicationName: 'shop', computePlatform: 'ECS', linkedToGitHub: false });
    expect(typeof app['createTime']).toBe('number');
    await expect(
      bed.cd('CreateApplication', { applicationName: 'shop', computePlatform: 'ECS' }),
    ).rejects.toMatchObject({ code: 'ApplicationAlreadyExistsException' });
    await expect(
      bed.cd('CreateApplication', { applicationName: 'x', computePlatform: 'Mainframe' }),
    ).rejects.toMatchObject({ code: 'InvalidComputePlatformException' });
    await expect(bed.cd('GetApplication', { applicationName: 'nope' })).rejects.toMatchObject({
      code: 'ApplicationDoesNotExistException',
    });
    await expect(bed.cd('GetApplication', {})).rejects.toMatchObject({ code: 'ApplicationNameRequiredException' });

    const group = (await bed.cd('GetDeploymentGroup', { applicationName: 'shop', deploymentGroupName: 'shop-prod' }))[
      'deploymentGroupInfo'
    ] as Record<string, unknown>;
    expect(group).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      computePlatform: 'ECS',
      ecsServices: [{ clusterName: 'prod', serviceName: 'web' }],
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
      },
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: [{ name: 'tg-blue' }, { name: 'tg-green' }],
            prodTrafficRoute: { listenerArns: [bed.prod] },
            testTrafficRoute: { listenerArns: [bed.test] },
          },
        ],
      },
    });
    await expect(
      bed.cd('GetDeploymentGroup', { applicationName: 'shop', deploymentGroupName: 'nope' }),
    ).rejects.toMatchObject({ code: 'DeploymentGroupDoesNotExistException' });

    const configs = (await bed.cd('ListDeploymentConfigs', {}))['deploymentConfigsList'] as string[];
    expect(configs).toEqual(
      expect.arrayContaining([
        'CodeDeployDefault.ECSAllAtOnce',
        'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
        'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
        'CodeDeployDefault.ECSCanary10Percent5Minutes',
        'CodeDeployDefault.ECSCanary10Percent15Minutes',
      ]),
    );
    const canary = (
      await bed.cd('GetDeploymentConfig', { deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent15Minutes' })
    )['deploymentConfigInfo'];
    expect(canary).toMatchObject({
      computePlatform: 'ECS',
      trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 } },
    });
    await expect(bed.cd('GetDeploymentConfig', { deploymentConfigName: 'Nope' })).rejects.toMatchObject({
      code: 'DeploymentConfigDoesNotExistException',
    });
  });

  it('validates deployment groups as AWS does', async () => {
    bed = await createTestBed();
    const base = (await bed.cd('GetDeploymentGroup', { applicationName: 'shop', deploymentGroupName: 'shop-prod' }))[
      'deploymentGroupInfo'
    ] as Record<string, unknown>;
    const input = (over: Record<string, unknown>) => ({
      applicationName: 'shop',
      deploymentGroupName: 'other',
      serviceRoleArn: 'arn:aws:iam::000000000000:role/codedeploy',
      deploymentStyle: base['deploymentStyle'],
      ecsServices: [{ clusterName: 'prod', serviceName: 'api' }],
      loadBalancerInfo: base['loadBalancerInfo'],
      blueGreenDeploymentConfiguration: base['blueGreenDeploymentConfiguration'],
      ...over,
    });
    bed.ecs.addService({ clusterName: 'prod', serviceName: 'api', taskDefinition: 'td:1', targetGroupArn: bed.blueTg });
    bed.ecs.addService({
      clusterName: 'prod',
      serviceName: 'rolling',
      taskDefinition: 'td:1',
      targetGroupArn: bed.blueTg,
      deploymentController: 'ECS',
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ deploymentGroupName: 'shop-prod' }, 'DeploymentGroupAlreadyExistsException'],
      [{ serviceRoleArn: undefined }, 'RoleRequiredException'],
      [{ serviceRoleArn: 'not-an-arn' }, 'InvalidRoleException'],
      [
        { deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' } },
        'InvalidDeploymentStyleException',
      ],
      [{ ecsServices: [{ clusterName: 'prod', serviceName: 'missing' }] }, 'InvalidECSServiceException'],
      [{ ecsServices: [{ clusterName: 'prod', serviceName: 'rolling' }] }, 'InvalidECSServiceException'],
      [{ ecsServices: [{ clusterName: 'prod', serviceName: 'web' }] }, 'ECSServiceMappingLimitExceededException'],
      [
        {
          loadBalancerInfo: {
            targetGroupPairInfoList: [
              { targetGroups: [{ name: 'tg-blue' }], prodTrafficRoute: { listenerArns: [bed.prod] } },
            ],
          },
        },
        'InvalidTargetGroupPairException',
      ],
      [
        {
          loadBalancerInfo: {
            targetGroupPairInfoList: [
              {
                targetGroups: [{ name: 'tg-blue' }, { name: 'tg-missing' }],
                prodTrafficRoute: { listenerArns: [bed.prod] },
              },
            ],
          },
        },
        'InvalidTargetGroupPairException',
      ],
      [
        {
          loadBalancerInfo: {
            targetGroupPairInfoList: [
              {
                targetGroups: [{ name: 'tg-blue' }, { name: 'tg-green' }],
                prodTrafficRoute: { listenerArns: ['arn:nope'] },
              },
            ],
          },
        },
        'InvalidLoadBalancerInfoException',
      ],
      [{ blueGreenDeploymentConfiguration: undefined }, 'InvalidBlueGreenDeploymentConfigurationException'],
      [
        { blueGreenDeploymentConfiguration: { deploymentReadyOption: { actionOnTimeout: 'WAIT_FOREVER' } } },
        'InvalidBlueGreenDeploymentConfigurationException',
      ],
      [{ autoRollbackConfiguration: { enabled: true, events: [] } }, 'InvalidAutoRollbackConfigException'],
      [
        { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_OOPS'] } },
        'InvalidAutoRollbackConfigException',
      ],
      [{ alarmConfiguration: { enabled: true, alarms: [] } }, 'InvalidAlarmConfigException'],
      [
        { alarmConfiguration: { enabled: true, alarms: Array.from({ length: 11 }, (_, i) => ({ name: `a${i}` })) } },
        'AlarmsLimitExceededException',
      ],
      [{ deploymentConfigName: 'CodeDeployDefault.OneAtATime' }, 'InvalidDeploymentConfigNameException'],
      [{ deploymentConfigName: 'Nope' }, 'DeploymentConfigDoesNotExistException'],
    ];
    for (const [over, code] of cases) {
      await expect(bed.cd('CreateDeploymentGroup', input(over)), JSON.stringify(over)).rejects.toMatchObject({ code });
    }
    expect(await bed.cd('CreateDeploymentGroup', input({}))).toHaveProperty('deploymentGroupId');
    await bed.cd('UpdateDeploymentGroup', {
      applicationName: 'shop',
      currentDeploymentGroupName: 'other',
      newDeploymentGroupName: 'api-prod',
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
    });
    const updated = (await bed.cd('GetDeploymentGroup', { applicationName: 'shop', deploymentGroupName: 'api-prod' }))[
      'deploymentGroupInfo'
    ];
    expect(updated).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      ecsServices: [{ serviceName: 'api' }],
    });
    await expect(
      bed.cd('GetDeploymentGroup', { applicationName: 'shop', deploymentGroupName: 'other' }),
    ).rejects.toMatchObject({ code: 'DeploymentGroupDoesNotExistException' });
  });

  it('validates CreateDeployment input and the AppSpec', async () => {
    bed = await createTestBed();
    const create = (over: Record<string, unknown>) =>
      bed.cd('CreateDeployment', {
        applicationName: 'shop',
        deploymentGroupName: 'shop-prod',
        revision: revision(appSpecYaml()),
        ...over,
      });
    await expect(create({ applicationName: 'nope' })).rejects.toMatchObject({
      code: 'ApplicationDoesNotExistException',
    });
    await expect(create({ deploymentGroupName: 'nope' })).rejects.toMatchObject({
      code: 'DeploymentGroupDoesNotExistException',
    });
    await expect(create({ deploymentGroupName: undefined })).rejects.toMatchObject({
      code: 'DeploymentGroupNameRequiredException',
    });
    await expect(create({ deploymentConfigName: 'Nope' })).rejects.toMatchObject({
      code: 'DeploymentConfigDoesNotExistException',
    });
    await expect(create({ revision: undefined })).rejects.toMatchObject({ code: 'RevisionRequiredException' });
    await expect(
      create({ revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } } }),
    ).rejects.toMatchObject({ code: 'InvalidRevisionException' });
    await expect(
      create({
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpecYaml(), sha256: '00' } },
      }),
    ).rejects.toMatchObject({ code: 'InvalidRevisionException', message: expect.stringContaining('SHA-256') });
    await expect(create({ revision: revision('version: 0.0\nResources: [') })).rejects.toMatchObject({
      code: 'InvalidRevisionException',
    });
    await expect(
      create({ revision: revision(appSpecYaml().replace('TaskDefinition', 'TaskDef')) }),
    ).rejects.toMatchObject({ code: 'InvalidRevisionException', message: expect.stringContaining('TaskDefinition') });
    await expect(
      create({ revision: revision(appSpecYaml().replace('ContainerPort: 8080', 'ContainerPort: http')) }),
    ).rejects.toMatchObject({ code: 'InvalidRevisionException', message: expect.stringContaining('ContainerPort') });
    await expect(
      create({ revision: revision(`${appSpecYaml()}Hooks:\n  - BeforeInstall: "validate"\n`) }),
    ).rejects.toMatchObject({ code: 'InvalidRevisionException', message: expect.stringContaining('Hooks') });
    expect(bed.codeDeploy.api['ListDeployments']!({}) as Record<string, unknown>).toEqual({ deployments: [] });
  });

  it('answers deployment ids that are malformed, unknown or already complete with AWS errors', async () => {
    bed = await createTestBed();
    await expect(bed.cd('GetDeployment', {})).rejects.toMatchObject({ code: 'DeploymentIdRequiredException' });
    await expect(bed.cd('GetDeployment', { deploymentId: 'deploy-1' })).rejects.toMatchObject({
      code: 'InvalidDeploymentIdException',
    });
    await expect(bed.cd('GetDeployment', { deploymentId: 'd-AAAAAAAAA' })).rejects.toMatchObject({
      code: 'DeploymentDoesNotExistException',
    });
    await expect(bed.cd('StopDeployment', { deploymentId: 'd-AAAAAAAAA' })).rejects.toMatchObject({
      code: 'DeploymentDoesNotExistException',
    });
    const id = await bed.deploy();
    await expect(bed.cd('ContinueDeployment', { deploymentId: id, deploymentWaitType: 'SOON' })).rejects.toMatchObject({
      code: 'InvalidDeploymentWaitTypeException',
    });
    await bed.until(id, 'Succeeded');
    await expect(bed.cd('StopDeployment', { deploymentId: id })).rejects.toMatchObject({
      code: 'DeploymentAlreadyCompletedException',
    });
    await expect(bed.cd('GetDeploymentTarget', { deploymentId: id, targetId: 'prod:api' })).rejects.toMatchObject({
      code: 'DeploymentTargetDoesNotExistException',
    });
    await expect(bed.cd('BatchGetDeploymentTargets', { deploymentId: id })).rejects.toMatchObject({
      code: 'DeploymentTargetIdRequiredException',
    });
    expect(await bed.cd('ListDeploymentTargets', { deploymentId: id })).toEqual({ targetIds: ['prod:web'] });
    expect(
      await bed.cd('ListDeploymentTargets', { deploymentId: id, targetFilters: { TargetStatus: ['Failed'] } }),
    ).toEqual({ targetIds: [] });
    const batch = (await bed.cd('BatchGetDeploymentTargets', { deploymentId: id, targetIds: ['prod:web'] }))[
      'deploymentTargets'
    ] as Record<string, unknown>[];
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({
      deploymentTargetType: 'ECSTarget',
      ecsTarget: {
        targetId: 'prod:web',
        status: 'Succeeded',
        targetArn: 'arn:aws:ecs:us-east-1:000000000000:service/prod/web',
      },
    });
  });

  it('lists deployments newest first, filtered by group and status, page by page', async () => {
    bed = await createTestBed(
      {
        blueGreenDeploymentConfiguration: {
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
        },
      },
      { listPageSize: 2 },
    );
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await bed.deploy());
      await bed.until(ids[i]!, 'Succeeded');
    }
    const stopped = await bed.deploy();
    await bed.cd('StopDeployment', { deploymentId: stopped, autoRollbackEnabled: false });

    const scope = { applicationName: 'shop', deploymentGroupName: 'shop-prod' };
    const first = await bed.cd('ListDeployments', scope);
    expect(first['deployments']).toEqual([stopped, ids[2]]);
    const second = await bed.cd('ListDeployments', { ...scope, nextToken: first['nextToken'] });
    expect(second).toEqual({ deployments: [ids[1], ids[0]] });
    expect(await bed.cd('ListDeployments', { ...scope, includeOnlyStatuses: ['Stopped'] })).toEqual({
      deployments: [stopped],
    });
    await expect(bed.cd('ListDeployments', { ...scope, includeOnlyStatuses: ['Done'] })).rejects.toMatchObject({
      code: 'InvalidDeploymentStatusException',
    });
    await expect(bed.cd('ListDeployments', { ...scope, nextToken: 'garbage' })).rejects.toMatchObject({
      code: 'InvalidNextTokenException',
    });
    await expect(bed.cd('ListDeployments', { deploymentGroupName: 'shop-prod' })).rejects.toMatchObject({
      code: 'ApplicationNameRequiredException',
    });
    const batch = (await bed.cd('BatchGetDeployments', { deploymentIds: [ids[0], 'd-ZZZZZZZZZ'] }))[
      'deploymentsInfo'
    ] as Record<string, unknown>[];
    expect(batch.map((d) => d['deploymentId'])).toEqual([ids[0]]);
  });
});
