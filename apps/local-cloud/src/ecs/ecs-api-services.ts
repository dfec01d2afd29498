import { AwsError, type JsonServiceApi } from '../contract';
import { currentRegion } from '../server/request-context';
import type { Ecs } from './ecs';
import { mergeDeploymentConfiguration } from './deployment-configuration';
import {
  isTrafficShifting,
  readAdvancedConfiguration,
  requireAdvancedConfiguration,
  strategyOf,
  validateDeploymentConfiguration,
} from './blue-green-config';
import { controllerAfterUpdate } from './controller-migration';
import type { ServiceDeployments } from './service-deployments';
import { readTags } from './ecs-api-definitions';
import { serviceView, taskSetView } from './ecs-views';
import { JsonInput, pageTokens, required } from './json-input';
import type { Service, ServiceLoadBalancer, TaskDefinition } from './model';

const CONTROLLERS = ['ECS', 'CODE_DEPLOY', 'EXTERNAL'] as const;

/** Services and task sets. */
export function serviceOperations(ecs: Ecs, defaultRegion: string, deployments: ServiceDeployments): JsonServiceApi {
  const readLoadBalancers = (input: JsonInput, def: TaskDefinition): ServiceLoadBalancer[] =>
    (input.objList('loadBalancers') ?? []).map((lb) => {
      const targetGroupArn = lb.str('targetGroupArn');
      const containerName = lb.str('containerName');
      const containerPort = lb.int('containerPort');
      if (!targetGroupArn)
        throw new AwsError(
          'InvalidParameterException',
          'Target group ARN must be specified for an Application Load Balancer.',
        );
      if (!containerName || containerPort === undefined)
        throw new AwsError(
          'InvalidParameterException',
          'Container name and container port must be specified for a load balancer.',
        );
      const tg = ecs.deps.elb.targetGroups.get(targetGroupArn);
      if (!tg)
        throw new AwsError(
          'InvalidParameterException',
          'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
        );
      if (ecs.deps.elb.loadBalancersOf(tg.arn).length === 0)
        throw new AwsError(
          'InvalidParameterException',
          `The target group with targetGroupArn ${tg.arn} does not have an associated load balancer.`,
        );
      const container = def.containers.find((c) => c.name === containerName);
      if (!container)
        throw new AwsError(
          'InvalidParameterException',
          `The container ${containerName} does not exist in the task definition.`,
        );
      if (!container.portMappings.some((p) => p.containerPort === containerPort))
        throw new AwsError(
          'InvalidParameterException',
          `The container ${containerName} did not have a container port ${containerPort} defined.`,
        );
      const advancedConfiguration = readAdvancedConfiguration(lb, targetGroupArn, ecs.deps.elb);
      return {
        targetGroupArn,
        containerName,
        containerPort,
        ...(advancedConfiguration ? { advancedConfiguration } : {}),
      };
    });

  return {
    CreateService(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const name = input.reqStr('serviceName');
      if (!/^[A-Za-z0-9_-]{1,255}$/.test(name))
        throw new AwsError(
          'InvalidParameterException',
          'Service name can have up to 255 characters: letters, numbers, hyphens and underscores.',
        );
      const controller = input.obj('deploymentController')?.str('type') ?? 'ECS';
      if (!(CONTROLLERS as readonly string[]).includes(controller))
        throw new AwsError('InvalidParameterException', `Invalid deployment controller type: ${controller}`);
      const tdRef = input.str('taskDefinition');
      if (tdRef === undefined) throw required('taskDefinition');
      const def = ecs.taskDefinition(tdRef);
      const desiredCount = input.int('desiredCount');
      if (desiredCount === undefined)
        throw new AwsError(
          'InvalidParameterException',
          'The desired count must be specified for a service with the REPLICA scheduling strategy.',
        );
      if (desiredCount < 0)
        throw new AwsError('InvalidParameterException', 'Desired count must be greater than or equal to 0.');
      const existing = ecs.findService(cluster.name, name);
      if (existing && existing.status !== 'INACTIVE')
        throw new AwsError('InvalidParameterException', 'Creation of service was not idempotent.');
      const loadBalancers = readLoadBalancers(input, def);
      if (controller === 'CODE_DEPLOY' && loadBalancers.length === 0)
        throw new AwsError(
          'InvalidParameterException',
          'A load balancer is required for a service with the CODE_DEPLOY deployment controller.',
        );
      const region = currentRegion(defaultRegion);
      const fields: Record<string, unknown> = {};
      for (const key of [
        'networkConfiguration',
        'healthCheckGracePeriodSeconds',
        'platformVersion',
        'enableECSManagedTags',
        'propagateTags',
        'enableExecuteCommand',
        'role',
      ]) {
        if (body[key] !== undefined) fields[key === 'role' ? 'roleArn' : key] = body[key];
      }
      const config = mergeDeploymentConfiguration(
        controller as Service['deploymentController'],
        undefined,
        body['deploymentConfiguration'],
      );
      validateDeploymentConfiguration(config);
      const strategy = strategyOf(config);
      if (controller === 'ECS') requireAdvancedConfiguration(strategy, loadBalancers);
      fields['deploymentConfiguration'] = config;
      const service: Service = {
        arn: `arn:aws:ecs:${region}:${ecs.deps.accountId}:service/${cluster.name}/${name}`,
        name,
        clusterName: cluster.name,
        clusterArn: cluster.arn,
        status: 'ACTIVE',
        desiredCount,
        taskDefinitionArn: def.arn,
        deploymentController: controller as Service['deploymentController'],
        loadBalancers,
        launchType: input.str('launchType') ?? 'FARGATE',
        fields,
        groups: [],
        events: [],
        createdAt: new Date(),
        tags: readTags(input),
      };
      ecs.services.set(`${cluster.name}/${name}`, service);
      if (controller === 'ECS' && isTrafficShifting(strategy)) deployments.start(service, def);
      else if (controller === 'ECS')
        ecs.addGroup(
          service,
          {
            kind: 'deployment',
            status: 'PRIMARY',
            taskDefinitionArn: def.arn,
            loadBalancer: loadBalancers[0],
            scale: 100,
          },
          region,
        );
      if (controller === 'CODE_DEPLOY')
        ecs.addGroup(
          service,
          {
            kind: 'taskSet',
            status: 'PRIMARY',
            taskDefinitionArn: def.arn,
            loadBalancer: loadBalancers[0],
            scale: 100,
          },
          region,
        );
      return { service: serviceView(service, ecs) };
    },

    UpdateService(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const service = ecs.service(cluster.name, input.reqStr('service'));
      if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
      const desiredCount = input.int('desiredCount');
      if (desiredCount !== undefined && desiredCount < 0)
        throw new AwsError('InvalidParameterException', 'Desired count must be greater than or equal to 0.');
      const tdRef = input.str('taskDefinition');
      const force = input.bool('forceNewDeployment') ?? false;
      const def = tdRef !== undefined ? ecs.taskDefinition(tdRef) : undefined;
      const controller = controllerAfterUpdate(input, service);
      if (controller !== 'ECS' && def && def.arn !== service.taskDefinitionArn) {
        throw new AwsError(
          'InvalidParameterException',
          'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
        );
      }
      if (controller !== 'ECS' && force) {
        throw new AwsError(
          'InvalidParameterException',
          'Unable to force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
        );
      }
      const config = mergeDeploymentConfiguration(
        controller,
        service.fields['deploymentConfiguration'] as Record<string, unknown> | undefined,
        body['deploymentConfiguration'],
      );
      validateDeploymentConfiguration(config);
      const strategy = strategyOf(config);
      const loadBalancers =
        controller === 'ECS' && body['loadBalancers'] !== undefined
          ? readLoadBalancers(input, def ?? ecs.taskDefinition(service.taskDefinitionArn))
          : service.loadBalancers;
      if (controller === 'ECS') requireAdvancedConfiguration(strategy, loadBalancers);
      service.deploymentController = controller;
      for (const key of ['healthCheckGracePeriodSeconds', 'networkConfiguration'])
        if (body[key] !== undefined) service.fields[key] = body[key];
      service.fields['deploymentConfiguration'] = config;
      service.loadBalancers = loadBalancers;
      if (desiredCount !== undefined) service.desiredCount = desiredCount;
      const redeploy = (def && def.arn !== service.taskDefinitionArn) || force;
      if (service.deploymentController === 'ECS' && isTrafficShifting(strategy) && redeploy) {
        deployments.start(service, def ?? ecs.taskDefinition(service.taskDefinitionArn));
      } else if (service.deploymentController === 'ECS' && redeploy) {
        const next = def ?? ecs.taskDefinition(service.taskDefinitionArn);
        for (const g of service.groups) {
          // A service moving from a traffic-shifting strategy back to ROLLING: its task sets become deployments.
          g.kind = 'deployment';
          if (g.status === 'PRIMARY') g.desiredOverride = service.desiredCount;
          g.status = 'ACTIVE';
          g.updatedAt = new Date();
        }
        service.taskDefinitionArn = next.arn;
        ecs.addGroup(
          service,
          {
            kind: 'deployment',
            status: 'PRIMARY',
            taskDefinitionArn: next.arn,
            loadBalancer: service.loadBalancers[0],
            scale: 100,
          },
          service.arn.split(':')[3]!,
        );
      }
      ecs.reconcile(service);
      return { service: serviceView(service, ecs) };
    },

    DescribeServices(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const refs = input.strList('services');
      if (!refs) throw required('services');
      if (refs.length > 10) throw new AwsError('InvalidParameterException', 'services can have at most 10 items.');
      const includeTags = (input.strList('include') ?? []).includes('TAGS');
      const services = [];
      const failures = [];
      for (const ref of refs) {
        const service = ecs.findService(cluster.name, ref);
        if (service) services.push({ ...serviceView(service, ecs), tags: includeTags ? service.tags : undefined });
        else
          failures.push({
            arn: ref.startsWith('arn:')
              ? ref
              : `arn:aws:ecs:${currentRegion(defaultRegion)}:${ecs.deps.accountId}:service/${cluster.name}/${ref}`,
            reason: 'MISSING',
          });
      }
      return { services, failures };
    },

    ListServices(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const arns = [...ecs.services.values()]
        .filter((s) => s.clusterName === cluster.name && s.status !== 'INACTIVE')
        .map((s) => s.arn);
      const { page, nextToken } = pageTokens(arns, input, 100, 10);
      return { serviceArns: page, nextToken };
    },

    DeleteService(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const service = ecs.service(cluster.name, input.reqStr('service'));
      const force = input.bool('force') ?? false;
      if (service.status === 'ACTIVE' && service.desiredCount > 0 && !force) {
        throw new AwsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
      }
      if (service.status === 'ACTIVE') {
        deployments.serviceDeleted(service);
        service.status = 'DRAINING';
        service.desiredCount = 0;
        void Promise.all(service.groups.map((g) => ecs.drainGroup(g, `Service ${service.name} is being deleted`))).then(
          () => {
            service.status = 'INACTIVE';
            service.groups = [];
          },
        );
      }
      return { service: serviceView(service, ecs) };
    },

    DescribeTaskSets(body) {
      const input = new JsonInput(body);
      const cluster = ecs.cluster(input.str('cluster'));
      const service = ecs.service(cluster.name, input.reqStr('service'));
      if (service.deploymentController === 'ECS') {
        throw new AwsError(
          'InvalidParameterException',
          'Amazon ECS only supports task set management on services configured to use external deployment controllers.',
        );
      }
      const refs = input.strList('taskSets');
      const all = service.groups.filter((g) => g.kind === 'taskSet');
      if (!refs) return { taskSets: all.map((g) => taskSetView(service, g, ecs)), failures: [] };
      const taskSets = [];
      const failures = [];
      for (const ref of refs) {
        const group = all.find((g) => g.arn === ref || g.id === ref);
        if (group) taskSets.push(taskSetView(service, group, ecs));
        else failures.push({ arn: ref, reason: 'MISSING' });
      }
      return { taskSets, failures };
    },
  };
}
