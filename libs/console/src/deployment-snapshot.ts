import { recordIdTime, type Ledger } from '@shipgate/ledger';
import type { Clock, DeploymentRecord } from '@shipgate/model';
import type { ReadHorizon } from '@shipgate/rollback';

/** The deployment records as of one moment: all of them, or the newest ones down to a horizon. */
export interface Snapshot {
  deployments: DeploymentRecord[];
  readAt: string;
  /** Undefined: every record was read. Else only records newer than this were (see ReadHorizon). */
  horizon?: ReadHorizon;
}

/** How the snapshot is read. */
export interface SnapshotOptions {
  /** The least pause between two reads (default 5 s). */
  minIntervalMs?: number;
  /** Timer, passed in so that tests and the bench control it. */
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void };
  /** Records in the first bulk read, newest first (default 256); each next one is twice as large. */
  sliceSize?: number;
  /**
   * How long after its start a deployment may record its outcome and still be ranked within the
   * horizon (default 24 h): a record finished later than that, beyond the horizon, is found by the
   * full read that follows.
   */
  settleWindowMs?: number;
  /**
   * The pause between the early snapshot and reading on (default 1 s), so that the first page is
   * served before the rest of the history is read; a page that needs older records ends it at once.
   */
  restDelayMs?: number;
  /** Whether the records read so far, down to the horizon, answer everything the first page needs. */
  enough?: (deployments: readonly DeploymentRecord[], horizon: ReadHorizon) => boolean;
}

/** Slack between an id's stamp and the record's `startedAt` (the id is made just before it). */
const idStampSlackMs = 60_000;

/**
 * The horizon after reading the ids before `next` (sorted by code unit, read from the end): every
 * unread record started before the newest unread id's stamp (plus slack), and ranks before that plus
 * the settle window. Undefined for an id without a stamp.
 */
export function horizonBefore(newestUnreadId: string, settleWindowMs: number): ReadHorizon | undefined {
  const stamp = recordIdTime(newestUnreadId);
  if (stamp === undefined) return undefined;
  const startedBefore = stamp + 1_000 + idStampSlackMs;
  return { startedBefore, rankedBefore: startedBefore + settleWindowMs };
}

/**
 * The deployment records the board and the release and deployment pages need, read in the
 * background. The first read goes newest first (ids sort by start time) in slices, and publishes a
 * snapshot as soon as `enough` says the records read answer the first page (the board: every cell's
 * rules say their answer is final), so that the cold board costs the listing and the recent history;
 * it then reads on to the oldest record and publishes the whole history. Pages that need more than the
 * board (`covering`) wait for that. Between reads the console pauses at least `minIntervalMs`, and
 * twice as long as the last read took, so that a slow store is not kept busy.
 */
export class DeploymentSnapshot {
  private current: Snapshot | undefined;
  private first: Promise<Snapshot> | undefined;
  private wholeRead: Promise<Snapshot> | undefined;
  private stopped = false;
  private readonly minIntervalMs: number;
  private readonly setTimer: NonNullable<SnapshotOptions['setTimer']>;
  private readonly sliceSize: number;
  private readonly settleWindowMs: number;
  private resumeRest: (() => void) | undefined;

  constructor(
    private readonly ledger: Pick<Ledger, 'deployments'>,
    private readonly clock: Clock,
    private readonly options: SnapshotOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 5_000;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.sliceSize = Math.max(1, options.sliceSize ?? 256);
    this.settleWindowMs = options.settleWindowMs ?? 24 * 3_600_000;
  }

  /** Starts reading; resolves with the first snapshot (possibly down to a horizon). */
  start(): Promise<Snapshot> {
    if (!this.first) {
      let publish!: (s: Snapshot) => void;
      this.first = new Promise<Snapshot>((resolve) => (publish = resolve));
      this.wholeRead = this.read(publish);
      // A failed first read rejects the first snapshot too.
      this.wholeRead.catch(() => undefined);
      this.first = Promise.race([this.first, this.wholeRead]);
    }
    return this.first;
  }

  /** The first whole read (every record), reading on at once after the early snapshot. */
  complete(): Promise<Snapshot> {
    void this.start();
    this.resumeRest?.();
    return this.wholeRead!;
  }

  /** The first whole read, in its own time (after the pause that follows the early snapshot). */
  whole(): Promise<Snapshot> {
    void this.start();
    return this.wholeRead!;
  }

  /** The latest snapshot (waiting only for the first). */
  async latest(): Promise<Snapshot> {
    return this.current ?? this.start();
  }

  /**
   * A snapshot holding every record that started at or after `sinceMs` (a release's deployments start
   * after it was created; a deployment's rollbacks after it started): the latest when its horizon is
   * old enough, else the first whole read.
   */
  async covering(sinceMs: number): Promise<Snapshot> {
    const snap = await this.latest();
    if (!snap.horizon || snap.horizon.startedBefore <= sinceMs) return snap;
    // Only the first read publishes a partial snapshot.
    return this.complete();
  }

  /** Stops the background reads. */
  stop(): void {
    this.stopped = true;
  }

  /** Reads every record newest first; `publishEarly` gets the first snapshot that is `enough`. */
  private async read(publishEarly?: (s: Snapshot) => void): Promise<Snapshot> {
    const started = this.clock.now().getTime();
    try {
      const ids = [...(await this.ledger.deployments.ids())].sort();
      // Key order is time order only when every id is newRecordId's, with one prefix.
      const stamped = ids.every((id) => id.startsWith('dep-') && recordIdTime(id) !== undefined);
      const deployments: DeploymentRecord[] = [];
      let published = false;
      // Slices double in size, so the checks between them cost a small multiple of one check at the end.
      for (let end = ids.length, size = this.sliceSize; end > 0; end -= size, size = Math.min(2 * size, 8192)) {
        deployments.push(...(await this.ledger.deployments.getMany(ids.slice(Math.max(0, end - size), end))));
        const next = end - size - 1;
        if (!publishEarly || published || next < 0 || !stamped || !this.options.enough) continue;
        const horizon = horizonBefore(ids[next]!, this.settleWindowMs);
        if (horizon && this.options.enough(deployments, horizon)) {
          published = true;
          const early: Snapshot = { deployments: [...deployments], readAt: this.clock.now().toISOString(), horizon };
          this.current ??= early;
          publishEarly(early);
          await new Promise<void>((resume) => {
            this.resumeRest = resume;
            this.setTimer(resume, this.options.restDelayMs ?? 1_000).unref?.();
          });
          this.resumeRest = undefined;
        }
      }
      this.current = { deployments, readAt: this.clock.now().toISOString() };
      publishEarly?.(this.current);
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
