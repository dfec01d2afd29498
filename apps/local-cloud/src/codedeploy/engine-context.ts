import type { AlarmControl, CloudTime, EcsControl, ElbControl } from '../contract';
import type { DeploymentRecord, EcsLifecycleEventName } from './model';
import type { CodeDeployStore } from './store';

/** Knobs of the engine; the defaults are AWS's. */
export interface CodeDeployOptions {
  /** How long Install waits for the replacement task set to be healthy, in CodeDeploy minutes (AWS: 60). */
  installTimeoutMinutes?: number;
  /** How often the engine polls alarms, in real milliseconds (the poll follows compressed time). */
  alarmPollRealMs?: number;
  /** Page size of ListDeployments (AWS: 100). */
  listPageSize?: number;
}

/** What the engine works with: the AWS neighbours, the clock, the store and its own options. */
export interface EngineContext {
  ecs: EcsControl;
  elb: ElbControl;
  alarms: AlarmControl;
  time: CloudTime;
  store: CodeDeployStore;
  options: Required<CodeDeployOptions>;
}

/** Resolves the defaults. */
export function resolveOptions(options: CodeDeployOptions = {}): Required<CodeDeployOptions> {
  return {
    installTimeoutMinutes: options.installTimeoutMinutes ?? 60,
    alarmPollRealMs: options.alarmPollRealMs ?? 1000,
    listPageSize: options.listPageSize ?? 100,
  };
}

/** A failure of the deployment itself (not of the engine): it ends the deployment `Failed` with this error code. */
export class DeploymentFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Marks a lifecycle event in progress; returns a function that closes it with a status. */
export function beginEvent(rec: DeploymentRecord, name: EcsLifecycleEventName, now: Date): void {
  const event = rec.target.events.find((e) => e.name === name);
  if (!event) return;
  event.status = 'InProgress';
  event.startTime = now;
  rec.target.lastUpdatedAt = now;
}

/** Closes a lifecycle event. */
export function endEvent(
  rec: DeploymentRecord,
  name: EcsLifecycleEventName,
  now: Date,
  status: 'Succeeded' | 'Failed' | 'Skipped',
  diagnostics?: { errorCode: string; message: string },
): void {
  const event = rec.target.events.find((e) => e.name === name);
  if (!event) return;
  event.status = status;
  event.startTime ??= now;
  event.endTime = now;
  if (diagnostics) event.diagnostics = diagnostics;
  rec.target.lastUpdatedAt = now;
}

/** Every AbortSignal-driven wait rejects with this when the deployment was taken over by Stop, an alarm or close(). */
export function isAbort(rec: DeploymentRecord): boolean {
  return rec.controller.signal.aborted;
}
