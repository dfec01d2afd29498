import {
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  verifyEnvelope,
  type AuditCheckpointPredicate,
  type TargetKind,
  type VerifierPort,
} from '@shipgate/trust';
import { entryCountOfCheckpointKey } from './audit-checkpoint';
import type { AuditFinding } from './audit-finding';

/** A checkpoint that verified: what it vouches for and who signed it. */
export interface VerifiedCheckpoint {
  key: string;
  entryCount: number;
  headHash: string;
  at: string;
  /** The verified signer identities, as the trust policy names them (`staging CI (…)`, `person alice`, `local-rehearsal`). */
  signers: string[];
}

/** The verdict on the checkpoints, for the report. */
export interface CheckpointReport {
  findings: AuditFinding[];
  /** How many checkpoints are stored, and how many verified. */
  stored: number;
  valid: number;
  /** The newest valid checkpoint: the log must be at least this long and agree with it. */
  newest?: VerifiedCheckpoint;
}

/** What the checkpoint check sees: the stored entries' hashes by seq, and the checkpoint objects. */
export interface CheckpointCheckInput {
  /** `hash` of each stored entry that parses, by seq (as stored: edits show as a mismatch). */
  hashBySeq: ReadonlyMap<number, string>;
  /** The highest seq stored (0 for an empty log). */
  lastSeq: number;
  checkpoints: readonly { key: string; body: string }[];
  verifier: VerifierPort;
  targetKind: TargetKind;
  now: Date;
}

/**
 * Checks the signed checkpoints against the log (pure): each must verify; they must form a sequence
 * (key = entry count, time never going back as the count grows); the log must reach the newest valid
 * one's count (else truncated) and hold, at each valid checkpoint's count, the entry hash it signed
 * (else rewritten: edited and rechained, or an entry inserted and the rest renumbered).
 */
export function checkAuditCheckpoints(input: CheckpointCheckInput): CheckpointReport {
  const findings: AuditFinding[] = [];
  const valid: VerifiedCheckpoint[] = [];
  for (const { key, body } of [...input.checkpoints].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const checked = verifyCheckpoint(key, body, input);
    if ('problem' in checked) findings.push(checked);
    else valid.push(checked);
  }
  for (let i = 1; i < valid.length; i++) {
    const [before, after] = [valid[i - 1]!, valid[i]!];
    if (after.at < before.at)
      findings.push({
        problem: 'checkpoint-sequence',
        about: after.key,
        expected: `a time at or after ${before.at} (the checkpoint of ${before.entryCount} entries, ${before.key})`,
        found: `${after.at} for ${after.entryCount} entries`,
        hint: 'A checkpoint was replayed or its clock went back; compare both with the CI logs of the commands that wrote them.',
      });
  }
  const newest = valid.at(-1);
  if (newest && input.lastSeq < newest.entryCount) {
    findings.push({
      problem: 'truncated',
      about:
        input.lastSeq === 0
          ? 'the whole log'
          : input.lastSeq + 1 === newest.entryCount
            ? `entry #${newest.entryCount}`
            : `entries #${input.lastSeq + 1} to #${newest.entryCount}`,
      expected: `${newest.entryCount} entries or more (checkpoint ${newest.key}, signed by ${newest.signers.join(', ')} at ${newest.at})`,
      found: `${input.lastSeq} entr${input.lastSeq === 1 ? 'y' : 'ies'}`,
      hint: 'Entries were deleted from the end of the log; restore them from a backup (or, with S3 Object Lock, from their retained versions).',
    });
  }
  // The first checkpoint the log contradicts says where the rewrite starts (between it and the one before).
  const contradicted = valid.filter(
    (c) => c.entryCount <= input.lastSeq && input.hashBySeq.get(c.entryCount) !== c.headHash,
  );
  const first = contradicted[0];
  if (first) {
    const stored = input.hashBySeq.get(first.entryCount);
    const later = contradicted.length - 1;
    findings.push({
      problem: 'checkpoint-mismatch',
      about: `entry #${first.entryCount}`,
      expected: `hash ${first.headHash} (checkpoint ${first.key}, signed by ${first.signers.join(', ')} at ${first.at})`,
      found: `${stored === undefined ? 'no readable entry' : `hash ${stored}`}${later ? ` (and ${later} later checkpoint${later === 1 ? '' : 's'} contradicted too)` : ''}`,
      hint: 'Entries up to this one were rewritten after the checkpoint was signed (edited and rechained, or inserted and renumbered); restore the log from a backup.',
    });
  }
  return { findings, stored: input.checkpoints.length, valid: valid.length, ...(newest ? { newest } : {}) };
}

function verifyCheckpoint(key: string, body: string, input: CheckpointCheckInput): VerifiedCheckpoint | AuditFinding {
  const invalid = (found: string): AuditFinding => ({
    problem: 'checkpoint-invalid',
    about: key,
    expected: 'a DSSE envelope with an audit-checkpoint statement, signed by an identity the trust policy names',
    found,
    hint: 'An invalid checkpoint is no anchor: the entries it claims to cover are checked against older valid checkpoints only.',
  });
  let envelope: unknown;
  let claimed: Partial<AuditCheckpointPredicate> = {};
  try {
    envelope = JSON.parse(body);
    const payload = (envelope as { payload?: unknown }).payload;
    if (typeof payload === 'string')
      claimed =
        (JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { predicate?: AuditCheckpointPredicate })
          .predicate ?? {};
  } catch (error) {
    return invalid(`bytes that are not JSON (${(error as Error).message})`);
  }
  // The subject must be the head hash the predicate names; the signature is checked before either is believed.
  const verified = verifyEnvelope(envelope, input.verifier, {
    subjectDigest: typeof claimed.headHash === 'string' ? claimed.headHash : '',
    predicateType: AUDIT_CHECKPOINT_PREDICATE_TYPE,
    targetKind: input.targetKind,
    now: input.now,
  });
  if (!verified.ok) return invalid(`${verified.error.reason}: ${verified.error.message}`);
  const predicate = verified.value.statement.predicate as AuditCheckpointPredicate;
  const keyCount = entryCountOfCheckpointKey(key);
  if (keyCount !== predicate.entryCount)
    return {
      problem: 'checkpoint-sequence',
      about: key,
      expected: `a checkpoint of ${keyCount} entries (its key)`,
      found: `a signed checkpoint of ${predicate.entryCount} entries stored under it`,
      hint: 'A checkpoint was copied or renamed; it is not used as an anchor.',
    };
  return {
    key,
    entryCount: predicate.entryCount,
    headHash: predicate.headHash,
    at: predicate.at,
    signers: verified.value.signers.map((s) => (s.kind === 'person' ? `person ${s.name}` : s.name)),
  };
}
