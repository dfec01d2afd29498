import type { AuditEntry } from '@shipgate/model';
import type { TargetKind, VerifierPort } from '@shipgate/trust';
import { parseAuditEntry, seqOfAuditKey } from './audit-entry';
import { entryCountOfCheckpointKey } from './audit-checkpoint';
import type { AuditFinding } from './audit-finding';
import { checkAuditCheckpoints, type VerifiedCheckpoint } from './check-audit-checkpoints';
import { auditedRecordPrefixes, crossCheckRecords } from './cross-check-records';
import { readMany, type StateStore, type StoreProtection } from './state-store';
import { AuditChainChecker, type AuditVerifyReport } from './verify-audit-chain';

/** What `verifyAudit` needs besides the store. */
export interface VerifyAuditOptions {
  /** Checks checkpoint signatures: the trust policy's keys and people. */
  verifier: VerifierPort;
  targetKind: TargetKind;
  now: Date;
  /**
   * Checks one record's signature (trust-gate's record formats); a finding when it does not verify.
   * `records` holds every record's body by key (evidence is verified against its release).
   */
  verifyRecord?: (key: string, body: string, records: ReadonlyMap<string, string>) => AuditFinding | undefined;
}

/** Everything `audit verify` found, and what it checked. */
export interface AuditVerification {
  ok: boolean;
  /** Where the log lives. */
  log: string;
  /** Entries stored (the highest seq) and the chain's verdict. */
  entries: number;
  chain: AuditVerifyReport;
  checkpoints: {
    stored: number;
    valid: number;
    newest?: VerifiedCheckpoint;
    /** Entries after the newest valid checkpoint: a command still running, or one that wrote none. */
    unanchoredEntries: number;
  };
  /** Records cross-checked against the log. */
  records: number;
  protection: StoreProtection;
  findings: AuditFinding[];
}

/** Entries read per batch (bounded memory). */
const readWindow = 128;

/**
 * The whole audit: the hash chain, the signed checkpoints against it, every record against the entry
 * that wrote it (and its signature, when a record verifier is given), and stray objects in the store.
 * Every finding is listed; none stops the others.
 */
export async function verifyAudit(store: StateStore, options: VerifyAuditOptions): Promise<AuditVerification> {
  const entryKeys = (await store.list('audit/')).filter((k) => seqOfAuditKey(k) !== undefined);
  const checker = new AuditChainChecker();
  const entries: AuditEntry[] = [];
  const hashBySeq = new Map<number, string>();
  const window = readWindow;
  for (let start = 0; start < entryKeys.length; start += window) {
    const slice = entryKeys.slice(start, start + window);
    const bodies = (await readMany(store, slice)).map((o) => o?.body);
    for (let i = 0; i < slice.length; i++) {
      checker.check(slice[i]!, bodies[i]);
      const parsed = bodies[i] === undefined ? undefined : parseAuditEntry(bodies[i]!);
      if (parsed?.ok && parsed.entry.seq === seqOfAuditKey(slice[i]!)) {
        entries.push(parsed.entry);
        hashBySeq.set(parsed.entry.seq, parsed.entry.hash);
      }
    }
  }
  const chain = checker.report();
  const lastSeq = entryKeys.length ? seqOfAuditKey(entryKeys.at(-1)!)! : 0;
  const findings: AuditFinding[] = [];
  if (!chain.ok)
    findings.push({
      problem: chain.problem,
      about: `entry #${chain.seq} (${chain.key})`,
      expected: chain.expected,
      found: chain.found,
      hint: 'The entry was edited, deleted or reordered after it was written; restore the log from a backup and compare.',
    });

  const checkpointKeys = (await store.list('checkpoints/')).filter((k) => entryCountOfCheckpointKey(k) !== undefined);
  const checkpoints = (await readMany(store, checkpointKeys))
    .map((o, i) => ({ key: checkpointKeys[i]!, body: o?.body }))
    .flatMap((c) => (c.body === undefined ? [] : [{ key: c.key, body: c.body }]));
  const checked = checkAuditCheckpoints({
    hashBySeq,
    lastSeq,
    checkpoints,
    verifier: options.verifier,
    targetKind: options.targetKind,
    now: options.now,
  });
  findings.push(...checked.findings);

  const recordKeys = (await Promise.all(auditedRecordPrefixes.map((p) => store.list(p)))).flat();
  const records = (await readMany(store, recordKeys))
    .map((o, i) => ({ key: recordKeys[i]!, body: o?.body }))
    .flatMap((r) => (r.body === undefined ? [] : [{ key: r.key, body: r.body }]));
  findings.push(...crossCheckRecords(entries, records));
  if (options.verifyRecord) {
    const byKey = new Map(records.map((r) => [r.key, r.body]));
    for (const r of records) {
      const finding = options.verifyRecord(r.key, r.body, byKey);
      if (finding) findings.push(finding);
    }
  }

  for (const stray of (await store.strayObjects?.()) ?? [])
    findings.push({
      problem: 'stray-object',
      about: stray.key,
      expected: `nothing but the record at ${stray.key}`,
      found: `${stray.where}: ${stray.problem}`,
      hint: 'Someone with write access to the store put it there; remove it and check the record against its audit entry.',
    });

  const protection = (await store.protection?.()) ?? { kind: 'none', description: 'the store reports no protection' };
  return {
    ok: findings.length === 0,
    log: store.location,
    entries: lastSeq,
    chain,
    checkpoints: {
      stored: checked.stored,
      valid: checked.valid,
      ...(checked.newest ? { newest: checked.newest } : {}),
      unanchoredEntries: Math.max(0, lastSeq - (checked.newest?.entryCount ?? 0)),
    },
    records: records.length,
    protection,
    findings,
  };
}
