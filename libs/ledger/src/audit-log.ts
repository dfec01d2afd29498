import { randomBytes } from 'node:crypto';
import { ShipgateError, type AuditEntry, type Clock, type Random } from '@shipgate/model';
import {
  auditEntryBytes,
  auditKey,
  genesisHash,
  parseAuditEntry,
  sealAuditEntry,
  seqOfAuditKey,
  type AuditInput,
} from './audit-entry';
import { jitteredBackoff, retryBudget, timerSleep, type RetryPolicy, type Sleep } from './retry';
import { describeKey, readMany, type StateStore, type StoredObject } from './state-store';
import type { SignerPort } from '@shipgate/trust';
import { checkpointKey, writeAuditCheckpoint, type AuditHead, type CheckpointWritten } from './audit-checkpoint';
import type { DryRunStateStore } from './dry-run-state-store';
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
  /** Each append's own random hex (default: 16 bytes from node:crypto, independent of `random`, which may be seeded). */
  nonce?: () => string;
}

interface Tail {
  seq: number;
  hash: string;
}

/** Entries read per batch (bounded memory; `list` with a limit and `verify` stop early between batches). */
const readWindow = 128;
const immediateRetries = 20;

/**
 * The append-only, hash-chained audit log: entry n is the object `audit/<n>.json`, created only if
 * absent, holding the hash of entry n-1. Two writers racing for the same n: one creates it, the
 * other sees "exists", reads the new tail and tries n+1, so no entry is lost and the chain stays
 * linear without any lock.
 */
export class AuditLog {
  private tail: Tail | undefined;
  /** Appends made and races lost by this handle, for diagnostics and tests. */
  readonly stats = { appended: 0, racesLost: 0 };
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
    // One nonce per append, kept across retries: a retried PUT that landed is recognised by it.
    const nonce = (this.options.nonce ?? defaultNonce)();
    for (; budget.allows(attempt); attempt++) {
      const entry = sealAuditEntry(input, tail.seq + 1, this.options.clock.now(), tail.hash, nonce);
      if ((await this.store.createIfAbsent(auditKey(entry.seq), auditEntryBytes(entry))) === 'created') {
        this.tail = { seq: entry.seq, hash: entry.hash };
        this.stats.appended++;
        return entry;
      }
      this.stats.racesLost++;
      const newer = await this.readTail(tail);
      // A retried PUT whose first try landed finds our own entry (same nonce): it is ours, not a lost race.
      if (newer.seq === entry.seq && newer.hash === entry.hash) {
        this.tail = newer;
        return entry;
      }
      tail = newer;
      // Losing means another writer made progress, so there is no livelock to break: retry at once
      // (a sleeping loser starves behind a busy writer); only a long losing streak backs off, with
      // jitter, to bound the wasted requests when many writers pile up.
      if (attempt > immediateRetries)
        await this.sleep(jitteredBackoff(attempt - immediateRetries, this.options.random, 1, 10));
    }
    throw new ShipgateError(
      'LEDGER_LOCKED',
      `expected to append to the audit log at ${this.store.location} within ${budget.describe(attempt)}, found other writers ahead every time (last seq seen #${tail.seq})`,
      {
        hint: 'Many processes are writing the same ledger at once; retry the command.',
      },
    );
  }

  /** The log's current length and head hash (cheap: gallops forward from the last tail this handle saw). */
  async head(): Promise<AuditHead> {
    const tail = await this.readTail(this.tail ?? { seq: 0, hash: genesisHash });
    this.tail = tail;
    return { entryCount: tail.seq, headHash: tail.hash };
  }

  /**
   * Signs and stores a checkpoint of the current head (what a command that changed state does last),
   * so that truncating or rewriting the log up to here contradicts a signature. Nothing on an empty log.
   */
  async checkpoint(signer: SignerPort): Promise<CheckpointWritten | undefined> {
    const head = await this.head();
    if (head.entryCount === 0) return undefined;
    return writeAuditCheckpoint(this.store, head, signer, this.options.clock);
  }

  /**
   * For `--dry-run` only (the store is a DryRunStateStore holding writes in memory): holds, unsigned, the
   * checkpoint a real run would sign here, so the dry run lists it. A dry run signs nothing.
   */
  async holdCheckpointPreview(store: DryRunStateStore): Promise<void> {
    const head = await this.head();
    if (head.entryCount === 0) return;
    await store.createIfAbsent(checkpointKey(head.entryCount), JSON.stringify({ dryRun: true, ...head }));
  }

  /**
   * Entries matching the filter, in seq order. With `limit`, reads backwards from the newest entry and
   * stops once it has enough. Unreadable entries are skipped (`verify` names them).
   */
  async list(filter: AuditListFilter = {}): Promise<AuditEntry[]> {
    const since = filter.since === undefined ? undefined : new Date(filter.since).toISOString();
    const limit = filter.limit !== undefined && filter.limit >= 0 ? filter.limit : Infinity;
    const keys = (await this.store.list('audit/')).filter((k) => seqOfAuditKey(k) !== undefined);
    const matches = (e: AuditEntry) =>
      (filter.releaseId === undefined || e.subject.releaseId === filter.releaseId) &&
      (filter.environment === undefined || e.subject.environment === filter.environment) &&
      (filter.service === undefined || e.subject.service === filter.service) &&
      (filter.deploymentId === undefined || e.subject.deploymentId === filter.deploymentId) &&
      (filter.actor === undefined || e.actor === filter.actor) &&
      (filter.action === undefined || e.action === filter.action) &&
      (since === undefined || e.at >= since);
    const newestFirst: AuditEntry[] = [];
    const window = readWindow / 2;
    for (let end = keys.length; end > 0 && newestFirst.length < limit; end -= window) {
      const slice = keys.slice(Math.max(0, end - window), end);
      const bodies = (await readMany(this.store, slice)).map((o) => o?.body);
      for (let i = bodies.length - 1; i >= 0 && newestFirst.length < limit; i--) {
        const parsed = bodies[i] === undefined ? undefined : parseAuditEntry(bodies[i]!);
        if (parsed?.ok && matches(parsed.entry)) newestFirst.push(parsed.entry);
      }
    }
    return newestFirst.reverse();
  }

  /** Walks the whole chain and reports the first entry that was edited, deleted or moved. */
  async verify(): Promise<AuditVerifyReport> {
    const keys = (await this.store.list('audit/')).filter((k) => seqOfAuditKey(k) !== undefined);
    const checker = new AuditChainChecker();
    // Read in windows: bounded memory and concurrency, and stop reading at the first failure.
    const window = readWindow;
    for (let start = 0; start < keys.length; start += window) {
      const slice = keys.slice(start, start + window);
      const bodies = (await readMany(this.store, slice)).map((o) => o?.body);
      for (let i = 0; i < slice.length; i++) if (checker.check(slice[i]!, bodies[i])) return checker.report();
    }
    return checker.report();
  }

  /**
   * The newest entry at or after `from`. Entries are dense (1..n), so the tail is found by galloping
   * forward (from+1, +2, +4, …) and then bisecting: O(log gap) reads, never a listing of the whole log.
   */
  private async readTail(from: Tail): Promise<Tail> {
    const seen = new Map<number, StoredObject>();
    const probe = async (seq: number) => {
      const object = await this.store.get(auditKey(seq));
      if (object) seen.set(seq, object);
      return object !== undefined;
    };
    let present = from.seq;
    let absent = from.seq + 1;
    for (let step = 1; await probe(from.seq + step); step *= 2) {
      present = from.seq + step;
      absent = from.seq + step * 2;
    }
    while (absent - present > 1) {
      const mid = Math.floor((present + absent) / 2);
      if (await probe(mid)) present = mid;
      else absent = mid;
    }
    if (present === from.seq) return from;
    const object = seen.get(present)!;
    const parsed = parseAuditEntry(object.body);
    if (!parsed.ok || parsed.entry.seq !== present) {
      throw new ShipgateError(
        'LEDGER_CORRUPT',
        `expected audit entry #${present} at ${describeKey(this.store, auditKey(present))}, found ${parsed.ok ? `entry #${parsed.entry.seq}` : parsed.reason}`,
        {
          hint: 'Run `shipgate audit verify` to locate the damage; the log cannot be extended past a broken tail.',
        },
      );
    }
    return { seq: present, hash: parsed.entry.hash };
  }
}

function defaultNonce(): string {
  return randomBytes(16).toString('hex');
}
