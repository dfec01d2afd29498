import { AwsError } from '../contract';
import type { JsonInput } from './json-input';
import type { Service } from './model';

/**
 * The deployment controller a service has after UpdateService. AWS documents moving a service from CodeDeploy
 * blue/green to ECS-native blue/green in place (UpdateService with `deploymentController: {type: ECS}`), refused
 * while a CodeDeploy deployment runs; local-cloud supports that move and no other.
 */
export function controllerAfterUpdate(input: JsonInput, service: Service): Service['deploymentController'] {
  const type = input.obj('deploymentController')?.str('type');
  const from = service.deploymentController;
  if (type === undefined || type === from) return from;
  if (type !== 'ECS' || from !== 'CODE_DEPLOY')
    throw new AwsError(
      'InvalidParameterException',
      `Updating the deployment controller of a service from ${from} to ${type} is not supported by local-cloud; only CODE_DEPLOY to ECS is.`,
    );
  if (service.groups.filter((g) => g.status !== 'DRAINING' && g.status !== 'INACTIVE').length > 1)
    throw new AwsError(
      'InvalidParameterException',
      'The deployment controller cannot be updated while a CodeDeploy deployment is in progress: the service has more than one task set.',
    );
  return 'ECS';
}
