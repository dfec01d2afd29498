import type { Clock } from '@shipgate/model';

/** What onProgress receives, at most every `intervalMs` and at the end of each table. */
export interface SeedProgress {
  table: string;
  /** Rows written to this table so far, and its total. */
  tableRows: number;
  tableTotalRows: number;
  /** Rows written in the whole run so far, and the run's total. */
  rows: number;
  totalRows: number;
  rowsPerSecond: number;
  etaSeconds: number;
}

/** Counts rows and calls onProgress, throttled by the clock. */
export class ProgressMeter {
  private rows = 0;
  private lastEmit: number;
  private readonly started: number;

  constructor(
    private readonly clock: Clock,
    private readonly totalRows: number,
    private readonly onProgress: ((p: SeedProgress) => void) | undefined,
    private readonly intervalMs = 250,
  ) {
    this.started = clock.now().getTime();
    this.lastEmit = this.started;
  }

  /** Records `added` more rows of `table`; `force` emits regardless of the throttle (end of a table). */
  advance(table: string, tableRows: number, tableTotalRows: number, added: number, force = false): void {
    this.rows += added;
    if (!this.onProgress) return;
    const now = this.clock.now().getTime();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    const seconds = Math.max((now - this.started) / 1000, 1e-3);
    const rowsPerSecond = Math.round(this.rows / seconds);
    const etaSeconds = rowsPerSecond > 0 ? Math.round(((this.totalRows - this.rows) / rowsPerSecond) * 10) / 10 : 0;
    this.onProgress({
      table,
      tableRows,
      tableTotalRows,
      rows: this.rows,
      totalRows: this.totalRows,
      rowsPerSecond,
      etaSeconds,
    });
  }

  elapsedMs(): number {
    return this.clock.now().getTime() - this.started;
  }
}
