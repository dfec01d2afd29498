import { sha256Hex } from '@shipgate/model';
import { auditEntryBytes, auditKey, genesisHash, hashAuditEntry, parseAuditEntry, seqOfAuditKey } from './audit-entry';

/** What is wrong with the first bad entry. */
export type AuditProblem = 'hash-mismatch' | 'prev-hash-mismatch' | 'missing' | 'out-of-order' | 'unreadable';

/** The verdict on the whole chain: intact with its length and head, or the first bad entry. */
export type AuditVerifyReport =
  | { ok: true; entries: number; lastSeq: number; headHash: string }
  | {
      ok: false;
      seq: number;
      key: string;
      problem: AuditProblem;
      expected: string;
      found: string;
      entriesChecked: number;
    };

/** A failed verdict. */
export type AuditVerifyFailure = Extract<AuditVerifyReport, { ok: false }>;

/**
 * Checks the chain one stored entry at a time, in key order, and stops at the first bad one.
 * Pure: it sees keys and bytes, never the store. `body` undefined means the key vanished.
 */
export class AuditChainChecker {
  private expectedSeq = 1;
  private prevHash = genesisHash;
  private failure: AuditVerifyFailure | undefined;

  /** Feeds the next entry; returns the failure once there is one. */
  check(key: string, body: string | undefined): AuditVerifyFailure | undefined {
    if (this.failure) return this.failure;
    const seq = seqOfAuditKey(key);
    if (seq === undefined) return undefined; // not an audit entry name; nothing to chain
    const fail = (at: number, problem: AuditProblem, expected: string, found: string) =>
      (this.failure = { ok: false, seq: at, key: auditKey(at), problem, expected, found, entriesChecked: at - 1 });
    if (seq > this.expectedSeq || body === undefined) {
      return fail(
        this.expectedSeq,
        'missing',
        `entry #${this.expectedSeq} (${auditKey(this.expectedSeq)})`,
        body === undefined ? `nothing at ${key}` : `next entry is #${seq} (${key})`,
      );
    }
    const parsed = parseAuditEntry(body);
    if (!parsed.ok) return fail(seq, 'unreadable', 'a JSON audit entry', parsed.reason);
    const entry = parsed.entry;
    if (entry.seq !== seq) return fail(seq, 'out-of-order', `entry #${seq} at ${key}`, `entry #${entry.seq}`);
    const recomputed = hashAuditEntry(entry);
    if (recomputed !== entry.hash)
      return fail(
        seq,
        'hash-mismatch',
        `hash ${recomputed} (recomputed from the entry's fields)`,
        `hash ${entry.hash}`,
      );
    const canonical = auditEntryBytes(entry);
    if (canonical !== body)
      return fail(
        seq,
        'hash-mismatch',
        `stored bytes with sha256 ${sha256Hex(canonical)} (the entry's canonical form)`,
        `stored bytes with sha256 ${sha256Hex(body)}`,
      );
    if (entry.prevHash !== this.prevHash)
      return fail(
        seq,
        'prev-hash-mismatch',
        `prevHash ${this.prevHash} (hash of entry #${seq - 1})`,
        `prevHash ${entry.prevHash}`,
      );
    this.prevHash = entry.hash;
    this.expectedSeq = seq + 1;
    return undefined;
  }

  /** The verdict after the last entry was fed. */
  report(): AuditVerifyReport {
    return (
      this.failure ?? {
        ok: true,
        entries: this.expectedSeq - 1,
        lastSeq: this.expectedSeq - 1,
        headHash: this.prevHash,
      }
    );
  }
}
