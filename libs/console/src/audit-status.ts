import type { AuditVerifyReport, Ledger } from '@shipgate/ledger';
import type { Clock } from '@shipgate/model';

/** The chain's verdict and when it was reached; `report` is undefined until the first walk ends. */
export interface AuditChainStatus {
  report?: AuditVerifyReport;
  checkedAt?: string;
  /** A walk is under way now. */
  checking: boolean;
  /** The walk itself failed (the store could not be read). */
  error?: string;
}

/**
 * `audit verify` for the console. Walking the chain reads every entry (100,000 of them take seconds),
 * so the board shows the latest verdict without waiting, and the audit page waits for a fresh one.
 * One walk at a time, whoever asks.
 */
export class AuditChainWatch {
  private status: AuditChainStatus = { checking: false };
  private running: Promise<AuditChainStatus> | undefined;
  private lastWalkMs = 0;

  constructor(
    private readonly ledger: Pick<Ledger, 'audit'>,
    private readonly clock: Clock,
  ) {}

  /** The latest verdict, never waiting (starts a walk when there is none yet). */
  latest(): AuditChainStatus {
    if (!this.status.report && !this.running) void this.check();
    return this.status;
  }

  /**
   * The latest verdict, never waiting; when it is older than `maxAgeMs`, and older than four times the
   * last walk took (so that a large log is not walked without pause), a new walk starts in the
   * background. What the badge's polling asks (#16): an edit to the log shows without a reload.
   */
  recent(maxAgeMs: number): AuditChainStatus {
    const at = this.status.checkedAt ? Date.parse(this.status.checkedAt) : -Infinity;
    const age = this.clock.now().getTime() - at;
    if (!this.running && (!this.status.report || age > Math.max(maxAgeMs, 4 * this.lastWalkMs))) void this.check();
    return this.status;
  }

  /** A verdict no older than `maxAgeMs`, walking the chain again when the last one is older. */
  async fresh(maxAgeMs: number): Promise<AuditChainStatus> {
    const at = this.status.checkedAt ? Date.parse(this.status.checkedAt) : -Infinity;
    if (this.status.report && this.clock.now().getTime() - at <= maxAgeMs) return this.status;
    return this.check();
  }

  /** Walks the chain (or joins the walk under way). */
  check(): Promise<AuditChainStatus> {
    this.running ??= (async () => {
      this.status = { ...this.status, checking: true };
      const started = this.clock.now().getTime();
      try {
        const report = await this.ledger.audit.verify();
        this.lastWalkMs = this.clock.now().getTime() - started;
        this.status = { report, checkedAt: this.clock.now().toISOString(), checking: false };
      } catch (error) {
        this.status = {
          ...this.status,
          checking: false,
          error: error instanceof Error ? error.message : String(error),
        };
      } finally {
        this.running = undefined;
      }
      return this.status;
    })();
    return this.running;
  }
}
