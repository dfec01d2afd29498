import { seededRandom, type Random } from '@shipgate/model';
import { AwsError } from '../contract';

/** What a faulty API call does: answer with an error, or drop the connection. */
export type ApiFaultKind = 'throttle' | 'internal' | 'unavailable' | 'reset';

/** Fail a share of the calls to one operation (or every operation of a service). */
export interface ApiFaultRule {
  /** `ecs`, `elbv2`, `codedeploy` or `cloudwatch`; undefined = any service. */
  service?: string;
  /** Operation name as on the wire (`DescribeServices`); undefined = any operation. */
  operation?: string;
  kind: ApiFaultKind;
  /** Share of matching calls that fail, 0..1 (default 1). Draws come from the seeded random source. */
  rate?: number;
  /** Fail at most this many calls, then the rule is spent. */
  count?: number;
}

/** An image (by name or digest) whose tasks misbehave. */
export type TaskFaultKind = 'crash-on-start' | 'never-healthy';

/** The outcome for one API call. */
export type ApiFaultOutcome = { kind: 'error'; error: AwsError } | { kind: 'reset' } | undefined;

type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Faults on demand; deterministic under a given seed. */
export class Faults {
  private random: Random;
  private rules: (ApiFaultRule & { id: number; used: number })[] = [];
  private taskFaults = new Map<string, TaskFaultKind>();
  private nextId = 1;
  /** Set by local-cloud once CloudWatch is wired. */
  alarmSink: ((name: string, state: AlarmState, reason: string) => void) | undefined;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Adds an API fault; returns its id (for `remove`). */
  addApiFault(rule: ApiFaultRule): number {
    const rate = rule.rate ?? 1;
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate must be within 0..1; found ${rate}`);
    const id = this.nextId++;
    this.rules.push({ ...rule, rate, id, used: 0 });
    return id;
  }

  /** Makes every task started from this image (name or `sha256:` digest) crash at start or never get healthy. */
  setTaskFault(image: string, kind: TaskFaultKind | undefined): void {
    if (kind) this.taskFaults.set(image, kind);
    else this.taskFaults.delete(image);
  }

  /** Sets a CloudWatch alarm's state (through the CloudWatch module). */
  setAlarmState(name: string, state: AlarmState, reason = 'local-cloud fault injection'): void {
    if (!this.alarmSink) throw new Error('CloudWatch is not wired into this local-cloud');
    this.alarmSink(name, state, reason);
  }

  /** Removes one API fault. */
  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  /** Removes every fault and reseeds. */
  clear(seed?: number): void {
    this.rules = [];
    this.taskFaults.clear();
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  /** The fault (if any) for a task of an image known by these names (image name, digest, reference). */
  taskFault(imageKeys: string[]): TaskFaultKind | undefined {
    for (const key of imageKeys) {
      const fault = this.taskFaults.get(key);
      if (fault) return fault;
    }
    return undefined;
  }

  /** Decides whether this call fails; `protocol` picks AWS's error name (`ThrottlingException` vs `Throttling`). */
  onCall(service: string, operation: string, protocol: 'json' | 'query'): ApiFaultOutcome {
    for (const rule of this.rules) {
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      if (rule.count !== undefined && rule.used >= rule.count) continue;
      if (this.random.next() >= (rule.rate ?? 1)) continue;
      rule.used++;
      if (rule.kind === 'reset') return { kind: 'reset' };
      return { kind: 'error', error: faultError(rule.kind, protocol) };
    }
    return undefined;
  }

  /** The rules, for the control endpoint. */
  list(): { api: ApiFaultRule[]; tasks: Record<string, TaskFaultKind> } {
    return {
      api: this.rules.map(({ id: _id, used: _used, ...rule }) => rule),
      tasks: Object.fromEntries(this.taskFaults),
    };
  }
}

function faultError(kind: Exclude<ApiFaultKind, 'reset'>, protocol: 'json' | 'query'): AwsError {
  if (kind === 'throttle')
    return new AwsError(protocol === 'json' ? 'ThrottlingException' : 'Throttling', 'Rate exceeded', 400);
  if (kind === 'internal')
    return new AwsError(
      'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
      500,
    );
  return new AwsError('ServiceUnavailable', 'The service is unavailable. Please try again later.', 503);
}
