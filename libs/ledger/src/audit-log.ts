import { ShipgateError, type AuditEntry, type Clock, type Random } from '@shipgate/model';
import { auditEntryBytes, auditKey, genesisHash, parseAuditEntry, sealAuditEntry, seqOfAuditKey, type AuditInput } from './audit-entry';
import { jitteredBackoff, mapLimit, retryBudget, timerSleep, type RetryPolicy, type Sleep } from './retry';
import { describeKey, type StateStore } from './state-store';
import { AuditChainChecker, type AuditVerifyReport } from './verify-audit-chain';

/** Filters for reading the log; every given filter must match. */
export interface AuditListFilter {
  releaseId?: string;
  environment?: string;
  service?: string;
  deploymentId?: string;
  actor?: string;
  action?: string;
  /** Entries at or after this time. */
  since?: Date | string;
  /** Only the last N matching entries (the result stays in seq order). */
  limit?: number;
}

/** What the audit log needs from its surroundings. */
export interface AuditLogOptions {
  clock: Clock;
  random: Random;
  sleep?: Sleep;
  /** How long an append that keeps losing the race for the next seq keeps trying. */
  retry?: Partial<RetryPolicy>;
}

interface Tail {
  seq: number;
  hash: string;
}

const readConcurrency = 16;

/**
 * The append-only, hash-chained audit log: entry n is the object `audit/<n>.json`, created only if
 * absent, holding the hash of entry n-1. Two writers racing for the same n: one creates it, the
 * other sees "exists", reads the new tail and tries n+1, so no entry is lost and the chain stays
 * linear without any lock.
 */
export class AuditLog {
  private tail: Tail | undefined;
  private readonly sleep: Sleep;

  constructor(
    private readonly store: StateStore,
    private readonly options: AuditLogOptions,
  ) {
    this.sleep = options.sleep ?? timerSleep;
  }

  /** Appends one entry and returns it as stored. */
  async append(input: AuditInput): Promise<AuditEntry> {
    let tail = this.tail ?? (await this.readTail({ seq: 0, hash: genesisHash }));
    const budget = retryBudget(this.options.clock, this.options.retry);
    let attempt = 1;
    for (; budget.allows(attempt); attempt++) {
      const entry = sealAuditEntry(input, tail.seq + 1, this.options.clock.now(), tail.hash);
      if ((await this.store.createIfAbsent(auditKey(entry.seq), auditEntryBytes(entry))) === 'created') {
        this.tail = { seq: entry.seq, hash: entry.hash };
        return entry;
      }
      const newer = await this.readTail(tail);
      // A retried PUT whose first try landed finds our own entry: it is ours, not a lost race.
      if (newer.seq === entry.seq && newer.hash === entry.hash) {
        this.tail = newer;
        return entry;
      }
      tail = newer;
      // Losing means another writer made progress, so there is no livelock to break: retry at once
      // the first times (a sleeping loser would starve behind a busy writer), then spread out.
      if (attempt > 3) await this.sleep(jitteredBackoff(attempt - 3, this.options.random, 1, 20));
    }
    throw new ShipgateError('LEDGER_LOCKED', `expected to append to the audit log at ${this.store.location} within ${budget.describe(attempt)}, found other writers ahead every time (last seq seen #${tail.seq})`, {
      hint: 'Many processes are writing the same ledger at once; retry the command.',
    });
  }

  /** Entries matching the filter, in seq order. Unreadable entries are skipped (`verify` names them). */
  async list(filter: AuditListFilter = {}): Promise<AuditEntry[]> {
    const since = filter.since === undefined ? undefined : new Date(filter.since).toISOString();
    const keys = (await this.store.list('audit/')).filter((k) => seqOfAuditKey(k) !== undefined);
    const entries: AuditEntry[] = [];
    for (const body of await mapLimit(keys, readConcurrency, async (k) => (await this.store.get(k))?.body)) {
      const parsed = body === undefined ? undefined : parseAuditEntry(body);
      if (!parsed?.ok) continue;
      const e = parsed.entry;
      if (filter.releaseId !== undefined && e.subject.releaseId !== filter.releaseId) continue;
      if (filter.environment !== undefined && e.subject.environment !== filter.environment) continue;
      if (filter.service !== undefined && e.subject.service !== filter.service) continue;
      if (filter.deploymentId !== undefined && e.subject.deploymentId !== filter.deploymentId) continue;
      if (filter.actor !== undefined && e.actor !== filter.actor) continue;
      if (filter.action !== undefined && e.action !== filter.action) continue;
      if (since !== undefined && e.at < since) continue;
      entries.push(e);
    }
    return filter.limit !== undefined && filter.limit >= 0 ? entries.slice(Math.max(0, entries.length - filter.limit)) : entries;
  }

  /** Walks the whole chain and reports the first entry that was edited, deleted or moved. */
  async verify(): Promise<AuditVerifyReport> {
    const keys = (await this.store.list('audit/')).filter((k) => seqOfAuditKey(k) !== undefined);
    const checker = new AuditChainChecker();
    // Read in windows: bounded memory and concurrency, and stop reading at the first failure.
    const window = readConcurrency * 8;
    for (let start = 0; start < keys.length; start += window) {
      const slice = keys.slice(start, start + window);
      const bodies = await mapLimit(slice, readConcurrency, async (k) => (await this.store.get(k))?.body);
      for (let i = 0; i < slice.length; i++) if (checker.check(slice[i]!, bodies[i])) return checker.report();
    }
    return checker.report();
  }

  /** The newest entry at or after `from`, found with one listing and one read. */
  private async readTail(from: Tail): Promise<Tail> {
    const keys = await this.store.list('audit/', from.seq > 0 ? { startAfter: auditKey(from.seq) } : {});
    for (let i = keys.length - 1; i >= 0; i--) {
      const seq = seqOfAuditKey(keys[i]!);
      if (seq === undefined || seq <= from.seq) continue;
      const object = await this.store.get(keys[i]!);
      if (!object) continue;
      const parsed = parseAuditEntry(object.body);
      if (!parsed.ok || parsed.entry.seq !== seq) {
        throw new ShipgateError('LEDGER_CORRUPT', `expected audit entry #${seq} at ${describeKey(this.store, keys[i]!)}, found ${parsed.ok ? `entry #${parsed.entry.seq}` : parsed.reason}`, {
          hint: 'Run `shipgate audit verify` to locate the damage; the log cannot be extended past a broken tail.',
        });
      }
      return { seq, hash: parsed.entry.hash };
    }
    return from;
  }
}
