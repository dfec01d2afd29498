import type {
  DeploymentControllerPort,
  DeploymentPhase,
  DeploymentTarget,
  DiagnosticsPort,
  ServicePort,
  SkippableWait,
  SmokeAnswer,
  SmokePort,
  StartDeploymentInput,
  TaskDefinitionInput,
  TaskDefinitionPort,
  RegisteredTaskDefinition,
} from '@shipgate/ecs-deploy';
import {
  configSchema,
  resolveServiceTarget,
  type AuditEntry,
  type DeploymentRecord,
  type ManualClock,
  type Release,
  type ServiceTarget,
} from '@shipgate/model';
import type {
  AuditInput,
  ControllerDeploymentView,
  ListenerTrafficPort,
  ListenerWeight,
  ReleaseProbePort,
  RollbackLedgerPort,
  RollbackPorts,
} from '../ports';

/** The sample service in production, as the fake world's deployments target it (test listener on :81). */
export function fakeTarget(): ServiceTarget {
  const config = configSchema.parse({
    version: 1,
    project: 'shipgate-demo',
    services: { 'sample-service': { containerName: 'app', containerPort: 8080, taskDefinition: 'taskdef.json' } },
    environments: {
      production: {
        dataPolicy: 'real',
        services: { 'sample-service': { productionListenerPort: 80, testListenerPort: 81 } },
        deploy: {
          readinessWait: '10m',
          terminationWait: '5m',
          verifyRequests: 3,
          healthCheck: { interval: '1s', timeout: '1s', healthyThreshold: 2, unhealthyThreshold: 2 },
        },
      },
    },
  });
  return resolveServiceTarget(config, 'production', 'sample-service');
}

interface FakeDeployment {
  id: string;
  phase: DeploymentPhase;
  releaseId: string;
  taskDefinitionArn: string;
  blue: string;
  green: string;
  createdAt: number;
  continued: boolean;
  triggeringDeploymentId?: string;
  description?: string;
}

/** Timings of the fake controller, in ms of the manual clock. */
export interface FakeTimings {
  /** From start until the replacement task set is healthy and the deployment waits in Ready. */
  replacementHealthyMs: number;
  /** From StopDeployment until traffic is back on the original target group. */
  stopRollbackMs: number;
}

/**
 * An in-memory blue/green world for the pure core's tests: two target groups behind a production
 * listener, a controller whose deployments advance with a ManualClock, a probe (and the deploy
 * engine's smoke port) that answers with the release of the target group serving that listener, and
 * an in-memory ledger with an audit list.
 */
export class FakeRollbackWorld
  implements DeploymentControllerPort, ListenerTrafficPort, ReleaseProbePort, SmokePort, TaskDefinitionPort
{
  readonly kind = 'codedeploy' as const;
  readonly label = 'Fake controller';
  readonly skippableWaits: ReadonlySet<SkippableWait> = new Set<SkippableWait>(['bake']);
  readonly target = fakeTarget();
  readonly registered: RegisteredTaskDefinition[] = [];
  readonly deployments = new Map<string, FakeDeployment>();
  readonly records: DeploymentRecord[] = [];
  readonly releases: Release[] = [];
  readonly audit: AuditInput[] = [];
  readonly calls: string[] = [];
  /** Release served by each target group. */
  readonly serving = new Map<string, string>();
  weights: ListenerWeight[];
  private stopsAt = new Map<string, { at: number; blue: string }>();
  private next = 1;

  constructor(
    readonly clock: ManualClock,
    readonly timings: FakeTimings = { replacementHealthyMs: 20_000, stopRollbackMs: 300 },
    readonly targetGroups: [string, string] = ['tg-blue', 'tg-green'],
  ) {
    this.weights = [
      { targetGroup: targetGroups[0], weight: 100 },
      { targetGroup: targetGroups[1], weight: 0 },
    ];
  }

  /** Puts a release on the target group holding the traffic (the initial state). */
  serve(releaseId: string): void {
    this.serving.set(this.liveGroup(), releaseId);
  }

  /** Starts a deployment of `releaseId` and moves all traffic to it, leaving it baking (termination wait). */
  deployIntoTerminationWait(releaseId: string, weightOnGreen = 100): string {
    const id = this.createDeployment(releaseId, `td-${releaseId}`);
    const d = this.deployments.get(id)!;
    this.serving.set(d.green, releaseId);
    this.setWeights(d.blue, d.green, weightOnGreen);
    d.continued = true;
    d.phase = weightOnGreen === 100 ? 'baking' : 'shifting';
    return id;
  }

  async inFlight(_target: DeploymentTarget): Promise<string | undefined> {
    return [...this.deployments.values()].find((d) => !['finished', 'failed', 'stopped'].includes(d.phase))?.id;
  }

  async status(id: string): Promise<ControllerDeploymentView> {
    this.advance();
    const d = this.deployments.get(id);
    if (!d) throw new Error(`no deployment ${id}`);
    const greenWeight = this.weights.find((w) => w.targetGroup === d.green)?.weight ?? 0;
    const side = (label: 'Blue' | 'Green', trafficWeight: number, targetGroup: string) => ({
      id: `ts-${label.toLowerCase()}`,
      label,
      trafficWeight,
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      targetGroup,
    });
    return {
      id,
      phase: d.phase,
      controllerStatus: d.phase,
      taskDefinitionArn: d.taskDefinitionArn,
      lifecycleEvents: [],
      sides: [side('Blue', 100 - greenWeight, d.blue), side('Green', greenWeight, d.green)],
      ...(d.description ? { description: d.description } : {}),
      ...(d.triggeringDeploymentId ? { rollback: { triggeringDeploymentId: d.triggeringDeploymentId } } : {}),
    };
  }

  async stop(id: string, options: { rollback: boolean }): Promise<void> {
    this.calls.push(`stop ${id} rollback=${options.rollback}`);
    const d = this.deployments.get(id)!;
    d.phase = 'stopped';
    if (options.rollback)
      this.stopsAt.set(id, { at: this.clock.now().getTime() + this.timings.stopRollbackMs, blue: d.blue });
  }

  async start(input: StartDeploymentInput): Promise<string> {
    this.calls.push(`start ${input.taskDefinitionArn}${input.allAtOnce ? ' all-at-once' : ''}`);
    const releaseId =
      this.registered.find((t) => t.arn === input.taskDefinitionArn)?.containers[0]?.environment.SHIPGATE_RELEASE ??
      input.taskDefinitionArn.replace(/^td-/, '');
    const id = this.createDeployment(releaseId, input.taskDefinitionArn);
    this.deployments.get(id)!.description = input.description;
    return id;
  }

  preview(input: StartDeploymentInput): Record<string, unknown> {
    return { controller: this.kind, taskDefinitionArn: input.taskDefinitionArn };
  }

  async continue(id: string): Promise<void> {
    this.calls.push(`continue ${id}`);
    const d = this.deployments.get(id)!;
    if (d.phase !== 'verifying') throw new Error(`deployment ${id} is ${d.phase}, not verifying`);
    d.continued = true;
    this.setWeights(d.blue, d.green, 100);
    d.phase = 'baking';
  }

  async finishNow(id: string, wait: SkippableWait): Promise<void> {
    this.calls.push(`finish-now ${wait} ${id}`);
    const d = this.deployments.get(id)!;
    if (d.phase !== 'baking') throw new Error(`deployment ${id} is ${d.phase}, not baking`);
    d.phase = 'finished';
  }

  async trafficRouting() {
    return { type: 'all-at-once' as const };
  }

  // The deploy engine's smoke port: the test listener (:81) reaches the replacement while it is verified.
  async listenerUrl(_loadBalancer: string, port: number): Promise<string> {
    return `http://fake:${port}`;
  }

  async get(url: string): Promise<SmokeAnswer> {
    const answer = await this.whoAnswers(new URL(url).origin);
    return answer.ok
      ? { status: 200, headers: { 'x-release-id': answer.releaseId! }, body: '' }
      : { status: answer.status, headers: {}, body: answer.error ?? '' };
  }

  // The deploy engine's task definitions: `td-<release>` ARNs, the release in SHIPGATE_RELEASE.
  async register(definition: TaskDefinitionInput): Promise<RegisteredTaskDefinition> {
    const release = definition.containerDefinitions[0]?.environment?.find((e) => e.name === 'SHIPGATE_RELEASE')?.value;
    const registered = {
      arn: `td-${release ?? definition.family}`,
      family: definition.family,
      revision: this.registered.length + 1,
      containers: definition.containerDefinitions.map((c) => ({
        name: c.name,
        image: c.image,
        environment: Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value])),
      })),
    };
    this.calls.push(`register ${registered.arn}`);
    this.registered.push(registered);
    return registered;
  }

  async describe(arn: string): Promise<RegisteredTaskDefinition | undefined> {
    const known = this.registered.find((t) => t.arn === arn);
    if (known) return known;
    const release = /^td-(.+)$/.exec(arn)?.[1];
    return release
      ? {
          arn,
          family: 'fake',
          revision: 1,
          containers: [{ name: 'app', image: `img@${release}`, environment: { SHIPGATE_RELEASE: release } }],
        }
      : undefined;
  }

  async productionWeights(): Promise<ListenerWeight[]> {
    this.advance();
    return this.weights.map((w) => ({ ...w }));
  }

  async listenerUrls() {
    return { production: 'http://fake:80', test: 'http://fake:81' };
  }

  async whoAnswers(baseUrl: string) {
    this.advance();
    const group = baseUrl.endsWith(':81') ? this.testGroup() : this.liveGroup();
    const releaseId = group ? this.serving.get(group) : undefined;
    return releaseId ? { ok: true, status: 200, releaseId } : { ok: false, status: 503, error: 'no healthy target' };
  }

  /** The ledger port over the in-memory records and audit list. */
  ledger(): RollbackLedgerPort {
    return {
      deployments: async (service, environment) =>
        this.records.filter((r) => r.service === service && r.environment === environment),
      release: async (id) => this.releases.find((r) => r.id === id || r.id.startsWith(id)),
      startDeployment: async (record) => {
        const full = { ...record, id: `dep-${String(this.records.length + 1).padStart(3, '0')}` };
        this.records.push(full);
        return full;
      },
      updateDeployment: async (id, patch) => {
        const index = this.records.findIndex((r) => r.id === id);
        if (index < 0) throw new Error(`no record ${id}`);
        this.records[index] = { ...this.records[index]!, ...patch };
      },
      appendAudit: async (entry) => void this.audit.push(entry),
    };
  }

  /** Every port runRollback needs, over this world (the deploy engine's too). */
  ports(): RollbackPorts {
    const service: ServicePort = { describe: async () => ({ desiredCount: 1, runningCount: 1 }) };
    const diagnostics: DiagnosticsPort = {
      targetHealth: async () => ({ healthy: 1, unhealthy: [] }),
      stoppedTasks: async () => [],
      alarmsInAlarm: async () => [],
    };
    return {
      deploy: { controller: this, taskDefinitions: this, smoke: this, service, diagnostics },
      traffic: this,
      probe: this,
      ledger: this.ledger(),
    };
  }

  /** Audit entries as the ledger would chain them (for assertions on shape only). */
  auditEntries(): Pick<AuditEntry, 'actor' | 'action' | 'subject' | 'details'>[] {
    return this.audit;
  }

  private createDeployment(releaseId: string, taskDefinitionArn: string): string {
    const id = `d-FAKE${this.next++}`;
    const blue = this.liveGroup();
    const green = this.targetGroups.find((g) => g !== blue)!;
    this.deployments.set(id, {
      id,
      phase: 'starting',
      releaseId,
      taskDefinitionArn,
      blue,
      green,
      createdAt: this.clock.now().getTime(),
      continued: false,
    });
    return id;
  }

  private advance(): void {
    const now = this.clock.now().getTime();
    for (const [id, stop] of this.stopsAt) {
      if (now >= stop.at) {
        this.setWeights(
          stop.blue,
          this.targetGroups.find((g) => g !== stop.blue)!,
          0,
        );
        this.stopsAt.delete(id);
      }
    }
    for (const d of this.deployments.values()) {
      if (d.phase === 'starting' && !d.continued && now - d.createdAt >= this.timings.replacementHealthyMs) {
        this.serving.set(d.green, d.releaseId);
        d.phase = 'verifying';
      }
    }
  }

  private setWeights(blue: string, green: string, greenWeight: number): void {
    this.weights = [
      { targetGroup: blue, weight: 100 - greenWeight },
      { targetGroup: green, weight: greenWeight },
    ];
  }

  private liveGroup(): string {
    return [...this.weights].sort((a, b) => b.weight - a.weight)[0]!.targetGroup;
  }

  private testGroup(): string | undefined {
    const ready = [...this.deployments.values()].find((d) => d.phase === 'verifying');
    return ready?.green;
  }
}
