import { expandPeople, type ApprovalPolicy, type Release } from '@shipgate/model';

/** Whether one person's approval of a release counts, and if not why: the rule `approve` and the gate share. */
export interface ApproverStanding {
  /** True when an approval by this person counts toward the policy's required number. */
  counts: boolean;
  /** A release manager of the policy, directly or through a team (their rejection blocks). */
  releaseManager: boolean;
  /** Set when the person wrote or created the release: never counted, whatever their role. */
  conflict?: 'author' | 'creator';
  /** The policy's release managers, lower-cased, teams expanded (for messages). */
  managers: string[];
}

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
 * Who may approve: a release manager of the environment's policy who is neither the release's author nor
 * its creator under any identity they appear with (login, e-mail, GitHub noreply address). `shipgate
 * approve` refuses exactly the approvals this does not count, so the CLI and the gate never disagree.
 */
export function approverStanding(
  policy: Pick<ApprovalPolicy, 'releaseManagers' | 'teams'>,
  release: Pick<Release, 'author' | 'authors' | 'createdBy'>,
  approver: string,
): ApproverStanding {
  const login = approver.toLowerCase();
  const managers = expandPeople(policy.releaseManagers, policy.teams);
  const releaseManager = managers.includes(login);
  const authors = [release.author, ...(release.authors ?? [])];
  const conflict = authors.some((a) => identitiesOf(a).has(login))
    ? 'author'
    : identitiesOf(release.createdBy).has(login)
      ? 'creator'
      : undefined;
  return { counts: releaseManager && !conflict, releaseManager, ...(conflict ? { conflict } : {}), managers };
}
