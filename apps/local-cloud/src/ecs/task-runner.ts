import { randomUUID } from 'node:crypto';
import type { Elb } from '../elb/elb';
import type { Faults } from '../faults/faults';
import { ContainerProcess, exitCodeOf } from '../runtime/container-process';
import { freePort } from '../runtime/free-port';
import { imageNameOf, type ImageStore } from '../runtime/image-store';
import type { ContainerState, Task, TaskDefinition } from './model';

/** What starting a task needs from the rest of local-cloud. */
export interface TaskRunnerDeps {
  images: ImageStore;
  elb: Elb;
  faults: Faults;
  outputLines: number;
  /** Upper bound for a SIGTERM → SIGKILL wait when local-cloud closes (the task's stopTimeout otherwise). */
  closeStopTimeoutMs: number;
  /** Called once a task reaches STOPPED. */
  onStopped: (task: Task) => void;
  /** Called when a task reaches RUNNING. */
  onRunning: (task: Task) => void;
}

/** Starts and stops tasks as real processes, registering them as targets while they run. */
export class TaskRunner {
  private closing = false;

  constructor(private readonly deps: TaskRunnerDeps) {}

  /** Provisions and starts a task: image lookup, a free port per container, processes spawned without a shell. */
  async start(
    task: Task,
    def: TaskDefinition,
    lb: { targetGroupArn: string; containerName: string; containerPort: number } | undefined,
  ): Promise<void> {
    const { images, faults } = this.deps;
    task.lastStatus = 'PENDING';
    task.version++;
    const resolved = await Promise.all(def.containers.map(async (c) => ({ c, image: await images.resolve(c.image) })));
    if (stopRequested(task) || this.closing)
      return this.finish(task, task.stoppedReason ?? 'Task stopped before it started', 'UserInitiated');
    const missing = resolved.find((r) => !r.image);
    if (missing) {
      return this.finish(
        task,
        `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${missing.c.image}: ${missing.c.image}: not found`,
        'TaskFailedToStart',
      );
    }
    task.imageDigest = resolved[0]?.image?.digest;
    for (const { c, image } of resolved) {
      const state = task.containers.find((s) => s.def.name === c.name)!;
      const port = c.portMappings[0] ? await freePort() : undefined;
      state.hostPort = port;
      const fault = faults.taskFault([imageNameOf(c.image), image!.digest, c.image]);
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
      for (const e of c.environment) env[e.name] = e.value;
      if (port !== undefined) env.PORT = String(port);
      env.ECS_CONTAINER_METADATA_URI_V4 = `http://127.0.0.1/local-cloud/tasks/${task.id}`;
      const cmd =
        fault === 'crash-on-start'
          ? ['node', '-e', "process.stderr.write('local-cloud fault injection: crash on start\\n'); process.exit(1)"]
          : [...image!.cmd, ...(c.command ?? [])];
      state.process = new ContainerProcess(cmd, image!.dir, env, this.deps.outputLines);
      state.lastStatus = 'RUNNING';
      void state.process.exited.then(() => this.onContainerExit(task, state));
    }
    if (stopRequested(task)) {
      await Promise.all(task.containers.map((c) => c.process?.stop((c.def.stopTimeout ?? 30) * 1000)));
      return this.finish(
        task,
        task.stoppedReason ?? 'Task stopped before it started',
        task.stopCode ?? 'UserInitiated',
      );
    }
    task.lastStatus = 'RUNNING';
    task.startedAt = new Date();
    task.version++;
    const lbContainer = lb ? task.containers.find((s) => s.def.name === lb.containerName) : undefined;
    if (lb && lbContainer?.hostPort !== undefined) {
      const tg = this.deps.elb.targetGroups.get(lb.targetGroupArn);
      if (tg) {
        this.deps.elb.registerTarget(tg, '127.0.0.1', lbContainer.hostPort);
        task.target = { targetGroupArn: tg.arn, port: lbContainer.hostPort };
      }
    }
    this.deps.onRunning(task);
  }

  /**
   * Stops a task as ECS does: deregister its target and wait out the drain, then SIGTERM, then
   * SIGKILL after the container's stopTimeout (default 30 s).
   */
  async stop(task: Task, reason: string, stopCode = 'ServiceSchedulerInitiated'): Promise<void> {
    if (task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = reason;
    task.stopCode = stopCode;
    task.stoppingAt = new Date();
    task.version++;
    if (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING') return; // start() finishes it
    task.lastStatus = 'DEACTIVATING';
    if (!this.closing) await this.deregister(task);
    task.lastStatus = 'STOPPING';
    await Promise.all(
      task.containers.map((c) => {
        const timeout = (c.def.stopTimeout ?? 30) * 1000;
        return c.process?.stop(this.closing ? Math.min(timeout, this.deps.closeStopTimeoutMs) : timeout);
      }),
    );
    this.finish(task, reason, stopCode);
  }

  /** Marks the runner closing: stops skip draining and cap the SIGKILL wait. */
  beginClose(): void {
    this.closing = true;
  }

  private async onContainerExit(task: Task, state: ContainerState): Promise<void> {
    const exit = state.process!.exit!;
    state.exitCode = exitCodeOf(exit);
    state.lastStatus = 'STOPPED';
    task.version++;
    if (task.desiredStatus === 'STOPPED') return;
    if (!state.def.essential) return;
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = 'Essential container in task exited';
    task.stopCode = 'EssentialContainerExited';
    task.stoppingAt = new Date();
    task.lastStatus = 'STOPPING';
    state.reason = undefined;
    void this.deregister(task);
    await Promise.all(
      task.containers.filter((c) => c !== state).map((c) => c.process?.stop((c.def.stopTimeout ?? 30) * 1000)),
    );
    this.finish(task, 'Essential container in task exited', 'EssentialContainerExited');
  }

  private async deregister(task: Task): Promise<void> {
    const target = task.target;
    if (!target) return;
    task.target = undefined;
    const tg = this.deps.elb.targetGroups.get(target.targetGroupArn);
    if (tg) await this.deps.elb.deregisterTarget(tg, '127.0.0.1', target.port);
  }

  private finish(task: Task, reason: string, stopCode: string): void {
    if (task.lastStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.lastStatus = 'STOPPED';
    task.stoppedReason ??= reason;
    task.stopCode ??= stopCode;
    task.stoppingAt ??= new Date();
    task.stoppedAt = new Date();
    for (const c of task.containers) {
      c.lastStatus = 'STOPPED';
      if (c.process?.exit) c.exitCode = exitCodeOf(c.process.exit);
    }
    task.version++;
    this.deps.onStopped(task);
  }
}

// A function, not an inline comparison: the status changes across awaits, which narrowing cannot see.
function stopRequested(task: Task): boolean {
  return task.desiredStatus === 'STOPPED';
}

/** A new task record in PROVISIONING. */
export function newTask(input: {
  region: string;
  accountId: string;
  clusterName: string;
  def: TaskDefinition;
  group: string;
  startedBy: string | undefined;
  launchType: string;
}): Task {
  const id = randomUUID().replace(/-/g, '');
  const arn = `arn:aws:ecs:${input.region}:${input.accountId}:task/${input.clusterName}/${id}`;
  return {
    arn,
    id,
    clusterName: input.clusterName,
    clusterArn: `arn:aws:ecs:${input.region}:${input.accountId}:cluster/${input.clusterName}`,
    taskDefinitionArn: input.def.arn,
    group: input.group,
    startedBy: input.startedBy,
    launchType: input.launchType,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    createdAt: new Date(),
    startedAt: undefined,
    stoppingAt: undefined,
    stoppedAt: undefined,
    stoppedReason: undefined,
    stopCode: undefined,
    imageDigest: undefined,
    target: undefined,
    version: 1,
    tags: [],
    containers: input.def.containers.map((def) => ({
      arn: `arn:aws:ecs:${input.region}:${input.accountId}:container/${input.clusterName}/${id}/${randomUUID()}`,
      def,
      lastStatus: 'PENDING',
      exitCode: undefined,
      reason: undefined,
      hostPort: undefined,
      process: undefined,
    })),
  };
}
