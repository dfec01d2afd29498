import { randomUUID } from 'node:crypto';
import type { JsonServiceApi } from '../contract';
import { AwsError } from '../contract';
import { parseCreateDeploymentConfig, renderDeploymentConfig } from './deployment-configs';
import type { GroupValidationContext } from './deployment-group-settings';
import { parseGroupSettings, renderDeploymentGroup } from './deployment-group-settings';
import type { EngineContext } from './engine-context';
import type { ApplicationRecord, DeploymentGroupRecord } from './model';
import { isComplete } from './model';
import type { WireObject } from './wire';
import { epochSeconds, optString } from './wire';

/** Reads and checks an application name, as every operation taking one does. */
export function readApplicationName(input: WireObject, key = 'applicationName'): string {
  const name = optString(input, key);
  if (name === undefined)
    throw new AwsError(
      'ApplicationNameRequiredException',
      'The minimum number of required application names was not specified.',
    );
  if (name.length > 100)
    throw new AwsError(
      'InvalidApplicationNameException',
      `The application name is too long (${name.length} characters; at most 100).`,
    );
  return name;
}

/** Reads a deployment group name. */
export function readGroupName(input: WireObject, key = 'deploymentGroupName'): string {
  const name = optString(input, key);
  if (name === undefined)
    throw new AwsError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  if (name.length > 100)
    throw new AwsError(
      'InvalidDeploymentGroupNameException',
      `The deployment group name is too long (${name.length} characters; at most 100).`,
    );
  return name;
}

/** The application, or AWS's ApplicationDoesNotExistException. */
export function requireApplication(ctx: EngineContext, name: string): ApplicationRecord {
  const app = ctx.store.apps.get(name);
  if (!app) throw new AwsError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return app;
}

/** The group, or AWS's DeploymentGroupDoesNotExistException. */
export function requireGroup(ctx: EngineContext, app: string, name: string): DeploymentGroupRecord {
  const group = ctx.store.group(app, name);
  if (!group) throw new AwsError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`);
  return group;
}

function validationContext(ctx: EngineContext): GroupValidationContext {
  return {
    ecs: ctx.ecs,
    elb: ctx.elb,
    findConfig: (name) => ctx.store.configs.get(name),
    groupUsingService: (cluster, service) => {
      const g = ctx.store
        .allGroups()
        .find((x) => x.ecsService.clusterName === cluster && x.ecsService.serviceName === service);
      return g && `${g.applicationName}/${g.deploymentGroupName}`;
    },
  };
}

function renderApplication(app: ApplicationRecord): WireObject {
  return {
    applicationId: app.applicationId,
    applicationName: app.applicationName,
    createTime: epochSeconds(app.createTime),
    linkedToGitHub: false,
    computePlatform: app.computePlatform,
  };
}

/** Applications, deployment configurations and deployment groups. */
export function setupApi(ctx: EngineContext): JsonServiceApi {
  const { store } = ctx;
  return {
    CreateApplication(input) {
      const applicationName = readApplicationName(input);
      const platform = optString(input, 'computePlatform') ?? 'Server';
      if (platform !== 'ECS' && platform !== 'Server' && platform !== 'Lambda')
        throw new AwsError(
          'InvalidComputePlatformException',
          `The computePlatform '${platform}' is invalid; expected ECS, Server or Lambda.`,
        );
      if (store.apps.has(applicationName))
        throw new AwsError('ApplicationAlreadyExistsException', `${applicationName} already exists in your account`);
      const app: ApplicationRecord = {
        applicationId: randomUUID(),
        applicationName,
        computePlatform: platform,
        createTime: ctx.time.now(),
      };
      store.apps.set(applicationName, app);
      return { applicationId: app.applicationId };
    },
    GetApplication(input) {
      return { application: renderApplication(requireApplication(ctx, readApplicationName(input))) };
    },
    BatchGetApplications(input) {
      const names = Array.isArray(input['applicationNames']) ? (input['applicationNames'] as unknown[]) : [];
      if (names.length > 100)
        throw new AwsError(
          'BatchLimitExceededException',
          'The maximum number of names or IDs allowed for this request (100) was exceeded.',
        );
      return { applicationsInfo: names.map((n) => renderApplication(requireApplication(ctx, String(n)))) };
    },
    ListApplications() {
      return { applications: [...store.apps.keys()].sort() };
    },
    CreateDeploymentConfig(input) {
      const config = parseCreateDeploymentConfig(input, (name) => store.configs.has(name), ctx.time.now());
      store.configs.set(config.deploymentConfigName, config);
      return { deploymentConfigId: config.deploymentConfigId };
    },
    GetDeploymentConfig(input) {
      const name = optString(input, 'deploymentConfigName');
      if (name === undefined)
        throw new AwsError('DeploymentConfigNameRequiredException', 'Deployment config name is required.');
      const config = store.configs.get(name);
      if (!config)
        throw new AwsError(
          'DeploymentConfigDoesNotExistException',
          `No deployment configuration found for name: ${name}`,
        );
      return { deploymentConfigInfo: renderDeploymentConfig(config) };
    },
    ListDeploymentConfigs() {
      return { deploymentConfigsList: [...store.configs.keys()] };
    },
    DeleteDeploymentConfig(input) {
      const name = optString(input, 'deploymentConfigName');
      if (name === undefined)
        throw new AwsError('DeploymentConfigNameRequiredException', 'Deployment config name is required.');
      if (name.startsWith('CodeDeployDefault.'))
        throw new AwsError(
          'InvalidOperationException',
          `The predefined deployment configuration ${name} cannot be deleted.`,
        );
      if (store.allGroups().some((g) => g.deploymentConfigName === name))
        throw new AwsError(
          'DeploymentConfigInUseException',
          `The deployment configuration ${name} is in use by a deployment group.`,
        );
      store.configs.delete(name);
      return {};
    },
    CreateDeploymentGroup(input) {
      const app = requireApplication(ctx, readApplicationName(input));
      const name = readGroupName(input);
      if (app.computePlatform !== 'ECS')
        throw new AwsError(
          'InvalidInputException',
          `local-cloud supports ECS deployment groups only; application ${app.applicationName} uses the ${app.computePlatform} compute platform.`,
        );
      if (store.group(app.applicationName, name))
        throw new AwsError(
          'DeploymentGroupAlreadyExistsException',
          `Deployment group ${name} already exists for application ${app.applicationName}`,
        );
      const settings = parseGroupSettings(input, validationContext(ctx), `${app.applicationName}/${name}`);
      const group: DeploymentGroupRecord = {
        ...settings,
        applicationName: app.applicationName,
        deploymentGroupId: randomUUID(),
        deploymentGroupName: name,
      };
      store.putGroup(group);
      return { deploymentGroupId: group.deploymentGroupId };
    },
    GetDeploymentGroup(input) {
      const app = requireApplication(ctx, readApplicationName(input));
      return {
        deploymentGroupInfo: renderDeploymentGroup(requireGroup(ctx, app.applicationName, readGroupName(input))),
      };
    },
    BatchGetDeploymentGroups(input) {
      const app = requireApplication(ctx, readApplicationName(input));
      const names = Array.isArray(input['deploymentGroupNames']) ? (input['deploymentGroupNames'] as unknown[]) : [];
      const found = names.map((n) => store.group(app.applicationName, String(n))).filter((g) => g !== undefined);
      const missing = names.filter((n) => !store.group(app.applicationName, String(n)));
      return {
        deploymentGroupsInfo: found.map(renderDeploymentGroup),
        ...(missing.length > 0 ? { errorMessage: `Deployment groups not found: ${missing.join(', ')}` } : {}),
      };
    },
    ListDeploymentGroups(input) {
      const app = requireApplication(ctx, readApplicationName(input));
      const names = store
        .allGroups()
        .filter((g) => g.applicationName === app.applicationName)
        .map((g) => g.deploymentGroupName);
      return { applicationName: app.applicationName, deploymentGroups: names.sort() };
    },
    UpdateDeploymentGroup(input) {
      const app = requireApplication(ctx, readApplicationName(input));
      const current = requireGroup(ctx, app.applicationName, readGroupName(input, 'currentDeploymentGroupName'));
      const newName = optString(input, 'newDeploymentGroupName');
      if (
        newName !== undefined &&
        newName !== current.deploymentGroupName &&
        store.group(app.applicationName, newName)
      ) {
        throw new AwsError(
          'DeploymentGroupAlreadyExistsException',
          `Deployment group ${newName} already exists for application ${app.applicationName}`,
        );
      }
      const settings = parseGroupSettings(
        input,
        validationContext(ctx),
        `${app.applicationName}/${current.deploymentGroupName}`,
        current,
      );
      const previousName = current.deploymentGroupName;
      Object.assign(current, settings, { deploymentGroupName: newName ?? previousName });
      store.putGroup(current, previousName);
      return { hooksNotCleanedUp: [] };
    },
    DeleteDeploymentGroup(input) {
      const app = requireApplication(ctx, readApplicationName(input));
      const group = requireGroup(ctx, app.applicationName, readGroupName(input));
      const active = [...store.deployments.values()].some(
        (d) =>
          d.applicationName === app.applicationName &&
          d.deploymentGroupName === group.deploymentGroupName &&
          !isComplete(d.status),
      );
      if (active)
        throw new AwsError(
          'InvalidOperationException',
          `Deployment group ${group.deploymentGroupName} has an active deployment.`,
        );
      store.deleteGroup(app.applicationName, group.deploymentGroupName);
      return { hooksNotCleanedUp: [] };
    },
  };
}
