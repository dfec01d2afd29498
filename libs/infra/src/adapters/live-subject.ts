import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { awsCall, createAwsInfra, type AwsCallContext, type DeployClients } from '@shipgate/ecs-deploy/aws';
import type { ServiceTarget } from '@shipgate/model';
import type { ParitySubject } from '../parity-view';

/** What runs for a service in an environment, read through the SDK; `missing` names what does not exist. */
export async function readLiveSubject(
  clients: DeployClients,
  target: ServiceTarget,
  context: AwsCallContext = {},
): Promise<{ subject: ParitySubject } | { missing: string }> {
  const infra = createAwsInfra(clients, context);
  const service = await infra.describeService(target.cluster, target.ecsService);
  if (!service) return { missing: `ECS service ${target.cluster}/${target.ecsService}` };
  const groups = [];
  for (const name of target.targetGroups) {
    const found = await infra.describeTargetGroup(name);
    if (found) {
      const { name: _n, arn: _a, ...settings } = found;
      groups.push(settings);
    }
  }
  const group =
    service.controller === 'ECS'
      ? undefined
      : await infra.describeDeploymentGroup(target.codeDeployApplication, target.deploymentGroup);
  const taskDefinition = service.taskDefinitionArn
    ? (
        await awsCall('ECS DescribeTaskDefinition', context, () =>
          clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinitionArn })),
        )
      ).taskDefinition
    : undefined;
  const alarmNames = group?.alarms ?? service.ecs?.alarms ?? [];
  const alarms = alarmNames.length
    ? ((
        await awsCall('CloudWatch DescribeAlarms', context, () =>
          clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: alarmNames })),
        )
      ).MetricAlarms ?? [])
    : [];
  return {
    subject: {
      environment: target.environment,
      desiredCount: service.desiredCount,
      targetGroups: groups,
      ...(service.controller ? { controller: service.controller } : {}),
      ...(group && service.controller !== 'ECS' ? { deploymentGroup: group } : {}),
      ...(service.ecs
        ? {
            ecs: {
              ...(service.ecs.strategy ? { strategy: service.ecs.strategy } : {}),
              pauseStages: service.ecs.pauseStages,
              ...(service.ecs.bakeTimeInMinutes !== undefined
                ? { bakeTimeInMinutes: service.ecs.bakeTimeInMinutes }
                : {}),
            },
          }
        : {}),
      alarms: alarms.map((a) => ({
        namespace: a.Namespace as 'AWS/ApplicationELB',
        metricName: a.MetricName as 'HTTPCode_Target_5XX_Count',
        statistic: a.Statistic as 'Sum',
        periodSeconds: a.Period ?? 0,
        evaluationPeriods: a.EvaluationPeriods ?? 0,
        threshold: a.Threshold ?? 0,
        comparisonOperator: a.ComparisonOperator as 'GreaterThanOrEqualToThreshold',
        treatMissingData: a.TreatMissingData as 'notBreaching',
      })),
      ...(taskDefinition ? { taskDefinition: taskDefinition as unknown as Record<string, unknown> } : {}),
    },
  };
}
