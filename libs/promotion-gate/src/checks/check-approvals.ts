import { expandPeople } from '@shipgate/model';
import type { ApprovalPolicy, Evidence, Release, RequirementResult } from '@shipgate/model';
import type { EvidenceSelection } from '../select-evidence';
import type { ApprovalSummary } from '../summaries';
import { requirement } from './requirement';

/** Lower-cased identities a person could appear under: a login, an e-mail, its local part, a GitHub noreply address. */
function identitiesOf(who: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!who) return out;
  const lower = who.trim().toLowerCase();
  out.add(lower);
  const at = lower.indexOf('@');
  if (at > 0) {
    const local = lower.slice(0, at);
    out.add(local);
    // 12345+alice@users.noreply.github.com belongs to alice.
    const plus = local.indexOf('+');
    if (plus >= 0) out.add(local.slice(plus + 1));
  }
  return out;
}

/**
 * The approvals requirement: at least N distinct release managers, never the author or creator, each person
 * counted once, only approvals for this digest and environment. A person's latest word counts, so a
 * rejection after an approval withdraws it.
 */
export function checkApprovals(
  policy: ApprovalPolicy,
  selection: EvidenceSelection<ApprovalSummary>,
  release: Release,
  environment: string,
): RequirementResult {
  const id = 'approvals';
  const title = 'Approvals';
  const managers = expandPeople(policy.releaseManagers, policy.teams);
  const required = `≥ ${policy.required} of ${policy.releaseManagers.join(', ')}; not author or creator`;
  if (policy.required === 0)
    return requirement(id, title, 'pass', required, 'none required', 'the policy requires no approvals');

  const author = identitiesOf(release.author);
  const creator = identitiesOf(release.createdBy);
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
  for (const [login, list] of byPerson) {
    const latest = list.at(-1)!;
    const name = latest.summary.approver;
    const role = author.has(login) ? 'author' : creator.has(login) ? 'creator of the release' : undefined;
    const isManager = managers.includes(login);
    if (latest.summary.state === 'rejected') {
      if (isManager) {
        rejections.push(`rejected by ${name}${latest.summary.comment ? `: "${latest.summary.comment}"` : ''}`);
        used.push(latest);
      } else notes.push(`rejection by ${name} (not a release manager) — not counted`);
      continue;
    }
    if (role) notes.push(`approved by ${name} (${role}) — not counted`);
    else if (!isManager) notes.push(`approved by ${name} (not a release manager) — not counted`);
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
