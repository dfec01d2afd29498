import type { AuditProblem } from './verify-audit-chain';

/** What `audit verify` can find wrong, beyond the chain's own problems. */
export type AuditFindingProblem =
  | AuditProblem
  /** The log has fewer entries than a signed checkpoint vouches for (tail or whole log deleted). */
  | 'truncated'
  /** The entry a signed checkpoint names has another hash (entries edited and rechained, inserted, renumbered). */
  | 'checkpoint-mismatch'
  /** A checkpoint whose signature or statement does not verify: it is ignored as an anchor. */
  | 'checkpoint-invalid'
  /** Checkpoints that contradict one another (a key naming another count, time going backwards). */
  | 'checkpoint-sequence'
  /** A record no audit entry mentions (added behind the log's back, or a crash between the two writes). */
  | 'unaudited-record'
  /** An audit entry whose record is gone (deleted behind the log's back). */
  | 'record-missing'
  /** A record whose bytes are not the ones its audit entry recorded (edited or replaced). */
  | 'record-mismatch'
  /** Something in the store that shipgate never wrote (a hidden version file beside a write-once record). */
  | 'stray-object'
  /** A record whose signature does not verify. */
  | 'record-signature';

/** One thing wrong, with what it is about and expected versus found. */
export interface AuditFinding {
  problem: AuditFindingProblem;
  /** The entry, record or checkpoint it is about: `entry #12`, `evidence/rel-1/ev-2.json`. */
  about: string;
  expected: string;
  found: string;
  /** What to do next. */
  hint?: string;
}
