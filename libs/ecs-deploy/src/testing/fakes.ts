import { ShipgateError } from '@shipgate/model';
import type { TrafficRouting } from '../deploy-budget';
import {
  isTerminalPhase,
  type DeploymentControllerPort,
  type DeploymentPhase,
  type DeploymentTarget,
  type DeploymentView,
  type DeployPorts,
  type DiagnosticsPort,
  type RegisteredTaskDefinition,
  type ServicePort,
  type ServiceView,
  type SmokeAnswer,
  type SkippableWait,
  type SmokePort,
  type StartDeploymentInput,
  type TaskDefinitionInput,
  type TaskDefinitionPort,
} from '../ports';

/** In-memory task definitions: `family:revision` ARNs, containers as registered. */
export class FakeTaskDefinitions implements TaskDefinitionPort {
  readonly registered: RegisteredTaskDefinition[] = [];
  async register(definition: TaskDefinitionInput): Promise<RegisteredTaskDefinition> {
    const revision = this.registered.filter((d) => d.family === definition.family).length + 1;
    const out: RegisteredTaskDefinition = {
      arn: `arn:aws:ecs:us-east-1:000000000000:task-definition/${definition.family}:${revision}`,
      family: definition.family,
      revision,
      containers: definition.containerDefinitions.map((c) => ({
        name: c.name,
        image: c.image,
        environment: Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value])),
      })),
    };
    this.registered.push(out);
    return out;
  }
  async describe(arn: string): Promise<RegisteredTaskDefinition | undefined> {
    return this.registered.find((d) => d.arn === arn);
  }
}

/** One step of a scripted deployment: its phase and the replacement's share of production traffic. */
export interface ScriptStep {
  phase: DeploymentPhase;
  green: number;
  failedEvent?: string;
  error?: { code: string; message: string };
}

/** The usual life of a deployment: starting, verifying (waits for continue), shifting, finished. */
export const happyScript: ScriptStep[] = [
  { phase: 'starting', green: 0 },
  { phase: 'verifying', green: 0 },
  { phase: 'shifting', green: 50 },
  { phase: 'shifting', green: 100 },
  { phase: 'finished', green: 100 },
];

interface FakeDeployment {
  input: StartDeploymentInput;
  step: number;
  continued: boolean;
  stopped: boolean;
}

/** A scripted controller: each status() call moves one step; `verifying` waits for continue(); stop() rolls back. */
export class FakeController implements DeploymentControllerPort {
  readonly kind = 'codedeploy' as const;
  readonly label = 'Fake controller';
  readonly skippableWaits: ReadonlySet<SkippableWait> = new Set<SkippableWait>(['bake']);
  readonly deployments = new Map<string, FakeDeployment>();
  readonly calls: string[] = [];
  /** Makes the next start() fail as a lost race would. */
  startConflict = false;
  /** What trafficRouting() answers (a scripted custom configuration). */
  routing: TrafficRouting = { type: 'all-at-once' };
  constructor(public script: ScriptStep[] = happyScript) {}

  async start(input: StartDeploymentInput): Promise<string> {
    this.calls.push(`start${input.allAtOnce ? ' all-at-once' : ''}`);
    const busy = await this.inFlight(input.target);
    if (busy || this.startConflict) {
      this.startConflict = false;
      throw new ShipgateError(
        'DEPLOY_IN_FLIGHT',
        `service ${input.target.service} already has an active deployment ${busy ?? '(racing)'}`,
      );
    }
    const id = `d-FAKE${this.deployments.size + 1}`;
    this.deployments.set(id, { input, step: 0, continued: false, stopped: false });
    return id;
  }

  /** Adds a deployment started by someone else (another CI job, a crashed run). */
  seed(input: StartDeploymentInput, step = 0): string {
    const id = `d-FAKE${this.deployments.size + 1}`;
    this.deployments.set(id, { input, step, continued: false, stopped: false });
    return id;
  }

  preview(input: StartDeploymentInput): Record<string, unknown> {
    return { controller: this.kind, taskDefinitionArn: input.taskDefinitionArn };
  }

  async status(id: string): Promise<DeploymentView> {
    const d = this.deployments.get(id);
    if (!d) throw new ShipgateError('AWS_NOT_FOUND', `no deployment ${id}`);
    const current = this.view(id, d);
    if (!d.stopped && !(current.phase === 'verifying' && !d.continued))
      d.step = Math.min(d.step + 1, this.script.length - 1);
    return current;
  }

  private view(id: string, d: FakeDeployment): DeploymentView {
    const s = d.stopped ? { phase: 'stopped' as const, green: 0 } : this.script[d.step]!;
    return {
      id,
      phase: s.phase,
      controllerStatus: s.phase,
      taskDefinitionArn: d.input.taskDefinitionArn,
      lifecycleEvents: [
        {
          name: 'Install',
          status: 'failedEvent' in s && s.failedEvent === 'Install' ? 'Failed' : 'Succeeded',
          ...('failedEvent' in s && s.failedEvent ? { diagnostics: { message: 'replacement unhealthy' } } : {}),
        },
        { name: 'AllowTraffic', status: s.green === 100 ? 'Succeeded' : 'Pending' },
      ],
      sides: [
        {
          id: 'ts-blue',
          label: 'Blue',
          trafficWeight: 100 - s.green,
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
        },
        { id: 'ts-green', label: 'Green', trafficWeight: s.green, desiredCount: 2, runningCount: 2, pendingCount: 0 },
      ],
      ...('error' in s && s.error ? { error: s.error } : {}),
      ...(d.stopped
        ? {
            rollback: { message: 'stopped with rollback' },
            error: { code: 'DEPLOYMENT_STOPPED', message: 'stopped by request' },
          }
        : {}),
    };
  }

  async continue(id: string): Promise<void> {
    this.calls.push(`continue ${id}`);
    if (this.view(id, this.deployments.get(id)!).phase !== 'verifying')
      throw new ShipgateError('AWS_ERROR', `deployment ${id} is not waiting for verification`);
    const d = this.deployments.get(id)!;
    d.continued = true;
    d.step = Math.min(d.step + 1, this.script.length - 1);
  }

  async stop(id: string): Promise<void> {
    this.calls.push(`stop ${id}`);
    const d = this.deployments.get(id)!;
    // As AWS does (CodeDeploy's DeploymentAlreadyCompletedException, ECS's ConflictException).
    if (isTerminalPhase(this.view(id, d).phase))
      throw new ShipgateError('AWS_ERROR', `deployment ${id} has already completed`);
    d.stopped = true;
  }

  async finishNow(id: string, wait: SkippableWait): Promise<void> {
    this.calls.push(`finish-now ${wait} ${id}`);
    const d = this.deployments.get(id)!;
    d.step = this.script.length - 1;
  }

  async inFlight(_target: DeploymentTarget): Promise<string | undefined> {
    for (const [id, d] of this.deployments) if (!isTerminalPhase(this.view(id, d).phase)) return id;
    return undefined;
  }

  async trafficRouting(_target: DeploymentTarget): Promise<TrafficRouting> {
    this.calls.push('trafficRouting');
    return this.routing;
  }
}

/** A smoke port whose every answer comes from `answer`. */
export class FakeSmoke implements SmokePort {
  requests = 0;
  constructor(public answer: (url: string) => SmokeAnswer) {}
  async listenerUrl(_lb: string, port: number): Promise<string> {
    return `http://fake-lb:${port}`;
  }
  async get(url: string): Promise<SmokeAnswer> {
    this.requests++;
    return this.answer(url);
  }
}

/** A service port answering with a fixed view. */
export class FakeService implements ServicePort {
  constructor(public view: ServiceView | undefined) {}
  async describe(): Promise<ServiceView | undefined> {
    return this.view;
  }
}

/** Diagnostics with fixed answers. */
export class FakeDiagnostics implements DiagnosticsPort {
  constructor(
    public facts: { unhealthy?: { target: string; state: string; reason?: string }[]; alarms?: string[] } = {},
  ) {}
  async targetHealth() {
    return { healthy: 0, unhealthy: this.facts.unhealthy ?? [] };
  }
  async stoppedTasks() {
    return [];
  }
  async alarmsInAlarm(names: string[]) {
    return names.filter((n) => (this.facts.alarms ?? []).includes(n));
  }
}

/** A complete set of fakes for runDeploy. */
export function fakeDeployPorts(
  overrides: Partial<DeployPorts> = {},
): DeployPorts & { taskDefinitions: FakeTaskDefinitions; controller: FakeController } {
  return {
    taskDefinitions: new FakeTaskDefinitions(),
    controller: new FakeController(),
    service: new FakeService({ taskDefinitionArn: undefined, desiredCount: 2, runningCount: 2 }),
    diagnostics: new FakeDiagnostics(),
    smoke: new FakeSmoke(() => ({ status: 200, headers: {}, body: '{}' })),
    ...overrides,
  } as DeployPorts & { taskDefinitions: FakeTaskDefinitions; controller: FakeController };
}
