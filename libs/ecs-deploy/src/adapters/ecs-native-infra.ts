import { ListDeploymentsCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  DescribeRulesCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EcsServiceSettings, EcsServiceSpec, ForwardWeight, ListenerRuleView } from '../infra-port';
import { awsCall, awsErrorName, translateAwsError, type AwsCallContext } from './aws-errors';
import { ecsDeploymentConfiguration, ecsLoadBalancers } from './ecs-native-settings';

/** The target groups and weights of a forward action (a single TargetGroupArn counts as weight 1). */
function forwardOf(actions: Action[] | undefined): ForwardWeight[] {
  const forward = actions?.find((a) => a.Type === 'forward');
  if (forward?.ForwardConfig?.TargetGroups?.length)
    return forward.ForwardConfig.TargetGroups.map((g) => ({
      targetGroupArn: g.TargetGroupArn ?? '',
      weight: g.Weight ?? 1,
    }));
  return forward?.TargetGroupArn ? [{ targetGroupArn: forward.TargetGroupArn, weight: 1 }] : [];
}

/** What an ECS-native service runs with (DescribeServices), as bootstrap compares it to the config. */
export function ecsServiceSettings(s: Service): EcsServiceSettings {
  const dc = s.deploymentConfiguration;
  const lb = s.loadBalancers?.[0];
  const advanced = lb?.advancedConfiguration;
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    ...(dc?.strategy ? { strategy: dc.strategy } : {}),
    pauseStages: (dc?.lifecycleHooks ?? [])
      .filter((h) => h.targetType === 'PAUSE')
      .flatMap((h) => h.lifecycleStages ?? []),
    ...(dc?.bakeTimeInMinutes !== undefined ? { bakeTimeInMinutes: dc.bakeTimeInMinutes } : {}),
    alarms: dc?.alarms?.enable ? (dc.alarms.alarmNames ?? []) : [],
    ...(advanced
      ? {
          resources: defined({
            targetGroupArn: lb?.targetGroupArn,
            alternateTargetGroupArn: advanced.alternateTargetGroupArn,
            productionListenerRuleArn: advanced.productionListenerRule,
            testListenerRuleArn: advanced.testListenerRule,
            roleArn: advanced.roleArn,
          }),
        }
      : {}),
  };
}

/**
 * Bootstrap's ECS-native calls (listener rules, the in-place controller migration and its precondition, the
 * deployment configuration) and the call helpers AwsInfra builds on.
 */
export class EcsNativeInfra {
  constructor(
    protected readonly c: { ecs: ECSClient; elbv2: ElasticLoadBalancingV2Client; codedeploy: CodeDeployClient },
    protected readonly context: AwsCallContext = {},
  ) {}

  protected call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return awsCall(operation, this.context, work);
  }

  async describeListenerRules(listenerArn: string): Promise<ListenerRuleView[]> {
    const out = await this.call('ELBv2 DescribeRules', () =>
      this.c.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn })),
    );
    return (out.Rules ?? []).map((r) => ({
      arn: r.RuleArn ?? '',
      priority: r.Priority ?? '',
      isDefault: r.IsDefault ?? false,
      forward: forwardOf(r.Actions),
    }));
  }

  async createListenerRule(listenerArn: string, priority: number, forward: ForwardWeight[]): Promise<ListenerRuleView> {
    const out = await this.call('ELBv2 CreateRule', () =>
      this.c.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: priority,
          // Every request: the rule, not the default action, is what ECS shifts.
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: forward.map((f) => ({ TargetGroupArn: f.targetGroupArn, Weight: f.weight })),
              },
            },
          ],
        }),
      ),
    );
    const rule = out.Rules?.[0];
    return { arn: rule?.RuleArn ?? '', priority: String(priority), isDefault: false, forward };
  }

  async migrateServiceToEcs(spec: EcsServiceSpec): Promise<void> {
    await this.call('ECS UpdateService', () =>
      this.c.ecs.send(
        new UpdateServiceCommand({
          cluster: spec.target.cluster,
          service: spec.target.ecsService,
          deploymentController: { type: 'ECS' },
          deploymentConfiguration: ecsDeploymentConfiguration(spec.target, spec.routing),
          loadBalancers: ecsLoadBalancers(spec.target, spec.resources),
        }),
      ),
    );
  }

  async updateEcsDeploymentConfiguration(spec: Omit<EcsServiceSpec, 'resources'>): Promise<void> {
    await this.call('ECS UpdateService', () =>
      this.c.ecs.send(
        new UpdateServiceCommand({
          cluster: spec.target.cluster,
          service: spec.target.ecsService,
          deploymentConfiguration: ecsDeploymentConfiguration(spec.target, spec.routing),
        }),
      ),
    );
  }
  /** The migration's precondition (AWS: no deployment in flight): the CodeDeploy deployment of the group in flight, if any. */
  async activeCodeDeployDeployment(application: string, group: string): Promise<string | undefined> {
    const out = await this.orMissing(
      'CodeDeploy ListDeployments',
      ['ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException'],
      () =>
        this.c.codedeploy.send(
          new ListDeploymentsCommand({
            applicationName: application,
            deploymentGroupName: group,
            includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
          }),
        ),
    );
    return out?.deployments?.[0];
  }

  /** Undefined when AWS says the thing is missing (by exception name); any other error is translated. */
  protected async orMissing<T>(operation: string, missing: string[], work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (missing.includes(awsErrorName(error) ?? '')) return undefined;
      throw translateAwsError(error, operation, this.context);
    }
  }
}
