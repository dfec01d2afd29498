import {
  describeDeployEvent,
  observeDeployState,
  planDeploy,
  runDeploy,
  type DeployEvent,
  type DeployReport,
} from '@shipgate/ecs-deploy';
import { ShipgateError, isShipgateError, type Clock, type ServiceTarget } from '@shipgate/model';
import type { RollbackPorts } from './ports';
import { rollbackDescription, type RedeployRollbackPlan, type ResumeRollbackPlan } from './rollback-plan';
import type { RollbackProgress } from './run-rollback';

/** What running a redeploy rollback through the deploy engine needs besides the plan and the ports. */
export interface EngineContext {
  /** The service's resolved target (the engine plans and deploys to it). */
  target: ServiceTarget;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  /** When this run started: the engine's budget counts from here. */
  runStartedAt: Date;
  /** local-cloud's time scale (1 on AWS) and the time a task takes to start, for the engine's budget. */
  timeScale?: number;
  taskStartMs?: number;
  /** How often the engine polls the controller (rollback's own poll interval). */
  pollMs?: number;
  progress: (step: RollbackProgress['step'], message: string) => void;
  /** Records the controller deployment once it is known, before it is followed. */
  onDeployment: (deploymentId: string) => Promise<void>;
}

/** What the engine did for a redeploy rollback, and where the restored release now takes traffic. */
export interface EngineRedeploy {
  report: DeployReport;
  /** The target group of the replacement (the restored release), once traffic moved. */
  targetGroup?: string;
}

const stepOf: Partial<Record<DeployEvent['type'], RollbackProgress['step']>> = {
  attached: 'attaching',
  verifying: 'verifying-test-listener',
  verified: 'verifying-test-listener',
  continued: 'moving-traffic',
  traffic: 'waiting-for-traffic',
};

/**
 * Redeploys (or, for a resumed rollback, attaches to) the release through ecs-deploy's engine, the
 * same runDeploy `shipgate deploy` runs: all at once, verified through the test listener before
 * production traffic moves, with its deadlines, failure explanation and tolerance of failed polls.
 * It returns once production traffic has moved (`wait: traffic`); the caller confirms who answers.
 */
export async function redeployThroughEngine(
  plan: RedeployRollbackPlan | ResumeRollbackPlan,
  ports: RollbackPorts,
  ctx: EngineContext,
): Promise<EngineRedeploy> {
  const releaseId = plan.restore.releaseId;
  const state = await observeDeployState(ctx.target, ports.deploy);
  const taskDefinition = plan.path === 'resume' ? { arn: '' } : await taskDefinitionOf(plan, ports);
  const deployPlan = planDeploy(
    state,
    {
      id: releaseId,
      service: plan.service,
      digest: plan.restore.digest ?? state.inFlight?.digest ?? 'unknown',
      ...(plan.path === 'redeploy' && plan.restore.image ? { image: plan.restore.image } : {}),
    },
    ctx.target,
    taskDefinition,
    {
      allAtOnce: true,
      wait: 'traffic',
      ifBusy: 'fail',
      force: true,
      description: rollbackDescription(releaseId, plan.reason),
      ...(ctx.timeScale !== undefined ? { timeScale: ctx.timeScale } : {}),
      ...(ctx.taskStartMs !== undefined ? { taskStartMs: ctx.taskStartMs } : {}),
      ...(ctx.pollMs !== undefined ? { pollIntervalMs: ctx.pollMs } : {}),
      ...(plan.path === 'resume'
        ? {
            attachTo: {
              id: plan.resume.controllerDeploymentId,
              reason: `resuming the rollback to ${releaseId} that an earlier run started`,
            },
          }
        : {}),
    },
  );
  if (plan.path === 'redeploy')
    ctx.progress(
      'deploying',
      `redeploying ${releaseId} (${'arn' in taskDefinition && taskDefinition.arn ? taskDefinition.arn : 'task definition registered from the release'}) all at once, no gate`,
    );
  let report: DeployReport;
  try {
    report = await runDeploy(deployPlan, ports.deploy, {
      clock: ctx.clock,
      sleep: ctx.sleep,
      startedAt: ctx.runStartedAt,
      onProgress: (event) => {
        if (event.type === 'registered' || event.type === 'started' || event.type === 'attached')
          return ctx.progress(stepOf[event.type] ?? 'deploying', describeDeployEvent(event).trim());
        const step = stepOf[event.type];
        if (step) ctx.progress(step, describeDeployEvent(event).trim());
      },
      onDeployment: (id) => ctx.onDeployment(id),
    });
  } catch (error) {
    throw explainStartConflict(error, plan);
  }
  const id = report.deploymentId;
  const targetGroup = id
    ? (await ports.deploy.controller.status(id)).sides.find((s) => s.label === 'Green')?.targetGroup
    : undefined;
  return { report, ...(targetGroup ? { targetGroup } : {}) };
}

/** The task definition to redeploy: the one recorded for the release, else one rendered from its template. */
async function taskDefinitionOf(plan: RedeployRollbackPlan, ports: RollbackPorts) {
  if (plan.taskDefinitionArn) return { arn: plan.taskDefinitionArn };
  if (!ports.taskDefinitions) {
    throw new ShipgateError(
      'DEPLOY_FAILED',
      `expected a task definition recorded for ${plan.restore.releaseId} or a way to register one, found neither`,
      { hint: 'Deploy it with `shipgate deploy` instead.' },
    );
  }
  return ports.taskDefinitions.taskDefinitionFor({
    id: plan.restore.releaseId,
    digest: plan.restore.digest,
    ...(plan.restore.image ? { image: plan.restore.image } : {}),
  });
}

/** Lost the start to another deployment (two rollbacks at once): say what rollback itself can do next. */
function explainStartConflict(error: unknown, plan: RedeployRollbackPlan | ResumeRollbackPlan): unknown {
  if (!isShipgateError(error) || error.code !== 'DEPLOY_IN_FLIGHT') return error;
  const other = typeof error.details?.deploymentId === 'string' ? error.details.deploymentId : 'another deployment';
  const rollback = `shipgate rollback ${plan.environment} --service ${plan.service}`;
  return new ShipgateError(
    'DEPLOY_IN_FLIGHT',
    `expected no deployment of ${plan.service} in ${plan.environment} in flight when redeploying ${plan.restore.releaseId}, found ${other}, started after this rollback was planned (another rollback or deploy)`,
    {
      hint: `Run \`${rollback}\` again: it follows a rollback in flight to its end, or stops a deploy in flight; \`shipgate status ${plan.environment} --service ${plan.service}\` shows what serves.`,
      cause: error,
      details: { ...(error.details ?? {}) },
    },
  );
}
