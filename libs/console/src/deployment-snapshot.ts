import type { Ledger } from '@shipgate/ledger';
import type { Clock, DeploymentRecord } from '@shipgate/model';

/** Every deployment record as of one moment. */
export interface Snapshot {
  deployments: DeploymentRecord[];
  readAt: string;
}

/** How often the snapshot is read again. */
export interface SnapshotOptions {
  /** The least pause between two reads (default 5 s). */
  minIntervalMs?: number;
  /** Timer, passed in so that tests and the bench control it. */
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
}

/**
 * The deployment records the board and the release and deployment pages need, read in the
 * background. Reading every record of a large ledger takes seconds (14,000 of them on a busy machine:
 * about 6 s), so no request waits for it: a page shows the latest snapshot and says when it was read.
 * Only the very first request after start waits for the first read. Between reads the console pauses
 * at least `minIntervalMs`, and twice as long as the last read took, so that a slow store is not kept
 * busy.
 */
export class DeploymentSnapshot {
  private current: Snapshot | undefined;
  private first: Promise<Snapshot> | undefined;
  private stopped = false;
  private readonly minIntervalMs: number;
  private readonly setTimer: NonNullable<SnapshotOptions['setTimer']>;

  constructor(
    private readonly ledger: Pick<Ledger, 'deployments'>,
    private readonly clock: Clock,
    options: SnapshotOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 5_000;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  }

  /** Starts reading; resolves with the first snapshot. */
  start(): Promise<Snapshot> {
    this.first ??= this.read();
    return this.first;
  }

  /** The latest snapshot (waiting only for the first). */
  async latest(): Promise<Snapshot> {
    return this.current ?? this.start();
  }

  /** Stops the background reads. */
  stop(): void {
    this.stopped = true;
  }

  private async read(): Promise<Snapshot> {
    const started = this.clock.now().getTime();
    try {
      const deployments = await this.ledger.deployments.list();
      this.current = { deployments, readAt: this.clock.now().toISOString() };
      return this.current;
    } finally {
      const took = this.clock.now().getTime() - started;
      if (!this.stopped)
        this.setTimer(
          () => {
            if (!this.stopped) void this.read().catch(() => undefined);
          },
          Math.max(this.minIntervalMs, 2 * took),
        ).unref?.();
    }
  }
}
