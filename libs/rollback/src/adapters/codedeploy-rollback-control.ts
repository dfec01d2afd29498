import {
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type CodeDeployClient,
} from '@aws-sdk/client-codedeploy';
import { taskDefinitionOfAppSpec } from '@shipgate/ecs-deploy';
import { ShipgateError } from '@shipgate/model';
import { ACTIVE_STATUSES, type ControllerDeploymentView, type ControllerStatus, type RollbackControlPort, type RollbackTaskSet } from '../ports';

/** The rollback control port over CodeDeploy ECS blue/green (AWS exceptions translated here, by name). */
export function codeDeployRollbackControl(client: CodeDeployClient): RollbackControlPort {
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translate(what, error);
    }
  };
  return {
    controller: 'codedeploy',
    async inFlight(group) {
      const found = await call(`ListDeployments ${group.application}/${group.deploymentGroup}`, () =>
        client.send(new ListDeploymentsCommand({ applicationName: group.application, deploymentGroupName: group.deploymentGroup, includeOnlyStatuses: [...ACTIVE_STATUSES] })),
      );
      return found.deployments?.[0];
    },
    async status(id) {
      const info = (await call(`GetDeployment ${id}`, () => client.send(new GetDeploymentCommand({ deploymentId: id })))).deploymentInfo ?? {};
      const status = (info.status ?? 'InProgress') as ControllerStatus;
      const started = status !== 'Created' && status !== 'Queued';
      const taskSets = started ? await taskSetsOf(client, id, call) : [];
      const content = info.revision?.appSpecContent?.content;
      const taskDefinitionArn = content ? taskDefinitionOfAppSpec(content) : undefined;
      const rollback = info.rollbackInfo;
      const view: ControllerDeploymentView = {
        id,
        status,
        taskSets,
        terminationWaitStarted: info.instanceTerminationWaitTimeStarted === true,
        ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
        ...(info.errorInformation ? { error: { ...(info.errorInformation.code ? { code: info.errorInformation.code } : {}), ...(info.errorInformation.message ? { message: info.errorInformation.message } : {}) } } : {}),
        ...(rollback && (rollback.rollbackDeploymentId || rollback.rollbackTriggeringDeploymentId)
          ? {
              rollback: {
                ...(rollback.rollbackDeploymentId ? { rollbackDeploymentId: rollback.rollbackDeploymentId } : {}),
                ...(rollback.rollbackTriggeringDeploymentId ? { triggeringDeploymentId: rollback.rollbackTriggeringDeploymentId } : {}),
                ...(rollback.rollbackMessage ? { message: rollback.rollbackMessage } : {}),
              },
            }
          : {}),
      };
      return view;
    },
    async stop(id, options) {
      await call(`StopDeployment ${id}`, () => client.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: options.rollback })));
    },
    async start(input) {
      const out = await call(`CreateDeployment ${input.application}/${input.deploymentGroup}`, () =>
        client.send(
          new CreateDeploymentCommand({
            applicationName: input.application,
            deploymentGroupName: input.deploymentGroup,
            description: input.description,
            ...(input.deploymentConfig ? { deploymentConfigName: input.deploymentConfig } : {}),
            revision: { revisionType: 'AppSpecContent', appSpecContent: { content: input.appSpec } },
          }),
        ),
      );
      if (!out.deploymentId) throw new ShipgateError('AWS_ERROR', 'expected CreateDeployment to return a deployment id, found none');
      return out.deploymentId;
    },
    async continue(id, wait) {
      await call(`ContinueDeployment ${id}`, () => client.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: wait === 'ready' ? 'READY_WAIT' : 'TERMINATION_WAIT' })));
    },
  };
}

async function taskSetsOf(client: CodeDeployClient, id: string, call: <T>(what: string, run: () => Promise<T>) => Promise<T>): Promise<RollbackTaskSet[]> {
  const targets = await call(`ListDeploymentTargets ${id}`, () => client.send(new ListDeploymentTargetsCommand({ deploymentId: id })));
  const targetId = targets.targetIds?.[0];
  if (!targetId) return [];
  const target = await call(`GetDeploymentTarget ${id}`, () => client.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId })));
  return (target.deploymentTarget?.ecsTarget?.taskSetsInfo ?? []).flatMap((t) =>
    t.taskSetLabel === 'Blue' || t.taskSetLabel === 'Green' ? [{ label: t.taskSetLabel, trafficWeight: t.trafficWeight ?? 0, ...(t.targetGroup?.name ? { targetGroup: t.targetGroup.name } : {}) }] : [],
  );
}

function translate(what: string, error: unknown): Error {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'DeploymentAlreadyCompletedException') {
    return new ShipgateError('DEPLOY_FAILED', `expected ${what} to act on a deployment still in flight, found it already completed: ${message}`, {
      hint: 'Run the rollback again: with nothing in flight it redeploys the last known good release.',
      cause: error,
    });
  }
  if (name === 'ApplicationDoesNotExistException' || name === 'DeploymentGroupDoesNotExistException' || name === 'DeploymentDoesNotExistException') {
    return new ShipgateError('AWS_NOT_FOUND', `expected ${what} to find its CodeDeploy resource, found ${name}: ${message}`, { hint: 'Run `shipgate bootstrap` for this environment, or check --config.', cause: error });
  }
  if (name === 'DeploymentLimitExceededException') {
    return new ShipgateError('DEPLOY_IN_FLIGHT', `expected no other deployment in flight for ${what}, found one: ${message}`, { hint: 'Run the rollback again: it stops the deployment in flight instead.', cause: error });
  }
  return new ShipgateError('AWS_ERROR', `${what} failed: ${name}: ${message}`, { hint: 'Check AWS credentials and the endpoint (AWS_ENDPOINT_URL), then retry.', cause: error });
}
