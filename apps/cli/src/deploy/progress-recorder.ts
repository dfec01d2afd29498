import type { DeployEvent } from '@shipgate/ecs-deploy';
import type { Clock, DeploymentProgress } from '@shipgate/model';

/** The progress after one more event, or undefined when the event changes nothing the console shows. */
export function nextProgress(
  current: DeploymentProgress | undefined,
  event: DeployEvent,
  at: Date,
): DeploymentProgress | undefined {
  const base = current ?? { phase: 'starting', reportedAt: at.toISOString() };
  const with_ = (change: Partial<DeploymentProgress>) => ({ ...base, ...change, reportedAt: at.toISOString() });
  switch (event.type) {
    case 'started':
    case 'attached':
      return current ? undefined : with_({});
    case 'status':
      return base.phase === event.phase && base.status === event.status
        ? undefined
        : with_({ phase: event.phase, status: event.status });
    case 'lifecycle': {
      const step = `${event.event.name}: ${event.event.status}`;
      return base.step === step ? undefined : with_({ step });
    }
    case 'traffic':
      return base.traffic?.blue === event.blue && base.traffic.green === event.green
        ? undefined
        : with_({ traffic: { blue: event.blue, green: event.green } });
    case 'verifying':
      return with_({ step: `verifying the replacement through the test listener (${event.requests} requests)` });
    case 'verified':
      return with_({
        step: event.report.passed
          ? `verified: ${event.report.succeeded}/${event.report.requests} requests named the release`
          : 'verification failed',
      });
    case 'stopping':
      return with_({ step: 'stopping with rollback' });
    default:
      return undefined;
  }
}

/** How the recorder writes and waits. */
export interface ProgressRecorderOptions {
  /** Writes the progress into the deployment record; a rejection is reported once and never thrown. */
  write(progress: DeploymentProgress): Promise<unknown>;
  clock: Clock;
  /** The least time between two writes, except that a new phase is written at once (default 3 s). */
  minIntervalMs?: number;
  /** Told once when a write fails (the deploy goes on). */
  onWriteFailed?(error: unknown): void;
  setTimer?(fn: () => void, ms: number): () => void;
}

/** Follows a deploy's events and writes its progress into its record, throttled, in the background. */
export interface ProgressRecorder {
  observe(event: DeployEvent): void;
  /** The latest progress seen (for the record's final update). */
  latest(): DeploymentProgress | undefined;
  /** Stops writing; resolves when a write under way has ended. */
  stop(): Promise<void>;
}

/**
 * The deploy's progress in its ledger record while it runs (#16). A new phase is written at once, other
 * changes (traffic, lifecycle steps) at most every `minIntervalMs`; one write at a time, never awaited
 * by the deploy, and a failed write costs the deploy nothing but a notice.
 */
export function progressRecorder(options: ProgressRecorderOptions): ProgressRecorder {
  const minIntervalMs = options.minIntervalMs ?? 3_000;
  const setTimer =
    options.setTimer ??
    ((fn, ms) => {
      const t = setTimeout(fn, ms);
      t.unref?.();
      return () => clearTimeout(t);
    });
  let latest: DeploymentProgress | undefined;
  let written: DeploymentProgress | undefined;
  let lastWriteAt = -Infinity;
  let writing: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  let stopped = false;
  let failed = false;
  // A new phase seen while a write was under way: written as soon as that write ends.
  let phasePending = false;

  const write = () => {
    cancelTimer?.();
    cancelTimer = undefined;
    if (stopped || !latest || latest === written || writing) return;
    const progress = latest;
    phasePending = false;
    lastWriteAt = options.clock.now().getTime();
    writing = options
      .write(progress)
      .then(
        () => void (written = progress),
        (error: unknown) => {
          written = progress; // not retried: the next change writes again
          if (!failed) options.onWriteFailed?.(error);
          failed = true;
        },
      )
      .finally(() => {
        writing = undefined;
        schedule(phasePending);
      });
  };
  const schedule = (urgent: boolean) => {
    if (stopped || !latest || latest === written || writing || cancelTimer) return;
    const wait = urgent ? 0 : lastWriteAt + minIntervalMs - options.clock.now().getTime();
    if (wait <= 0) write();
    else cancelTimer = setTimer(write, wait);
  };

  return {
    observe(event) {
      const next = nextProgress(latest, event, options.clock.now());
      if (!next || stopped) return;
      const newPhase = next.phase !== latest?.phase;
      latest = next;
      if (newPhase) {
        phasePending = true;
        cancelTimer?.();
        cancelTimer = undefined;
      }
      schedule(newPhase);
    },
    latest: () => latest,
    async stop() {
      stopped = true;
      cancelTimer?.();
      await writing;
    },
  };
}
