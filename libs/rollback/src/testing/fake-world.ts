import type { AuditEntry, DeploymentRecord, ManualClock, Release } from '@shipgate/model';
import type {
  AuditInput,
  ControllerDeploymentView,
  ControllerStatus,
  DeploymentGroupRef,
  ListenerTrafficPort,
  ListenerWeight,
  ReleaseProbePort,
  RollbackControlPort,
  RollbackLedgerPort,
  RollbackPorts,
} from '../ports';

interface FakeDeployment {
  id: string;
  status: ControllerStatus;
  releaseId: string;
  taskDefinitionArn: string;
  blue: string;
  green: string;
  createdAt: number;
  continued: boolean;
  terminationWaitStarted: boolean;
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
 * listener, a controller whose deployments advance with a ManualClock, a probe that answers with the
 * release of the target group holding the traffic, and an in-memory ledger with an audit list.
 */
export class FakeRollbackWorld implements RollbackControlPort, ListenerTrafficPort, ReleaseProbePort {
  readonly controller = 'codedeploy' as const;
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

  /** Starts a deployment of `releaseId` and moves all traffic to it, leaving it in its termination wait. */
  deployIntoTerminationWait(releaseId: string, weightOnGreen = 100): string {
    const id = this.createDeployment(releaseId, `td-${releaseId}`);
    const d = this.deployments.get(id)!;
    this.serving.set(d.green, releaseId);
    this.setWeights(d.blue, d.green, weightOnGreen);
    d.continued = true;
    d.terminationWaitStarted = weightOnGreen === 100;
    d.status = 'InProgress';
    return id;
  }

  async inFlight(_group: DeploymentGroupRef): Promise<string | undefined> {
    return [...this.deployments.values()].find((d) => !['Succeeded', 'Failed', 'Stopped'].includes(d.status))?.id;
  }

  async status(id: string): Promise<ControllerDeploymentView> {
    this.advance();
    const d = this.deployments.get(id);
    if (!d) throw new Error(`no deployment ${id}`);
    const greenWeight = this.weights.find((w) => w.targetGroup === d.green)?.weight ?? 0;
    return {
      id,
      status: d.status,
      taskDefinitionArn: d.taskDefinitionArn,
      taskSets: [
        { label: 'Blue', trafficWeight: 100 - greenWeight, targetGroup: d.blue },
        { label: 'Green', trafficWeight: greenWeight, targetGroup: d.green },
      ],
      terminationWaitStarted: d.terminationWaitStarted,
      ...(d.description ? { description: d.description } : {}),
      ...(d.triggeringDeploymentId ? { rollback: { triggeringDeploymentId: d.triggeringDeploymentId } } : {}),
    };
  }

  async stop(id: string, options: { rollback: boolean }): Promise<void> {
    this.calls.push(`stop ${id} rollback=${options.rollback}`);
    const d = this.deployments.get(id)!;
    d.status = 'Stopped';
    if (options.rollback)
      this.stopsAt.set(id, { at: this.clock.now().getTime() + this.timings.stopRollbackMs, blue: d.blue });
  }

  async start(
    input: DeploymentGroupRef & {
      taskDefinitionArn: string;
      appSpec: string;
      deploymentConfig?: string;
      description: string;
    },
  ): Promise<string> {
    this.calls.push(`start ${input.taskDefinitionArn} ${input.deploymentConfig ?? ''}`);
    const releaseId = input.taskDefinitionArn.replace(/^td-/, '');
    const id = this.createDeployment(releaseId, input.taskDefinitionArn);
    this.deployments.get(id)!.description = input.description;
    return id;
  }

  async continue(id: string, wait: 'ready' | 'termination'): Promise<void> {
    this.calls.push(`continue ${id} ${wait}`);
    const d = this.deployments.get(id)!;
    d.continued = true;
    d.status = 'InProgress';
    this.setWeights(d.blue, d.green, 100);
    d.terminationWaitStarted = true;
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

  /** Every port runRollback needs, over this world. */
  ports(): RollbackPorts {
    return { control: this, traffic: this, probe: this, ledger: this.ledger() };
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
      status: 'InProgress',
      releaseId,
      taskDefinitionArn,
      blue,
      green,
      createdAt: this.clock.now().getTime(),
      continued: false,
      terminationWaitStarted: false,
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
      if (d.status === 'InProgress' && !d.continued && now - d.createdAt >= this.timings.replacementHealthyMs) {
        this.serving.set(d.green, d.releaseId);
        d.status = 'Ready';
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
    const ready = [...this.deployments.values()].find((d) => d.status === 'Ready');
    return ready?.green;
  }
}
