import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ShipgateError } from '@shipgate/model';
import { ecsTrafficRouting, type TrafficRouting } from '../deploy-budget';
import type {
  DeploymentControllerPort,
  DeploymentTarget,
  DeploymentView,
  SkippableWait,
  StartDeploymentInput,
} from '../ports';
import { awsCall, type AwsCallContext } from './aws-errors';
import { ecsDeploymentConfiguration, holdStage, verifyStage } from './ecs-native-settings';
import {
  awaitingHook,
  ecsActiveStatuses,
  ecsDeploymentStatus,
  ecsTerminalStatuses,
  type RevisionFacts,
} from './ecs-native-status';

/** The clients the ECS-native controller uses: ECS for deployments, ELBv2 to name the target groups. */
export interface EcsNativeClients {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
}

/**
 * Blue/green deployments by ECS itself (`deploymentController: ECS`, strategy BLUE_GREEN, LINEAR or CANARY):
 * a deployment is an UpdateService with the new task definition, followed through the service-deployment
 * APIs; it pauses at POST_TEST_TRAFFIC_SHIFT for shipgate's verification and at POST_PRODUCTION_TRAFFIC_SHIFT
 * while the original revision is held (see ecs-native-settings.ts for why not the bake timer).
 */
export class EcsNativeBlueGreen implements DeploymentControllerPort {
  readonly kind = 'ecs' as const;
  readonly label = 'ECS';
  /**
   * The bake can be ended now: it is shipgate's hold hook (ContinueServiceDeployment). ECS offers no call that
   * skips the waits between LINEAR or CANARY steps, so `shift` is not offered (see docs/controllers.md).
   */
  readonly skippableWaits: ReadonlySet<SkippableWait> = new Set<SkippableWait>(['bake']);
  // Service revisions never change once created: their task definition and target group are read once.
  private readonly facts: RevisionFacts = { taskDefinition: new Map(), targetGroup: new Map() };
  private readonly groupNames = new Map<string, string>();

  constructor(
    private readonly clients: EcsNativeClients,
    private readonly context: AwsCallContext = {},
  ) {}

  private call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    return awsCall(operation, this.context, work);
  }

  /** UpdateService's input: the task definition and the whole deployment configuration of this deployment. */
  private updateInput(input: StartDeploymentInput) {
    const routing: TrafficRouting = input.allAtOnce ? { type: 'all-at-once' } : ecsTrafficRouting(input.target.deploy);
    return {
      cluster: input.target.cluster,
      service: input.target.ecsService,
      taskDefinition: input.taskDefinitionArn,
      deploymentConfiguration: ecsDeploymentConfiguration(input.target, routing),
    };
  }

  async start(input: StartDeploymentInput): Promise<string> {
    // ECS would accept an UpdateService while a deployment runs and supersede it; shipgate's rule is one
    // deployment at a time, decided by --if-busy, so a deployment in flight refuses the start here.
    const busy = await this.inFlight(input.target);
    if (busy) throw inFlightError(busy, input.target);
    const out = await this.call('ECS UpdateService', () =>
      this.clients.ecs.send(new UpdateServiceCommand(this.updateInput(input))),
    );
    const arn = out.service?.currentServiceDeployment ?? (await this.inFlight(input.target));
    if (!arn)
      throw new ShipgateError(
        'AWS_ERROR',
        `ECS UpdateService: expected a service deployment for ${input.taskDefinitionArn}, found none`,
        { hint: 'Run `shipgate status` to see what the service runs; then deploy again.' },
      );
    return arn;
  }

  preview(input: StartDeploymentInput): Record<string, unknown> {
    return { controller: this.kind, updateService: this.updateInput(input) };
  }

  async status(id: string): Promise<DeploymentView> {
    const deployment = await this.describe(id);
    await this.learnRevisions(deployment);
    return ecsDeploymentStatus(deployment, this.facts);
  }

  /** Verification passed: answer the PAUSE hook at POST_TEST_TRAFFIC_SHIFT with CONTINUE. */
  async continue(id: string): Promise<void> {
    await this.answerHook(id, verifyStage);
  }

  async stop(id: string, options: { rollback: boolean }): Promise<void> {
    await this.call('ECS StopServiceDeployment', () =>
      this.clients.ecs.send(
        new StopServiceDeploymentCommand({
          serviceDeploymentArn: id,
          stopType: options.rollback ? 'ROLLBACK' : 'ABORT',
        }),
      ),
    );
  }

  async finishNow(id: string, wait: SkippableWait): Promise<void> {
    if (wait === 'shift')
      throw new ShipgateError(
        'USAGE',
        `expected a wait ECS lets a caller skip, found the traffic-shift steps of ${id}: ECS offers no call that skips LINEAR or CANARY step waits`,
        {
          hint: 'Wait for the steps to end (the bake that follows can be ended with finish now), or roll back with `shipgate rollback`.',
          details: { deploymentId: id },
        },
      );
    await this.answerHook(id, holdStage);
  }

  /** The service's deployment in flight, if any (in its bake too). */
  async inFlight(target: DeploymentTarget): Promise<string | undefined> {
    const out = await this.call('ECS ListServiceDeployments', () =>
      this.clients.ecs.send(
        new ListServiceDeploymentsCommand({
          cluster: target.cluster,
          service: target.ecsService,
          status: [...ecsActiveStatuses],
        }),
      ),
    );
    const active = (out.serviceDeployments ?? []).filter((d) => !ecsTerminalStatuses.has(d.status ?? ''));
    // Newest first: a deployment ECS is still winding down after being superseded is not the one in flight.
    active.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    return active[0]?.serviceDeploymentArn;
  }

  /** ECS-native has no deployment configuration objects: the routing is the environment's strategy. */
  async trafficRouting(target: DeploymentTarget): Promise<TrafficRouting> {
    return ecsTrafficRouting(target.deploy);
  }

  private async answerHook(id: string, stage: string): Promise<void> {
    const deployment = await this.describe(id);
    const hook = awaitingHook(deployment, stage);
    if (!hook?.hookId)
      throw new ShipgateError(
        'DEPLOY_FAILED',
        `expected service deployment ${id} to await action at ${stage}, found it ${deployment.status} at ${deployment.lifecycleStage ?? 'no stage'}`,
        { hint: 'Run `shipgate status` to see where the deployment is.', details: { deploymentId: id } },
      );
    await this.call('ECS ContinueServiceDeployment', () =>
      this.clients.ecs.send(
        new ContinueServiceDeploymentCommand({ serviceDeploymentArn: id, hookId: hook.hookId, action: 'CONTINUE' }),
      ),
    );
  }

  private async describe(id: string): Promise<ServiceDeployment> {
    const out = await this.call('ECS DescribeServiceDeployments', () =>
      this.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [id] })),
    );
    const found = out.serviceDeployments?.[0];
    if (!found)
      throw new ShipgateError(
        'AWS_NOT_FOUND',
        `ECS DescribeServiceDeployments: expected service deployment ${id} to exist, found ${out.failures?.[0]?.reason ?? 'none'}`,
        { hint: 'Run `shipgate status` to see the deployments of the service.', details: { deploymentId: id } },
      );
    return found;
  }

  private async learnRevisions(deployment: ServiceDeployment): Promise<void> {
    const arns = [deployment.targetServiceRevision?.arn, ...(deployment.sourceServiceRevisions ?? []).map((r) => r.arn)]
      .filter((a): a is string => Boolean(a))
      .filter((a) => !this.facts.taskDefinition.has(a));
    if (!arns.length) return;
    const out = await this.call('ECS DescribeServiceRevisions', () =>
      this.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: arns })),
    );
    for (const revision of out.serviceRevisions ?? []) {
      if (!revision.serviceRevisionArn) continue;
      if (revision.taskDefinition) this.facts.taskDefinition.set(revision.serviceRevisionArn, revision.taskDefinition);
      // Where the revision really serves: ECS alternates the two target groups from deployment to deployment.
      const groupArn = revision.resolvedConfiguration?.loadBalancers?.[0]?.targetGroupArn;
      if (groupArn) this.facts.targetGroup.set(revision.serviceRevisionArn, await this.groupName(groupArn));
    }
  }

  private async groupName(arn: string): Promise<string> {
    if (!this.groupNames.has(arn)) {
      const out = await this.call('ELBv2 DescribeTargetGroups', () =>
        this.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
      );
      this.groupNames.set(arn, out.TargetGroups?.[0]?.TargetGroupName ?? arn);
    }
    return this.groupNames.get(arn)!;
  }
}

function inFlightError(id: string, target: DeploymentTarget): ShipgateError {
  return new ShipgateError(
    'DEPLOY_IN_FLIGHT',
    `ECS UpdateService: expected no service deployment of ${target.ecsService} in flight, found ${id}`,
    { hint: 'Wait for it, or use --if-busy wait or --if-busy supersede.', details: { deploymentId: id } },
  );
}
