/**
 * The ports of rollback, named for what rollback needs. The deployment types and the controller are
 * ecs-deploy's (one declaration, any controller); what ecs-deploy does not offer (listener weights,
 * the release probe, the ledger writes) is declared here and implemented in src/adapters.
 */
import type { DeployPorts, DeploymentControllerPort, DeploymentView, TaskDefinitionInput } from '@shipgate/ecs-deploy';
import type { AuditEntry, DeploymentRecord, Release } from '@shipgate/model';

/** What rollback reads about one deployment: ecs-deploy's view, declared once there. */
export type ControllerDeploymentView = DeploymentView;

/**
 * The controller as rollback drives it directly: find, read and stop deployments (the fast path) and
 * skip a bake. A redeploy runs ecs-deploy's engine (runDeploy) over `RollbackPorts.deploy` instead.
 */
export type RollbackControlPort = Pick<DeploymentControllerPort, 'kind' | 'inFlight' | 'status' | 'stop'>;

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

/** Renders the task definition of a release that has none recorded (the engine registers it). */
export interface TaskDefinitionSourcePort {
  taskDefinitionFor(release: { id: string; digest: string; image?: string }): Promise<TaskDefinitionInput>;
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

/** The deploy engine's controller, as rollback's readers (status, heal, gather) need it. */
export type RollbackControllerPorts = { deploy: Pick<DeployPorts, 'controller'> };

/** Everything runRollback talks to. */
export interface RollbackPorts {
  /** The deploy engine's ports: a redeploy rollback runs runDeploy over them, the fast path stops through `deploy.controller`. */
  deploy: DeployPorts;
  traffic: ListenerTrafficPort;
  probe: ReleaseProbePort;
  ledger: RollbackLedgerPort;
  taskDefinitions?: TaskDefinitionSourcePort;
}
