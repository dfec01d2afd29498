import { ShipgateError } from '@shipgate/model';
import { taskDefinitionOfAppSpec } from '../app-spec';
import { trafficRoutingOf, type TrafficRouting } from '../deploy-budget';
import type {
  BlueGreenPort,
  BlueGreenStatus,
  ControllerStatus,
  DeploymentGroupRef,
  DeployPorts,
  DiagnosticsPort,
  RegisteredTaskDefinition,
  ServicePort,
  ServiceView,
  SmokeAnswer,
  SmokePort,
  StartBlueGreenInput,
  TaskDefinitionInput,
  TaskDefinitionPort,
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

/** One step of a scripted deployment: its status and the replacement's share of production traffic. */
export interface ScriptStep {
  status: ControllerStatus;
  green: number;
  failedEvent?: string;
  error?: { code: string; message: string };
}

/** The usual life of a deployment: in progress, ready (waits for continue), shifting, succeeded. */
export const happyScript: ScriptStep[] = [
  { status: 'InProgress', green: 0 },
  { status: 'Ready', green: 0 },
  { status: 'InProgress', green: 50 },
  { status: 'InProgress', green: 100 },
  { status: 'Succeeded', green: 100 },
];

interface FakeDeployment {
  input: StartBlueGreenInput;
  step: number;
  continued: boolean;
  stopped: boolean;
}

/** A scripted CodeDeploy: each status() call moves one step; Ready waits for continue(); stop() rolls back. */
export class FakeBlueGreen implements BlueGreenPort {
  readonly controller = 'codedeploy' as const;
  readonly deployments = new Map<string, FakeDeployment>();
  readonly calls: string[] = [];
  /** Makes the next start() fail as a lost race would. */
  startConflict = false;
  /** Custom deployment configurations by name (predefined ones are read from their names). */
  readonly configs = new Map<string, TrafficRouting>();
  constructor(public script: ScriptStep[] = happyScript) {}

  async start(input: StartBlueGreenInput): Promise<string> {
    this.calls.push('start');
    const busy = await this.inFlight(input);
    if (busy || this.startConflict) {
      this.startConflict = false;
      throw new ShipgateError(
        'DEPLOY_IN_FLIGHT',
        `deployment group ${input.deploymentGroup} already has an active deployment ${busy ?? '(racing)'}`,
      );
    }
    const id = `d-FAKE${this.deployments.size + 1}`;
    this.deployments.set(id, { input, step: 0, continued: false, stopped: false });
    return id;
  }

  /** Adds a deployment started by someone else (another CI job, a crashed run). */
  seed(input: StartBlueGreenInput, step = 0): string {
    const id = `d-FAKE${this.deployments.size + 1}`;
    this.deployments.set(id, { input, step, continued: false, stopped: false });
    return id;
  }

  async status(id: string): Promise<BlueGreenStatus> {
    const d = this.deployments.get(id);
    if (!d) throw new ShipgateError('AWS_NOT_FOUND', `no deployment ${id}`);
    const current = this.view(id, d);
    if (!d.stopped && !(current.status === 'Ready' && !d.continued))
      d.step = Math.min(d.step + 1, this.script.length - 1);
    return current;
  }

  private view(id: string, d: FakeDeployment): BlueGreenStatus {
    const s = d.stopped ? { status: 'Stopped' as const, green: 0 } : this.script[d.step]!;
    const taskDefinitionArn = taskDefinitionOfAppSpec(d.input.appSpec);
    return {
      id,
      status: s.status,
      ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
      lifecycleEvents: [
        {
          name: 'Install',
          status: 'failedEvent' in s && s.failedEvent === 'Install' ? 'Failed' : 'Succeeded',
          ...('failedEvent' in s && s.failedEvent ? { diagnostics: { message: 'replacement unhealthy' } } : {}),
        },
        { name: 'AllowTraffic', status: s.green === 100 ? 'Succeeded' : 'Pending' },
      ],
      taskSets: [
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
    const d = this.deployments.get(id)!;
    d.continued = true;
    d.step = Math.min(d.step + 1, this.script.length - 1);
  }

  async stop(id: string): Promise<void> {
    this.calls.push(`stop ${id}`);
    this.deployments.get(id)!.stopped = true;
  }

  async inFlight(_group: DeploymentGroupRef): Promise<string | undefined> {
    for (const [id, d] of this.deployments) {
      const s = this.view(id, d).status;
      if (s !== 'Succeeded' && s !== 'Failed' && s !== 'Stopped') return id;
    }
    return undefined;
  }

  async trafficRouting(deploymentConfig: string): Promise<TrafficRouting> {
    this.calls.push('trafficRouting');
    return this.configs.get(deploymentConfig) ?? trafficRoutingOf(deploymentConfig);
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
): DeployPorts & { taskDefinitions: FakeTaskDefinitions; blueGreen: FakeBlueGreen } {
  return {
    taskDefinitions: new FakeTaskDefinitions(),
    blueGreen: new FakeBlueGreen(),
    service: new FakeService({ taskDefinitionArn: undefined, desiredCount: 2, runningCount: 2 }),
    diagnostics: new FakeDiagnostics(),
    smoke: new FakeSmoke(() => ({ status: 200, headers: {}, body: '{}' })),
    ...overrides,
  } as DeployPorts & { taskDefinitions: FakeTaskDefinitions; blueGreen: FakeBlueGreen };
}
