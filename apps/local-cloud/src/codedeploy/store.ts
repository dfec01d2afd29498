import { randomInt } from 'node:crypto';
import type { EcsAppSpec } from './appspec';
import type { DeploymentConfig } from './deployment-configs';
import { PREDEFINED_CONFIGS } from './deployment-configs';
import type {
  ApplicationRecord,
  DeploymentCreator,
  DeploymentGroupRecord,
  DeploymentGroupSettings,
  DeploymentRecord,
} from './model';
import { ECS_LIFECYCLE_EVENTS, isComplete } from './model';
import type { WireObject } from './wire';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** AWS deployment ids: `d-` and nine upper-case letters or digits. */
export const DEPLOYMENT_ID_PATTERN = /^d-[A-Z0-9]{9}$/;

/** Everything CodeDeploy knows, in memory. */
export class CodeDeployStore {
  readonly apps = new Map<string, ApplicationRecord>();
  readonly configs = new Map<string, DeploymentConfig>(PREDEFINED_CONFIGS.map((c) => [c.deploymentConfigName, c]));
  readonly deployments = new Map<string, DeploymentRecord>();
  private readonly groups = new Map<string, DeploymentGroupRecord>();

  group(applicationName: string, groupName: string): DeploymentGroupRecord | undefined {
    return this.groups.get(groupKey(applicationName, groupName));
  }

  putGroup(group: DeploymentGroupRecord, previousName?: string): void {
    if (previousName !== undefined) this.groups.delete(groupKey(group.applicationName, previousName));
    this.groups.set(groupKey(group.applicationName, group.deploymentGroupName), group);
  }

  deleteGroup(applicationName: string, groupName: string): void {
    this.groups.delete(groupKey(applicationName, groupName));
  }

  allGroups(): DeploymentGroupRecord[] {
    return [...this.groups.values()];
  }

  /** The deployment of this group that is not yet complete (AWS allows one at a time). */
  activeDeployment(applicationName: string, groupName: string): DeploymentRecord | undefined {
    for (const d of this.deployments.values()) {
      if (d.applicationName === applicationName && d.deploymentGroupName === groupName && !isComplete(d.status))
        return d;
    }
    return undefined;
  }

  newDeploymentId(): string {
    for (;;) {
      let id = 'd-';
      for (let i = 0; i < 9; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
      if (!this.deployments.has(id)) return id;
    }
  }

  /** Creates a deployment record in status Created, its ECS target's lifecycle events all Pending. */
  addDeployment(input: {
    group: DeploymentGroupRecord;
    settings: DeploymentGroupSettings;
    config: DeploymentConfig;
    revision: WireObject;
    appSpec: EcsAppSpec;
    description?: string;
    creator: DeploymentCreator;
    serviceArn: string;
    now: Date;
  }): DeploymentRecord {
    const { group, settings, now } = input;
    const record: DeploymentRecord = {
      deploymentId: this.newDeploymentId(),
      applicationName: group.applicationName,
      deploymentGroupName: group.deploymentGroupName,
      config: input.config,
      settings,
      revision: input.revision,
      ...(group.lastSuccessful
        ? { previousRevision: this.deployments.get(group.lastSuccessful.deploymentId)?.revision }
        : {}),
      appSpec: input.appSpec,
      ...(input.description !== undefined ? { description: input.description } : {}),
      creator: input.creator,
      status: 'Created',
      createTime: now,
      statusMessages: [],
      instanceTerminationWaitTimeStarted: false,
      phase: 'starting',
      target: {
        targetId: `${settings.ecsService.clusterName}:${settings.ecsService.serviceName}`,
        targetArn: input.serviceArn,
        status: 'Pending',
        lastUpdatedAt: now,
        events: ECS_LIFECYCLE_EVENTS.map((name) => ({ name, status: 'Pending' as const })),
        greenWeight: 0,
      },
      listenersBefore: [],
      primarySwitched: false,
      controller: new AbortController(),
    };
    this.deployments.set(record.deploymentId, record);
    group.lastAttempted = { deploymentId: record.deploymentId, status: record.status, createTime: now };
    return record;
  }
}

function groupKey(applicationName: string, groupName: string): string {
  return `${applicationName}\u0000${groupName}`;
}
