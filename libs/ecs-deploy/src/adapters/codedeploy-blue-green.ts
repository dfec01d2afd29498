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
import type { TrafficRouting } from '../deploy-budget';
import type {
  DeploymentControllerPort,
  DeploymentPhase,
  DeploymentSide,
  DeploymentTarget,
  DeploymentView,
  LifecycleEventView,
  SkippableWait,
  StartDeploymentInput,
} from '../ports';
import { awsCall, type AwsCallContext } from './aws-errors';
import { buildAppSpec, taskDefinitionOfAppSpec } from './codedeploy-app-spec';
import { allAtOnceConfig, isPredefinedConfig, trafficRoutingOf } from './codedeploy-configs';

const activeStatuses: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/** The lifecycle events during which production traffic moves. */
const productionTrafficEvents = new Set(['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']);

/**
 * The phase of a CodeDeploy ECS deployment from its status, lifecycle events and task sets: `Ready`
 * is the ready wait (shipgate verifies), the termination wait is the bake, and a deployment CodeDeploy
 * made to roll another back is rolling back until its own termination wait.
 */
export function codeDeployPhase(view: {
  status: string;
  lifecycleEvents: readonly LifecycleEventView[];
  sides: readonly DeploymentSide[];
  terminationWaitStarted?: boolean;
  rollsBack?: boolean;
}): DeploymentPhase {
  switch (view.status) {
    case 'Succeeded':
      return 'finished';
    case 'Failed':
      return 'failed';
    case 'Stopped':
      return 'stopped';
    case 'Ready':
      return 'verifying';
    case 'Baking':
      return 'baking';
  }
  // A rollback deployment in its termination wait has moved the traffic back: it bakes like any other.
  if (view.terminationWaitStarted) return 'baking';
  if (view.rollsBack) return 'rolling-back';
  const green = view.sides.find((t) => t.label === 'Green')?.trafficWeight ?? 0;
  const shifting = view.lifecycleEvents.some(
    (e) => productionTrafficEvents.has(e.name) && e.status !== 'Pending' && e.status !== 'Unknown',
  );
  return green > 0 || shifting ? 'shifting' : 'starting';
}

/** Blue/green deployments through AWS CodeDeploy (ECS compute platform): one controller strategy. */
export class CodeDeployBlueGreen implements DeploymentControllerPort {
  readonly kind = 'codedeploy' as const;
  readonly label = 'CodeDeploy';
  /** CodeDeploy can end the termination wait (ContinueDeployment TERMINATION_WAIT), never a traffic-shift interval. */
  readonly skippableWaits: ReadonlySet<SkippableWait> = new Set<SkippableWait>(['bake']);
  constructor(
    private readonly client: CodeDeployClient,
    private readonly context: AwsCallContext = {},
  ) {}

  /** CreateDeployment's input: the AppSpec naming the task definition, container and port. */
  private createInput(input: StartDeploymentInput) {
    const { target } = input;
    return {
      applicationName: target.codeDeployApplication,
      deploymentGroupName: target.deploymentGroup,
      revision: {
        revisionType: 'AppSpecContent' as const,
        appSpecContent: {
          content: buildAppSpec(input.taskDefinitionArn, target.containerName, target.containerPort),
        },
      },
      description: input.description.slice(0, 100),
      // Without a name CodeDeploy uses the group's configuration (bootstrap set it from deploy.deploymentConfig).
      ...(input.allAtOnce ? { deploymentConfigName: allAtOnceConfig } : {}),
    };
  }

  async start(input: StartDeploymentInput): Promise<string> {
    const out = await awsCall('CodeDeploy CreateDeployment', this.context, () =>
      this.client.send(new CreateDeploymentCommand(this.createInput(input))),
    );
    return out.deploymentId!;
  }

  preview(input: StartDeploymentInput): Record<string, unknown> {
    const create = this.createInput(input);
    return {
      controller: this.kind,
      application: create.applicationName,
      deploymentGroup: create.deploymentGroupName,
      deploymentConfig: create.deploymentConfigName ?? input.target.deploy.deploymentConfig,
      appSpec: JSON.parse(create.revision.appSpecContent.content) as unknown,
    };
  }

  async status(id: string): Promise<DeploymentView> {
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
    const sides: DeploymentSide[] = (ecs?.taskSetsInfo ?? []).map((t) => ({
      id: t.identifer ?? '',
      label: t.taskSetLabel === 'Green' ? 'Green' : 'Blue',
      trafficWeight: t.trafficWeight ?? 0,
      desiredCount: t.desiredCount ?? 0,
      runningCount: t.runningCount ?? 0,
      pendingCount: t.pendingCount ?? 0,
      ...(t.status ? { status: t.status } : {}),
      ...(t.targetGroup?.name ? { targetGroup: t.targetGroup.name } : {}),
    }));
    const status = info.status ?? 'Created';
    const phase = codeDeployPhase({
      status,
      lifecycleEvents,
      sides,
      terminationWaitStarted: info.instanceTerminationWaitTimeStarted ?? false,
      rollsBack: Boolean(info.rollbackInfo?.rollbackTriggeringDeploymentId),
    });
    return {
      id,
      phase,
      controllerStatus: status,
      ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
      ...(info.description ? { description: info.description } : {}),
      ...(info.deploymentConfigName ? { strategy: info.deploymentConfigName } : {}),
      lifecycleEvents,
      sides,
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
    };
  }

  async continue(id: string): Promise<void> {
    await awsCall('CodeDeploy ContinueDeployment', this.context, () =>
      this.client.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' })),
    );
  }

  async finishNow(id: string, wait: SkippableWait): Promise<void> {
    if (!this.skippableWaits.has(wait))
      throw new ShipgateError(
        'USAGE',
        `expected a wait CodeDeploy can skip (the termination wait), found a request to skip the ${wait === 'shift' ? 'traffic-shift intervals' : wait}`,
        {
          hint: 'CodeDeploy has no API to shorten a canary or linear interval; run finish-now again once the termination wait has begun.',
        },
      );
    await awsCall('CodeDeploy ContinueDeployment', this.context, () =>
      this.client.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' })),
    );
  }

  async stop(id: string, options: { rollback: boolean }): Promise<void> {
    await awsCall('CodeDeploy StopDeployment', this.context, () =>
      this.client.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: options.rollback })),
    );
  }

  async inFlight(target: DeploymentTarget): Promise<string | undefined> {
    const out = await awsCall('CodeDeploy ListDeployments', this.context, () =>
      this.client.send(
        new ListDeploymentsCommand({
          applicationName: target.codeDeployApplication,
          deploymentGroupName: target.deploymentGroup,
          includeOnlyStatuses: activeStatuses,
        }),
      ),
    );
    return out.deployments?.[0];
  }

  async trafficRouting(target: DeploymentTarget): Promise<TrafficRouting> {
    const deploymentConfig = target.deploy.deploymentConfig;
    // A predefined configuration's name says its routing: no call needed (and a dry run stays offline).
    if (isPredefinedConfig(deploymentConfig)) return trafficRoutingOf(deploymentConfig);
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
