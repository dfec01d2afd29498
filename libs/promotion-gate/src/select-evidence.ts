import { contentHash } from '@shipgate/model';
import type { Evidence, EvidenceKind, Release, RequirementStatus } from '@shipgate/model';
import { formatDuration } from '@shipgate/model';
import { shortDigest } from './format';
import { verifyEvidence, type GateTrust } from './verify-evidence';

/** Why one evidence record does not count. */
export interface RejectedEvidence {
  evidence: Evidence<unknown>;
  why:
    | 'service'
    | 'release'
    | 'digest'
    | 'environment'
    | 'tampered'
    | 'unsigned'
    | 'not-served'
    | 'target'
    | 'stale'
    | 'future'
    | 'unreadable';
  reason: string;
}

/** The evidence that counts for one requirement, and every record that does not, with its reason. */
export interface EvidenceSelection<T> {
  /** The newest usable record. */
  chosen?: Evidence<T>;
  usable: Evidence<T>[];
  rejected: RejectedEvidence[];
  /** Records about this very release that were altered after recording: always a failure. */
  tampered: RejectedEvidence[];
}

/** What a record must match to count. */
export interface SelectionRules {
  kind: EvidenceKind;
  release: Release;
  environment: string;
  now: Date;
  /** Omitted: no age limit (approvals). */
  maxAgeMs?: number;
  maxAgeText?: string;
  /** How records are verified: every record counts only as its signed content, by a signer of the right role. */
  trust: GateTrust;
  /** For evidence that must have been produced while the release served (QA, stress): why not, or undefined. */
  servedProblem?: (evidence: Evidence<unknown>) => string | undefined;
}

// Clocks of CI runners drift a little; a record from further in the future is suspicious.
const allowedClockSkewMs = 5 * 60_000;

/** True when the record's summary still hashes to the content hash recorded with it. */
export function isIntact(evidence: Evidence<unknown>): boolean {
  return contentHash(evidence.summary) === evidence.contentHash;
}

/** Sorts the records of one kind into usable (newest first) and rejected, each rejection with a reason in words. */
export function selectEvidence<T>(all: readonly Evidence<unknown>[], rules: SelectionRules): EvidenceSelection<T> {
  const usable: Evidence<T>[] = [];
  const rejected: RejectedEvidence[] = [];
  const tampered: RejectedEvidence[] = [];
  const reject = (evidence: Evidence<unknown>, why: RejectedEvidence['why'], reason: string) => {
    const entry = { evidence, why, reason: `${evidence.id} ${reason}` };
    rejected.push(entry);
    if (why === 'tampered') tampered.push(entry);
  };
  for (const stored of all) {
    if (stored.kind !== rules.kind) continue;
    if (stored.service !== rules.release.service) {
      reject(stored, 'service', `is for service ${stored.service}, not ${rules.release.service}`);
      continue;
    }
    if (stored.digest !== rules.release.digest) {
      reject(
        stored,
        'digest',
        `is for another digest ${shortDigest(stored.digest)} (this release is ${shortDigest(rules.release.digest)})`,
      );
      continue;
    }
    if (stored.releaseId !== rules.release.id) {
      reject(
        stored,
        'release',
        `is for release ${stored.releaseId}, not ${rules.release.id} (same image, another release: a release starts with no evidence)`,
      );
      continue;
    }
    // Everything from here on reads the signed record, never the file's own fields.
    const verified = verifyEvidence(stored, rules.release, rules.trust, rules.now);
    if (!verified.ok) {
      const { refusal } = verified;
      reject(
        stored,
        refusal.class === 'tampered' ? 'tampered' : 'unsigned',
        `refused (${refusal.reason}): ${refusal.message}`,
      );
      continue;
    }
    const evidence = verified.evidence;
    const recordedAt = Date.parse(evidence.recordedAt);
    const age = rules.now.getTime() - recordedAt;
    const notServed = rules.servedProblem?.(evidence);
    if (!isIntact(evidence))
      reject(
        evidence,
        'tampered',
        `was altered after it was recorded: its summary hashes to ${contentHash(evidence.summary).slice(0, 12)}…, the record says ${evidence.contentHash.slice(0, 12)}…`,
      );
    else if (evidence.environment !== rules.environment)
      reject(
        evidence,
        'environment',
        `was recorded in ${evidence.environment}; the policy requires evidence from ${rules.environment}`,
      );
    else if (!Number.isFinite(recordedAt))
      reject(evidence, 'unreadable', `has an unreadable recordedAt "${evidence.recordedAt}"`);
    else if (age < -allowedClockSkewMs)
      reject(
        evidence,
        'future',
        `is dated ${formatDuration(-age)} in the future (${evidence.recordedAt}); a record cannot come from the future`,
      );
    else if (rules.maxAgeMs !== undefined && age > rules.maxAgeMs)
      reject(
        evidence,
        'stale',
        `is stale: recorded ${formatDuration(age)} ago, the policy accepts at most ${rules.maxAgeText ?? formatDuration(rules.maxAgeMs)}`,
      );
    else if (notServed) reject(evidence, 'not-served', notServed);
    else usable.push(evidence as Evidence<T>);
  }
  usable.sort((a, b) => Date.parse(b.recordedAt) - Date.parse(a.recordedAt));
  return { ...(usable[0] ? { chosen: usable[0] } : {}), usable, rejected, tampered };
}

/** The status of an evidence requirement: tampering fails; otherwise stale beats missing when nothing is usable. */
export function selectionStatus(selection: EvidenceSelection<unknown>): RequirementStatus {
  if (selection.tampered.length) return 'fail';
  if (selection.chosen) return 'pass';
  return selection.rejected.some((r) => r.why === 'stale') ? 'stale' : 'missing';
}

/** `2 records ignored: ev-1 …; ev-2 …` (at most three listed). */
export function describeRejections(rejected: readonly RejectedEvidence[]): string {
  if (!rejected.length) return '';
  const shown = rejected.slice(0, 3).map((r) => r.reason);
  const more = rejected.length > 3 ? `; and ${rejected.length - 3} more` : '';
  return `${rejected.length === 1 ? '1 record' : `${rejected.length} records`} ignored: ${shown.join('; ')}${more}`;
}
