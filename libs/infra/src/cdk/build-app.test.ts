import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { ShipgateError } from '@shipgate/model';
import { exampleConfig, exampleTemplates } from '../testing/example-config';
import { commandPermissions } from '../deploy-permissions';
import { buildApp } from './build-app';
import { acceptedFindings } from './nag-suppressions';
import { readNagFindings, synthesize } from './synth';

const out = () => mkdtempSync(join(tmpdir(), 'shipgate-infra-'));
const config = exampleConfig();
const templates = exampleTemplates(config);

function templatesOf(cfg = config) {
  const { app, environments, github } = buildApp(cfg, exampleTemplates(cfg), { outdir: out() });
  app.synth();
  return {
    github: Template.fromStack(github),
    env: Object.fromEntries(environments.map((s, i) => [Object.keys(cfg.environments)[i]!, Template.fromStack(s)])),
  };
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in any stack of the example, and writes a template per stack', () => {
    const dir = out();
    const report = synthesize(config, templates, dir);
    expect(report.stacks.map((s) => s.stack).sort()).toEqual([
      'shipgate-demo-github',
      'shipgate-demo-production',
      'shipgate-demo-staging',
      'shipgate-demo-test',
    ]);
    expect(readNagFindings(dir)).toEqual([]);
  });

  it('finds nothing unacknowledged either when the config names its own VPC, subnets and security groups', () => {
    const cfg = exampleConfig((raw) => {
      raw.environments.production.aws.network = {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        subnets: ['subnet-0a1b2c3d4e5f60719', 'subnet-0a1b2c3d4e5f6071a'],
        securityGroups: ['sg-0a1b2c3d4e5f6071b'],
      };
    });
    const dir = out();
    synthesize(cfg, exampleTemplates(cfg), dir);
    expect(readNagFindings(dir)).toEqual([]);
  });

  it('fails the synth on a finding nobody acknowledged, and the report names the rule and the resource', () => {
    const dir = out();
    const { app, environments } = buildApp(config, templates, { outdir: dir });
    new s3.Bucket(environments[0]!, 'Unencrypted', { enforceSSL: false });
    expect(() => app.synth()).toThrow();
    const findings = readNagFindings(dir);
    expect(findings.some((f) => f.rule === 'AwsSolutions-S10' && f.constructPath.includes('Unencrypted'))).toBe(true);
  });

  it('gives every acknowledged finding a reason', () => {
    for (const f of acceptedFindings) expect(f.reason.length, f.id).toBeGreaterThan(40);
  });
});

describe('the deploy roles', () => {
  const t = templatesOf();

  it('trust only GitHub OIDC tokens of this repository in their own environment', () => {
    for (const env of ['test', 'staging', 'production']) {
      t.env[env]!.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `shipgate-demo-${env}-deploy`,
        MaxSessionDuration: 3600,
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRoleWithWebIdentity',
              Effect: 'Allow',
              Principal: {
                Federated: {
                  'Fn::Sub':
                    'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com',
                },
              },
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': `repo:acme/shipgate-demo:environment:${env}`,
                },
              },
            },
          ],
        },
      });
    }
    t.github.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'shipgate-demo-build',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: {
              StringEquals: Match.objectLike({
                'token.actions.githubusercontent.com:sub': 'repo:acme/shipgate-demo:ref:refs/heads/main',
              }),
            },
          }),
        ],
      },
    });
    t.github.resourceCountIs('AWS::IAM::OIDCProvider', 1);
  });

  it('grant "*" only for actions IAM cannot scope to a resource (or scopes by a condition)', () => {
    const unscopable = new Set(
      Object.values(commandPermissions)
        .flatMap((c) => Object.values(c))
        .flatMap((p) => ('actions' in p && (p.resource === 'any' || p.resource === 'in-cluster') ? p.actions : [])),
    );
    unscopable.add('ecr:GetAuthorizationToken');
    for (const template of [t.github, ...Object.values(t.env)]) {
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        for (const st of policy.Properties.PolicyDocument.Statement as {
          Action: string | string[];
          Resource: unknown;
        }[]) {
          const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
          if (!resources.includes('*')) continue;
          for (const action of [st.Action].flat()) expect(unscopable, `${action} on *`).toContain(action);
        }
      }
    }
  });

  it('name this environment’s own service, deployment group and alarm', () => {
    t.env.staging!.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: 'shipgate-demo-staging-deploy-policy',
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CodedeployDeploymentGroup',
            Resource: {
              'Fn::Sub':
                'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:shipgate-demo-staging/sample-service',
            },
          }),
        ]),
      },
    });
    t.env.production!.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: 'shipgate-demo-production-deploy-policy',
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'Alarm',
            Resource: {
              'Fn::Sub':
                'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:shipgate-demo-production-5xx',
            },
          }),
          Match.objectLike({
            Sid: 'TaskExecutionRole',
            Action: 'iam:PassRole',
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          }),
        ]),
      },
    });
  });
});

describe('the environment stacks', () => {
  const t = templatesOf();

  it('put the production and test listeners on the declared ports, forwarding to blue and green', () => {
    const ports = { test: [18080, 18081], staging: [18180, 18181], production: [18280, 18281] } as const;
    for (const [env, [production, test]] of Object.entries(ports)) {
      const listeners = Object.values(t.env[env]!.findResources('AWS::ElasticLoadBalancingV2::Listener'));
      expect(listeners.map((l) => l.Properties.Port).sort()).toEqual([production, test]);
      for (const l of listeners) expect(l.Properties.Protocol).toBe('HTTP');
    }
  });

  it('give both target groups the configured health check and deregistration delay', () => {
    for (const color of ['blue', 'green']) {
      t.env.staging!.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: `staging-sample-service-${color}`,
        Port: 8080,
        TargetType: 'ip',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }]),
      });
    }
  });

  it('retain what holds data: logs (a year where data is real), the access-log bucket; protect production’s load balancer', () => {
    t.env.production!.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { LogGroupName: '/shipgate/shipgate-demo/production/sample-service', RetentionInDays: 365 },
    });
    t.env.test!.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { LogGroupName: '/shipgate/shipgate-demo/test/sample-service', RetentionInDays: 30 },
    });
    t.env.production!.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    t.env.production!.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
  });

  it('run the service under the CODE_DEPLOY controller with the deployment group bootstrap would create', () => {
    t.env.staging!.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'sample-service',
      DesiredCount: 2,
      DeploymentController: { Type: 'CODE_DEPLOY' },
    });
    t.env.staging!.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      ApplicationName: 'shipgate-demo-staging',
      DeploymentGroupName: 'sample-service',
      DeploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      BlueGreenDeploymentConfiguration: {
        DeploymentReadyOption: { ActionOnTimeout: 'STOP_DEPLOYMENT', WaitTimeInMinutes: 10 },
        TerminateBlueInstancesOnDeploymentSuccess: { Action: 'TERMINATE', TerminationWaitTimeInMinutes: 1 },
      },
      AlarmConfiguration: { Enabled: false, Alarms: [] },
    });
    // The example's production runs on the ECS-native controller.
    t.env.production!.hasResourceProperties('AWS::ECS::Service', { DeploymentController: { Type: 'ECS' } });
  });
});

describe('the config', () => {
  it('needs infra.githubRepository (the subject the roles trust)', () => {
    const cfg = exampleConfig((raw) => delete raw.infra);
    expect(() => buildApp(cfg, templates)).toThrow(ShipgateError);
    void Stack;
  });
});

describe('an environment on the ECS-native controller', () => {
  const cfg = exampleConfig((raw) => {
    raw.environments.production.deploy = {
      controller: 'ecs',
      strategy: 'LINEAR',
      linear: { stepPercent: 10, stepBakeTime: '1m' },
      bakeTime: '5m',
      alarms: ['shipgate-demo-production-5xx'],
    };
  });

  it('is cdk-nag clean too', () => {
    const dir = out();
    synthesize(cfg, exampleTemplates(cfg), dir);
    expect(readNagFindings(dir)).toEqual([]);
  });

  const t = templatesOf(cfg).env.production!;

  it('runs the service under the ECS controller with both listener rules, the alternate target group and the infrastructure role', () => {
    t.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    t.resourceCountIs('AWS::CodeDeploy::Application', 0);
    const rules = Object.values(t.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')).map((r) => r.Properties);
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.Conditions).toEqual([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }]);
      expect(rule.Actions[0].ForwardConfig.TargetGroups.map((g: { Weight: number }) => g.Weight)).toEqual([100, 0]);
    }
    t.hasResourceProperties('AWS::ECS::Service', {
      DeploymentController: { Type: 'ECS' },
      DeploymentConfiguration: Match.objectLike({
        Strategy: 'LINEAR',
        LinearConfiguration: { StepPercent: 10, StepBakeTimeInMinutes: 1 },
        BakeTimeInMinutes: 0,
        Alarms: { AlarmNames: ['shipgate-demo-production-5xx'], Enable: true, Rollback: true },
        LifecycleHooks: [
          Match.objectLike({ TargetType: 'PAUSE', LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }),
          Match.objectLike({ TargetType: 'PAUSE', LifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'] }),
        ],
      }),
      LoadBalancers: [
        Match.objectLike({
          AdvancedConfiguration: Match.objectLike({
            AlternateTargetGroupArn: Match.anyValue(),
            ProductionListenerRule: Match.anyValue(),
            TestListenerRule: Match.anyValue(),
            RoleArn: Match.anyValue(),
          }),
        }),
      ],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'shipgate-demo-production-ecs-infrastructure',
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })],
      },
    });
  });

  it('lets the deploy role drive ECS service deployments and pass only the infrastructure role to ECS, and nothing of CodeDeploy', () => {
    const [policy] = Object.values(t.findResources('AWS::IAM::Policy')).filter(
      (p) => p.Properties.PolicyName === 'shipgate-demo-production-deploy-policy',
    );
    const statements = policy!.Properties.PolicyDocument.Statement as { Sid: string; Action: string | string[] }[];
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['ecs:UpdateService', 'ecs:ContinueServiceDeployment']));
    expect(actions.filter((a) => a.startsWith('codedeploy:'))).toEqual([]);
    expect(statements.find((s) => s.Sid === 'EcsInfrastructureRole')).toMatchObject({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' } },
    });
  });
});
