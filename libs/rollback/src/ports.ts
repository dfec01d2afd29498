/**
 * The ports of rollback, named for what rollback needs. They are deliberately a structural subset of
 * `@shipgate/ecs-deploy`'s BlueGreenPort, so that its CodeDeploy adapter (and later an ECS-native one)
 * plugs in unchanged; what ecs-deploy does not offer (listener weights, the release probe, the ledger
 * writes) is declared here and implemented in src/adapters.
 */
import type { AuditEntry, DeploymentRecord, Release } from '@shipgate/model';

/** Controller statuses, as CodeDeploy names them. */
export type ControllerStatus =
  'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Ready' | 'Succeeded' | 'Failed' | 'Stopped';

/** One task set of a controller deployment, as rollback reads it. */
export interface RollbackTaskSet {
  /** `Blue` is the original task set, `Green` the replacement. */
  label: 'Blue' | 'Green';
  trafficWeight: number;
  targetGroup?: string;
}

/** What rollback reads about one controller deployment. */
export interface ControllerDeploymentView {
  id: string;
  status: ControllerStatus;
  taskDefinitionArn?: string;
  /** The description given at start; shipgate's own rollbacks start with ROLLBACK_DESCRIPTION_PREFIX. */
  description?: string;
  taskSets: RollbackTaskSet[];
  error?: { code?: string; message?: string };
  /** Set on deployments the controller itself created to roll another back. */
  rollback?: { rollbackDeploymentId?: string; triggeringDeploymentId?: string; message?: string };
  /** True once the original task set's termination wait has begun (traffic has fully moved). */
  terminationWaitStarted?: boolean;
}

/** Where the controller runs a service's blue/green deployments. */
export interface DeploymentGroupRef {
  application: string;
  deploymentGroup: string;
}

/** Stops, starts and follows blue/green deployments (ecs-deploy's BlueGreenPort satisfies it). */
export interface RollbackControlPort {
  readonly controller: 'codedeploy' | 'ecs';
  /** The active deployment of the group, if any. */
  inFlight(group: DeploymentGroupRef): Promise<string | undefined>;
  status(id: string): Promise<ControllerDeploymentView>;
  /** With `rollback: true` traffic returns to the original task set. */
  stop(id: string, options: { rollback: boolean }): Promise<void>;
  start(
    input: DeploymentGroupRef & {
      taskDefinitionArn: string;
      appSpec: string;
      deploymentConfig?: string;
      description: string;
    },
  ): Promise<string>;
  /** `ready`: let production traffic move now. */
  continue(id: string, wait: 'ready' | 'termination'): Promise<void>;
}

/** One weighted target group of the production listener. */
export interface ListenerWeight {
  targetGroup: string;
  weight: number;
}

/** The load balancer as rollback sees it: where the listeners answer and how production traffic is split. */
export interface ListenerTrafficPort {
  /** The production listener's forward weights, by target group name. */
  productionWeights(): Promise<ListenerWeight[]>;
  /** Base URLs (scheme, host, port) of the production and test listeners. */
  listenerUrls(): Promise<{ production: string; test: string }>;
}

/** One answer to "which release serves here?". */
export interface ReleaseProbeAnswer {
  ok: boolean;
  status: number;
  releaseId?: string;
  error?: string;
}

/** Asks a listener which release answers (the service's release path, or its `x-release-id` header). */
export interface ReleaseProbePort {
  whoAnswers(baseUrl: string): Promise<ReleaseProbeAnswer>;
}

/** Supplies a registered task definition for a release that has none recorded (ecs-deploy renders and registers). */
export interface TaskDefinitionSourcePort {
  taskDefinitionFor(release: { id: string; digest: string; image?: string }): Promise<string>;
}

/** An audit entry before the ledger chains it. */
export type AuditInput = Pick<AuditEntry, 'actor' | 'action' | 'subject' | 'details'>;

/** The ledger, as rollback reads and writes it. */
export interface RollbackLedgerPort {
  /** Every deployment of the service to the environment, in any order. */
  deployments(service: string, environment: string): Promise<DeploymentRecord[]>;
  /** The release, or undefined when the ledger has none with that id (or unique prefix). */
  release(id: string): Promise<Release | undefined>;
  /** Records a new deployment (a rollback) and returns it with its id. */
  startDeployment(record: Omit<DeploymentRecord, 'id'>): Promise<DeploymentRecord>;
  updateDeployment(id: string, patch: Partial<DeploymentRecord>): Promise<void>;
  appendAudit(entry: AuditInput): Promise<void>;
}

/** Everything runRollback talks to. */
export interface RollbackPorts {
  control: RollbackControlPort;
  traffic: ListenerTrafficPort;
  probe: ReleaseProbePort;
  ledger: RollbackLedgerPort;
  taskDefinitions?: TaskDefinitionSourcePort;
}
