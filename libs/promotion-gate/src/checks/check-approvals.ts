import type { ApprovalPolicy, Evidence, RequirementResult } from '@shipgate/model';
import type { EvidenceSelection } from '../select-evidence';
import type { ApprovalSummary } from '../summaries';
import { approverStanding } from '../approver-standing';
import type { VerifiedRelease } from '../verified-release';
import { requirement } from './requirement';

/**
 * The approvals requirement: at least N distinct release managers, never the author or creator, each person
 * counted once, only approvals for this digest and environment. A person's latest word counts, so a
 * rejection after an approval withdraws it. The authors and creator are the signed release's: when the
 * release record does not verify, no approval counts.
 */
export function checkApprovals(
  policy: ApprovalPolicy,
  selection: EvidenceSelection<ApprovalSummary>,
  verified: VerifiedRelease,
  environment: string,
): RequirementResult {
  const id = 'approvals';
  const title = 'Approvals';
  const required = `≥ ${policy.required} of ${policy.releaseManagers.join(', ')}; not author or creator`;
  if (policy.required === 0)
    return requirement(id, title, 'pass', required, 'none required', 'the policy requires no approvals');
  if (!verified.ok) {
    // Who wrote the release is known only from its signed record: without one, nobody's approval can count.
    return requirement(
      id,
      title,
      'fail',
      required,
      `0 of ${policy.required}: the release's authors are not verified`,
      `${verified.problem}; ${verified.hint}`,
    );
  }
  const release = verified.release;

  // Oldest first, so that each person's last record wins.
  const records = [...selection.usable].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
  const byPerson = new Map<string, Evidence<ApprovalSummary>[]>();
  for (const record of records) {
    const login = record.summary.approver.toLowerCase();
    byPerson.set(login, [...(byPerson.get(login) ?? []), record]);
  }

  const counted: string[] = [];
  const notes: string[] = [];
  const rejections: string[] = [];
  const used: Evidence<unknown>[] = [];
  for (const list of byPerson.values()) {
    const latest = list.at(-1)!;
    const name = latest.summary.approver;
    const standing = approverStanding(policy, release, name);
    if (latest.summary.state === 'rejected') {
      if (standing.releaseManager) {
        rejections.push(`rejected by ${name}${latest.summary.comment ? `: "${latest.summary.comment}"` : ''}`);
        used.push(latest);
      } else notes.push(`rejection by ${name} (not a release manager) — not counted`);
      continue;
    }
    if (standing.conflict)
      notes.push(
        `approved by ${name} (${standing.conflict === 'author' ? 'author' : 'creator of the release'}) — not counted`,
      );
    else if (!standing.counts) notes.push(`approved by ${name} (not a release manager) — not counted`);
    else {
      counted.push(name);
      used.push(latest);
      const approvals = list.filter((r) => r.summary.state === 'approved').length;
      if (approvals > 1) notes.push(`${name} approved ${approvals} times — counted once`);
    }
  }
  for (const r of selection.rejected) if (r.why !== 'tampered') notes.push(`${r.reason} — not counted`);

  const enough = counted.length >= policy.required;
  // An altered approval record is never explained away by other approvals: someone edited the ledger.
  const tampered = selection.tampered.map((t) => t.reason);
  const ok = enough && rejections.length === 0 && tampered.length === 0;
  const observed = `${counted.length} of ${policy.required}${counted.length ? `: ${counted.join(', ')}` : ''}`;
  const head = tampered.length
    ? tampered.join('; ')
    : rejections.length
      ? rejections.join('; ')
      : enough
        ? `approved by ${counted.join(', ')}`
        : `${counted.length} counted approval${counted.length === 1 ? '' : 's'} < ${policy.required} required${records.length || selection.rejected.length ? '' : `; approve with \`shipgate approve\` or a GitHub environment review for ${environment}`}`;
  return requirement(id, title, ok ? 'pass' : 'fail', required, observed, [head, ...notes].join('; '), used);
}
