import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { DiagnosticsPort, StoppedTaskReport } from '../ports';
import { awsCall, type AwsCallContext } from './aws-errors';

/** The clients diagnostics read from. */
export interface DiagnosticsClients {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
}

/** Target health, stopped tasks and alarms, read from ELBv2, ECS and CloudWatch. */
export class AwsDiagnostics implements DiagnosticsPort {
  constructor(
    private readonly clients: DiagnosticsClients,
    private readonly context: AwsCallContext = {},
    /** Where a task's output can be read directly (local-cloud); on AWS it is in CloudWatch Logs. */
    private readonly taskOutput?: (taskArn: string) => Promise<string[] | undefined>,
  ) {}

  async targetHealth(targetGroup: string) {
    const groups = await awsCall('ELBv2 DescribeTargetGroups', this.context, () =>
      this.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [targetGroup] })),
    );
    const arn = groups.TargetGroups?.[0]?.TargetGroupArn;
    if (!arn) return { healthy: 0, unhealthy: [] };
    const health = await awsCall('ELBv2 DescribeTargetHealth', this.context, () =>
      this.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })),
    );
    const all = health.TargetHealthDescriptions ?? [];
    return {
      healthy: all.filter((t) => t.TargetHealth?.State === 'healthy').length,
      unhealthy: all
        .filter((t) => t.TargetHealth?.State !== 'healthy')
        .map((t) => ({
          target: `${t.Target?.Id ?? '?'}:${t.Target?.Port ?? '?'}`,
          state: t.TargetHealth?.State ?? 'unknown',
          ...(t.TargetHealth?.Reason ? { reason: t.TargetHealth.Reason } : {}),
          ...(t.TargetHealth?.Description ? { description: t.TargetHealth.Description } : {}),
        })),
    };
  }

  async stoppedTasks(cluster: string, service: string, limit: number): Promise<StoppedTaskReport[]> {
    const list = await awsCall('ECS ListTasks', this.context, () =>
      this.clients.ecs.send(
        new ListTasksCommand({
          cluster,
          serviceName: service,
          desiredStatus: 'STOPPED',
          maxResults: Math.min(100, Math.max(1, limit)),
        }),
      ),
    );
    const arns = (list.taskArns ?? []).slice(0, limit);
    if (arns.length === 0) return [];
    const described = await awsCall('ECS DescribeTasks', this.context, () =>
      this.clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: arns })),
    );
    const tasks = [...(described.tasks ?? [])].sort(
      (a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0),
    );
    const logGroups = new Map<string, string | undefined>();
    const reports: StoppedTaskReport[] = [];
    for (const task of tasks) {
      const container = task.containers?.[0];
      const td = task.taskDefinitionArn;
      if (td && !logGroups.has(td)) logGroups.set(td, await this.logGroupOf(td));
      const group = td ? logGroups.get(td) : undefined;
      const lines = (task.taskArn && this.taskOutput ? await this.taskOutput(task.taskArn) : undefined) ?? [];
      reports.push({
        taskArn: task.taskArn ?? '',
        ...(td ? { taskDefinitionArn: td } : {}),
        reason: task.stoppedReason ?? container?.reason ?? 'no reason given',
        ...(container?.exitCode !== undefined ? { exitCode: container.exitCode } : {}),
        lastOutput: lines,
        ...(group
          ? { logHint: `CloudWatch Logs group ${group} (stream prefix of container ${container?.name ?? ''})` }
          : {}),
      });
    }
    return reports;
  }

  async alarmsInAlarm(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const out = await awsCall('CloudWatch DescribeAlarms', this.context, () =>
      this.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names, StateValue: 'ALARM' })),
    );
    return (out.MetricAlarms ?? []).map((a) => a.AlarmName ?? '').filter(Boolean);
  }

  private async logGroupOf(taskDefinitionArn: string): Promise<string | undefined> {
    try {
      const out = await this.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
      return out.taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options?.['awslogs-group'];
    } catch {
      return undefined;
    }
  }
}
