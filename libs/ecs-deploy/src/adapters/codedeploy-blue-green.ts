import {
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type CodeDeployClient,
  type DeploymentStatus,
} from '@aws-sdk/client-codedeploy';
import { ShipgateError } from '@shipgate/model';
import { taskDefinitionOfAppSpec } from '../app-spec';
import type { TrafficRouting } from '../deploy-budget';
import type {
  BlueGreenPort,
  BlueGreenStatus,
  ControllerStatus,
  DeploymentGroupRef,
  LifecycleEventView,
  StartBlueGreenInput,
  TaskSetTraffic,
} from '../ports';
import { awsCall, type AwsCallContext } from './aws-errors';

const activeStatuses: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/** Blue/green deployments through AWS CodeDeploy (ECS compute platform). */
export class CodeDeployBlueGreen implements BlueGreenPort {
  readonly controller = 'codedeploy' as const;
  constructor(
    private readonly client: CodeDeployClient,
    private readonly context: AwsCallContext = {},
  ) {}

  async start(input: StartBlueGreenInput): Promise<string> {
    const out = await awsCall('CodeDeploy CreateDeployment', this.context, () =>
      this.client.send(
        new CreateDeploymentCommand({
          applicationName: input.application,
          deploymentGroupName: input.deploymentGroup,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: input.appSpec } },
          description: input.description.slice(0, 100),
          ...(input.deploymentConfig ? { deploymentConfigName: input.deploymentConfig } : {}),
        }),
      ),
    );
    return out.deploymentId!;
  }

  async status(id: string): Promise<BlueGreenStatus> {
    const info =
      (
        await awsCall('CodeDeploy GetDeployment', this.context, () =>
          this.client.send(new GetDeploymentCommand({ deploymentId: id })),
        )
      ).deploymentInfo ?? {};
    const targets = await awsCall('CodeDeploy ListDeploymentTargets', this.context, () =>
      this.client.send(new ListDeploymentTargetsCommand({ deploymentId: id })),
    );
    const targetId = targets.targetIds?.[0];
    const ecs = targetId
      ? (
          await awsCall('CodeDeploy GetDeploymentTarget', this.context, () =>
            this.client.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId })),
          )
        ).deploymentTarget?.ecsTarget
      : undefined;
    const content = info.revision?.appSpecContent?.content;
    const taskDefinitionArn = content ? taskDefinitionOfAppSpec(content) : undefined;
    const lifecycleEvents: LifecycleEventView[] = (ecs?.lifecycleEvents ?? []).map((e) => ({
      name: e.lifecycleEventName ?? 'Unknown',
      status: (e.status ?? 'Unknown') as LifecycleEventView['status'],
      ...(e.startTime ? { startedAt: e.startTime } : {}),
      ...(e.endTime ? { endedAt: e.endTime } : {}),
      ...(e.diagnostics
        ? {
            diagnostics: {
              ...(e.diagnostics.errorCode ? { code: e.diagnostics.errorCode } : {}),
              ...(e.diagnostics.message ? { message: e.diagnostics.message } : {}),
              ...(e.diagnostics.logTail ? { logTail: e.diagnostics.logTail } : {}),
            },
          }
        : {}),
    }));
    const taskSets: TaskSetTraffic[] = (ecs?.taskSetsInfo ?? []).map((t) => ({
      id: t.identifer ?? '',
      label: t.taskSetLabel === 'Green' ? 'Green' : 'Blue',
      trafficWeight: t.trafficWeight ?? 0,
      desiredCount: t.desiredCount ?? 0,
      runningCount: t.runningCount ?? 0,
      pendingCount: t.pendingCount ?? 0,
      ...(t.status ? { status: t.status } : {}),
      ...(t.targetGroup?.name ? { targetGroup: t.targetGroup.name } : {}),
    }));
    return {
      id,
      status: (info.status ?? 'Created') as ControllerStatus,
      ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
      ...(info.description ? { description: info.description } : {}),
      ...(info.deploymentConfigName ? { deploymentConfig: info.deploymentConfigName } : {}),
      lifecycleEvents,
      taskSets,
      ...(info.errorInformation
        ? {
            error: {
              ...(info.errorInformation.code ? { code: info.errorInformation.code } : {}),
              ...(info.errorInformation.message ? { message: info.errorInformation.message } : {}),
            },
          }
        : {}),
      ...(info.rollbackInfo
        ? {
            rollback: {
              ...(info.rollbackInfo.rollbackDeploymentId
                ? { rollbackDeploymentId: info.rollbackInfo.rollbackDeploymentId }
                : {}),
              ...(info.rollbackInfo.rollbackTriggeringDeploymentId
                ? { triggeringDeploymentId: info.rollbackInfo.rollbackTriggeringDeploymentId }
                : {}),
              ...(info.rollbackInfo.rollbackMessage ? { message: info.rollbackInfo.rollbackMessage } : {}),
            },
          }
        : {}),
      ...(info.createTime ? { createdAt: info.createTime } : {}),
      ...(info.completeTime ? { completedAt: info.completeTime } : {}),
      ...(info.instanceTerminationWaitTimeStarted !== undefined
        ? { terminationWaitStarted: info.instanceTerminationWaitTimeStarted }
        : {}),
    };
  }

  async continue(id: string, wait: 'ready' | 'termination'): Promise<void> {
    await awsCall('CodeDeploy ContinueDeployment', this.context, () =>
      this.client.send(
        new ContinueDeploymentCommand({
          deploymentId: id,
          deploymentWaitType: wait === 'ready' ? 'READY_WAIT' : 'TERMINATION_WAIT',
        }),
      ),
    );
  }

  async stop(id: string, options: { rollback: boolean }): Promise<void> {
    await awsCall('CodeDeploy StopDeployment', this.context, () =>
      this.client.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: options.rollback })),
    );
  }

  async inFlight(group: DeploymentGroupRef): Promise<string | undefined> {
    const out = await awsCall('CodeDeploy ListDeployments', this.context, () =>
      this.client.send(
        new ListDeploymentsCommand({
          applicationName: group.application,
          deploymentGroupName: group.deploymentGroup,
          includeOnlyStatuses: activeStatuses,
        }),
      ),
    );
    return out.deployments?.[0];
  }

  async trafficRouting(deploymentConfig: string): Promise<TrafficRouting> {
    const where = { path: 'environments.<env>.deploy.deploymentConfig' };
    let info;
    try {
      info = (
        await awsCall('CodeDeploy GetDeploymentConfig', this.context, () =>
          this.client.send(new GetDeploymentConfigCommand({ deploymentConfigName: deploymentConfig })),
        )
      ).deploymentConfigInfo;
    } catch (error) {
      if ((error as { details?: { awsError?: string } }).details?.awsError !== 'DeploymentConfigDoesNotExistException')
        throw error;
      throw new ShipgateError(
        'CONFIG_INVALID',
        `expected CodeDeploy deployment configuration "${deploymentConfig}" to exist, found none`,
        {
          location: where,
          hint: 'Create it (aws deploy create-deployment-config --compute-platform ECS …) or use a predefined one, e.g. CodeDeployDefault.ECSLinear10PercentEvery1Minutes.',
          cause: error,
        },
      );
    }
    if (info?.computePlatform && info.computePlatform !== 'ECS')
      throw new ShipgateError(
        'CONFIG_INVALID',
        `expected deployment configuration "${deploymentConfig}" to be for ECS, found one for ${info.computePlatform}`,
        {
          location: where,
          hint: 'Blue/green on ECS needs a configuration created with `aws deploy create-deployment-config --compute-platform ECS`.',
        },
      );
    const routing = info?.trafficRoutingConfig;
    if (routing?.type === 'TimeBasedCanary' && routing.timeBasedCanary)
      return {
        type: 'canary',
        percent: routing.timeBasedCanary.canaryPercentage ?? 0,
        intervalMinutes: routing.timeBasedCanary.canaryInterval ?? 0,
      };
    if (routing?.type === 'TimeBasedLinear' && routing.timeBasedLinear)
      return {
        type: 'linear',
        percent: routing.timeBasedLinear.linearPercentage ?? 100,
        intervalMinutes: routing.timeBasedLinear.linearInterval ?? 0,
      };
    return { type: 'all-at-once' };
  }
}
