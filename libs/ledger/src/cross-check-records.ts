import { sha256Hex, type AuditEntry } from '@shipgate/model';
import type { AuditFinding } from './audit-finding';
import { isReplaceableKey } from './state-store';

/** The folders of records that every write audits; `audit verify` cross-checks each against the log. */
export const auditedRecordPrefixes = ['releases/', 'evidence/', 'decisions/', 'deployments/'];

/**
 * The record an entry is about: `details.recordKey` when the entry names it (every write since #12.7),
 * else derived from the ids older entries carry. Undefined for entries about no record (a rollback note).
 */
export function recordKeyOfEntry(entry: AuditEntry): string | undefined {
  const d = entry.details;
  if (typeof d.recordKey === 'string') return d.recordKey;
  const { releaseId, deploymentId } = entry.subject;
  if (entry.action === 'release.create' && releaseId) return `releases/${releaseId}.json`;
  if (entry.action === 'evidence.add' && releaseId && typeof d.evidenceId === 'string')
    return `evidence/${releaseId}/${d.evidenceId}.json`;
  if (entry.action === 'gate.decision' && releaseId && typeof d.decisionId === 'string')
    return `decisions/${releaseId}/${d.decisionId}.json`;
  if (/^(deploy|rollback)\.(start|update|finish)$/.test(entry.action) && deploymentId)
    return `deployments/${deploymentId}.json`;
  return undefined;
}

/**
 * Cross-checks records against the log (pure): every record has an audit entry, every entry's record
 * exists, and the record's bytes are the ones the entry recorded (a write-once record: every entry about
 * it; a deployment record: its newest entry, since each update is audited).
 */
export function crossCheckRecords(
  entries: readonly AuditEntry[],
  records: readonly { key: string; body: string }[],
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const byKey = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    const key = recordKeyOfEntry(entry);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const stored = new Map(records.map((r) => [r.key, r.body]));
  for (const { key, body } of records) {
    const about = byKey.get(key);
    if (!about) {
      findings.push({
        problem: 'unaudited-record',
        about: key,
        expected: 'an audit entry recording its write',
        found: 'none: it was added behind the log’s back, or a command stopped between writing it and its entry',
        hint: 'If a command was interrupted, run it again (release create and deploy audit an existing record); otherwise remove the record.',
      });
      continue;
    }
    const hashed = about.filter((e) => typeof e.details.recordHash === 'string');
    const checked = isReplaceableKey(key) ? hashed.slice(-1) : hashed;
    const actual = sha256Hex(body);
    const wrong = checked.find((e) => e.details.recordHash !== actual);
    if (wrong)
      findings.push({
        problem: 'record-mismatch',
        about: key,
        expected: `bytes with sha256 ${String(wrong.details.recordHash)} (entry #${wrong.seq}, ${wrong.action})`,
        found: `bytes with sha256 ${actual}`,
        hint: 'The record was edited or replaced after its audit entry was written; restore it from a backup.',
      });
  }
  for (const [key, about] of byKey) {
    if (stored.has(key) || !auditedRecordPrefixes.some((p) => key.startsWith(p))) continue;
    const first = about[0]!;
    findings.push({
      problem: 'record-missing',
      about: `entry #${first.seq} (${first.action})`,
      expected: `the record ${key}`,
      found: 'nothing: it was deleted behind the log’s back',
      hint: 'Restore the record from a backup; a deleted record cannot be recreated with the same content and signature.',
    });
  }
  return findings;
}
