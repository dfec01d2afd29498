import { AwsError, type JsonServiceApi } from '../contract';
import type { Ecs } from './ecs';
import { JsonInput, pageTokens, required } from './json-input';
import {
  isFinished,
  SERVICE_DEPLOYMENT_STATUSES,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from './service-deployment-model';
import { serviceDeploymentBriefView, serviceDeploymentView, serviceRevisionView } from './service-deployment-views';
import type { ServiceDeployments } from './service-deployments';

const invalid = (message: string) => new AwsError('InvalidParameterException', message);
const MAX_DESCRIBE = 20;

function arnList(input: JsonInput, name: string, kind: 'service-deployment' | 'service-revision'): string[] {
  const arns = input.strList(name);
  if (!arns) throw required(name);
  if (arns.length === 0 || arns.length > MAX_DESCRIBE)
    throw invalid(`${name} must contain between 1 and ${MAX_DESCRIBE} ARNs.`);
  for (const arn of arns)
    if (!new RegExp(`^arn:aws[a-z-]*:ecs:[^:]+:\\d{12}:${kind}/`).test(arn))
      throw invalid(`Invalid ARN ${arn}: expected a ${kind} ARN.`);
  return arns;
}

/** What ECS's Describe operations answer: the items found, and a `MISSING` failure for each ARN not found. */
function describeEach<T>(arns: string[], lookup: (arn: string) => T | undefined) {
  const found: T[] = [];
  const failures: { arn: string; reason: string }[] = [];
  for (const arn of arns) {
    const item = lookup(arn);
    if (item) found.push(item);
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { found, failures };
}

/** Reads a `createdAt` filter bound (ECS sends epoch seconds). */
function bound(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw invalid('createdAt.before and createdAt.after must be timestamps.');
  return value * 1000;
}

/** ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions, Stop- and ContinueServiceDeployment. */
export function serviceDeploymentOperations(ecs: Ecs, deployments: ServiceDeployments): JsonServiceApi {
  const deployment = (arn: string): ServiceDeployment => {
    const dep = deployments.deployments.get(arn);
    if (!dep) throw new AwsError('ServiceDeploymentNotFoundException', `The service deployment ${arn} does not exist.`);
    return dep;
  };

  return {
    ListServiceDeployments(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const ref = input.str('service');
      if (ref === undefined) throw required('service');
      const service = ecs.findService(cluster.name, ref);
      if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
      const statuses = input.strList('status');
      for (const s of statuses ?? [])
        if (!SERVICE_DEPLOYMENT_STATUSES.includes(s as ServiceDeploymentStatus))
          throw invalid(`Invalid service deployment status: ${s}.`);
      const created = input.obj('createdAt');
      const before = bound(created?.raw('before'));
      const after = bound(created?.raw('after'));
      const matching = deployments
        .of(service)
        .filter(
          (d) =>
            (!statuses?.length || statuses.includes(d.status)) &&
            (before === undefined || d.createdAt.getTime() <= before) &&
            (after === undefined || d.createdAt.getTime() >= after),
        );
      const { page, nextToken } = pageTokens(matching, input, 100, 20);
      return { serviceDeployments: page.map(serviceDeploymentBriefView), nextToken };
    },

    DescribeServiceDeployments(body) {
      const arns = arnList(new JsonInput(body), 'serviceDeploymentArns', 'service-deployment');
      const { found, failures } = describeEach(arns, (arn) => deployments.deployments.get(arn));
      return { serviceDeployments: found.map((d) => serviceDeploymentView(ecs, d)), failures };
    },

    DescribeServiceRevisions(body) {
      const arns = arnList(new JsonInput(body), 'serviceRevisionArns', 'service-revision');
      const { found, failures } = describeEach(arns, (arn) => deployments.revisions.get(arn));
      return { serviceRevisions: found.map(serviceRevisionView), failures };
    },

    StopServiceDeployment(body) {
      const input = new JsonInput(body);
      const arn = input.str('serviceDeploymentArn');
      if (arn === undefined) throw required('serviceDeploymentArn');
      const stopType = input.str('stopType') ?? 'ROLLBACK';
      if (stopType !== 'ROLLBACK' && stopType !== 'ABORT')
        throw invalid(`Invalid stopType: ${stopType}. Valid values are ROLLBACK and ABORT.`);
      const dep = deployment(arn);
      if (isFinished(dep.status))
        throw new AwsError(
          'ConflictException',
          `The service deployment ${arn} is ${dep.status} and can no longer be stopped.`,
        );
      if (stopType === 'ROLLBACK')
        deployments.rollback(dep, 'StopServiceDeployment was called with stopType ROLLBACK.');
      else deployments.halt(dep, 'StopServiceDeployment was called with stopType ABORT.');
      return { serviceDeploymentArn: arn };
    },

    ContinueServiceDeployment(body) {
      const input = new JsonInput(body);
      const arn = input.str('serviceDeploymentArn');
      if (arn === undefined) throw required('serviceDeploymentArn');
      const hookId = input.str('hookId');
      if (hookId === undefined) throw required('hookId');
      const action = input.str('action') ?? 'CONTINUE';
      if (action !== 'CONTINUE' && action !== 'ROLLBACK')
        throw invalid(`Invalid action: ${action}. Valid values are CONTINUE and ROLLBACK.`);
      const dep = deployment(arn);
      const hook = dep.hooks.find((h) => h.hookId === hookId);
      if (!hook) throw invalid(`The lifecycle hook ${hookId} does not exist in service deployment ${arn}.`);
      if (dep.status !== 'IN_PROGRESS' || hook.status !== 'AWAITING_ACTION' || !hook.resume)
        throw invalid(
          `The lifecycle hook ${hookId} is ${hook.status} and the service deployment is ${dep.status}; only a hook in AWAITING_ACTION of an IN_PROGRESS deployment can be continued.`,
        );
      hook.resume(action);
      return { serviceDeploymentArn: arn };
    },
  };
}
