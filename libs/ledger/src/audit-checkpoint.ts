import type { Clock } from '@shipgate/model';
import {
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  createStatement,
  signStatement,
  type AuditCheckpointPredicate,
  type DsseEnvelope,
  type SignerPort,
} from '@shipgate/trust';
import type { StateStore } from './state-store';

/** The subject name of every checkpoint statement: the log itself (its digest is the head hash). */
export const AUDIT_LOG_SUBJECT = 'audit-log';

const width = 12;
const keyPattern = /^checkpoints\/(\d{12})\.json$/;

/**
 * The store key of the checkpoint covering the first `entryCount` entries. Keyed by the count, so that
 * the checkpoints sort in log order and two commands ending on the same head write one checkpoint.
 */
export function checkpointKey(entryCount: number): string {
  return `checkpoints/${String(entryCount).padStart(width, '0')}.json`;
}

/** The entry count a key names, or undefined for keys that are not checkpoints. */
export function entryCountOfCheckpointKey(key: string): number | undefined {
  const match = keyPattern.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** The head of the log a checkpoint vouches for. */
export interface AuditHead {
  entryCount: number;
  headHash: string;
}

/** What writing a checkpoint did. */
export interface CheckpointWritten {
  key: string;
  /** False when a checkpoint for this exact head was already there (another command ended on it). */
  created: boolean;
  predicate: AuditCheckpointPredicate;
  envelope: DsseEnvelope;
}

/**
 * Signs the audit-checkpoint statement for `head` (subject `audit-log`, digest = head hash) and stores
 * the DSSE envelope, write-once, at `checkpoints/<count>.json`.
 */
export async function writeAuditCheckpoint(
  store: StateStore,
  head: AuditHead,
  signer: SignerPort,
  clock: Clock,
): Promise<CheckpointWritten> {
  const predicate: AuditCheckpointPredicate = {
    log: store.location,
    entryCount: head.entryCount,
    headHash: head.headHash,
    at: clock.now().toISOString(),
  };
  const statement = createStatement({
    subjectDigest: head.headHash,
    subjectName: AUDIT_LOG_SUBJECT,
    predicateType: AUDIT_CHECKPOINT_PREDICATE_TYPE,
    predicate,
  });
  const envelope = await signStatement(statement, [signer]);
  const key = checkpointKey(head.entryCount);
  const created = (await store.createIfAbsent(key, `${JSON.stringify(envelope, null, 2)}\n`)) === 'created';
  return { key, created, predicate, envelope };
}
