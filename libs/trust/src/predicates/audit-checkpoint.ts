import { z } from 'zod';
import { isoTime } from './binding';

/**
 * The audit log's length and head hash at a point in time. Its subject is the log itself (name
 * `audit-log`, digest = head hash), so truncating or rewriting the log contradicts a signed checkpoint.
 */
export const AUDIT_CHECKPOINT_PREDICATE_TYPE = 'https://shipgate.dev/attestation/audit-checkpoint/v1';

/** The audit-checkpoint predicate. */
export const auditCheckpointPredicateSchema = z.object({
  /** Where the log lives (`.shipgate/`, `s3://bucket/prefix`). */
  log: z.string().min(1),
  entryCount: z.number().int().nonnegative(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: isoTime,
});

/** An audit-checkpoint predicate. */
export type AuditCheckpointPredicate = z.infer<typeof auditCheckpointPredicateSchema>;
