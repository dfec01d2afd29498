import { contentHash, parseDuration } from '@shipgate/model';
import type { Decision, Evidence, PromotionPolicy, Release, RequirementResult } from '@shipgate/model';
import { checkApprovals } from './checks/check-approvals';
import type { OverrideRequest } from './checks/check-freeze';
import { checkFreeze } from './checks/check-freeze';
import { checkParity, type ParityObservation } from './checks/check-parity';
import { checkQa } from './checks/check-qa';
import { checkStress } from './checks/check-stress';
import { requirement } from './checks/requirement';
import { selectEvidence } from './select-evidence';
import type { ApprovalSummary, OverrideSummary, QaSummary, StressSummary } from './summaries';

/** Everything the gate looks at; `now` is injected so that the same input always gives the same decision. */
export interface GateInput {
  release: Release;
  /** The environment the release would enter (e.g. production). */
  environment: string;
  /** That environment's promotion policy (parsed, defaults applied); undefined when it has none. */
  policy: PromotionPolicy | undefined;
  /** All evidence the ledger holds for the release (other digests and environments are sorted out here). */
  evidence: readonly Evidence<unknown>[];
  now: Date;
  /** Emergency overrides asked for with this evaluation (recorded overrides come in as `override` evidence). */
  overrides?: readonly OverrideSummary[];
  /** Parity between `policy.from` and this environment, observed by the caller (`promotion.parity`). */
  parity?: ParityObservation;
}

/**
 * Decides whether a release may enter an environment. Pure: lists every requirement of the policy with
 * what was required, what was observed and why, and never stops at the first failure. The outcome is
 * `pass` only when every requirement passes.
 */
export function evaluateGate(input: GateInput): Decision {
  const { release, environment, policy, evidence, now } = input;
  const requirements: RequirementResult[] = [];
  if (!policy) {
    requirements.push(
      requirement(
        'policy',
        'Promotion policy',
        'pass',
        'none configured',
        'none',
        `${environment} has no promotion policy; nothing is required to enter it`,
      ),
    );
  } else {
    const maxAgeMs = parseDuration(policy.maxEvidenceAge);
    const context = { from: policy.from, now, maxAgeText: policy.maxEvidenceAge };
    const fromRules = { release, environment: policy.from, now, maxAgeMs, maxAgeText: policy.maxEvidenceAge };
    if (policy.qa)
      requirements.push(
        ...checkQa(policy.qa, selectEvidence<QaSummary>(evidence, { ...fromRules, kind: 'qa' }), context),
      );
    if (policy.stress)
      requirements.push(
        ...checkStress(
          policy.stress,
          selectEvidence<StressSummary>(evidence, { ...fromRules, kind: 'stress' }),
          context,
        ),
      );
    if (policy.approvals) {
      // Approvals are given for entering this environment and do not expire with the test evidence.
      const selection = selectEvidence<ApprovalSummary>(evidence, { kind: 'approval', release, environment, now });
      requirements.push(checkApprovals(policy.approvals, selection, release, environment));
    }
    if (policy.freezeWindows.length) {
      const recorded = selectEvidence<OverrideSummary>(evidence, {
        kind: 'override',
        release,
        environment,
        now,
      }).usable;
      const overrides: OverrideRequest[] = [
        ...(input.overrides ?? []),
        ...recorded.map((e) => ({ ...e.summary, evidence: e })),
      ];
      requirements.push(checkFreeze(policy, now, overrides));
    }
    if (policy.parity) requirements.push(checkParity(policy.parity, environment, input.parity));
  }
  const outcome = requirements.every((r) => r.status === 'pass') ? 'pass' : 'block';
  const evaluatedAt = now.toISOString();
  return {
    id: `dec-${contentHash({ releaseId: release.id, environment, evaluatedAt, outcome, requirements }).slice(0, 16)}`,
    releaseId: release.id,
    service: release.service,
    digest: release.digest,
    environment,
    outcome,
    evaluatedAt,
    requirements,
  };
}
