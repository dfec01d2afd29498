import { contentHash, parseDuration } from '@shipgate/model';
import type {
  Decision,
  DeploymentRecord,
  Evidence,
  PromotionPolicy,
  Release,
  RequirementResult,
} from '@shipgate/model';
import { servingAt, verifyDeployment } from '@shipgate/trust';
import { checkApprovals } from './checks/check-approvals';
import type { OverrideRequest } from './checks/check-freeze';
import { checkFreeze } from './checks/check-freeze';
import { checkParity, type ParityObservation } from './checks/check-parity';
import { checkQa } from './checks/check-qa';
import { checkStress } from './checks/check-stress';
import { requirement } from './checks/requirement';
import { selectEvidence } from './select-evidence';
import { verifiedRelease } from './verified-release';
import type { ApprovalSummary, OverrideSummary, QaSummary, StressSummary } from './summaries';
import type { GateTrust } from './verify-evidence';

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
  /** How records are verified: only signed records by identities of the right role count. */
  trust: GateTrust;
  /** Deployment records of the release's service in the `from` environment: QA and stress count only while it served there. */
  deployments?: readonly DeploymentRecord[];
  /** What produced the decision, recorded in it: the policy digest, the config digest, a profile in force. */
  provenance?: Pick<Decision, 'policyDigest' | 'configDigest' | 'profile'>;
  /** Parity between `policy.from` and this environment, observed by the caller (`promotion.parity`). */
  parity?: ParityObservation;
}

/**
 * Why evidence recorded at its time does not show the release serving in its environment, or
 * undefined: by signed deployment records only, the newest succeeded deploy or rollback before it.
 */
function servedProblemFor(input: GateInput, environment: string): (e: Evidence<unknown>) => string | undefined {
  const verified = (input.deployments ?? [])
    .filter((d) => d.service === input.release.service && d.environment === environment)
    .flatMap((d) => {
      const v = verifyDeployment(d, input.trust.verifier, { targetKind: input.trust.targetKind, now: input.now });
      return v.ok ? [v.deployment] : [];
    });
  const unsigned = (input.deployments ?? []).filter((d) => d.environment === environment).length - verified.length;
  return (e) => {
    const serving = servingAt(verified, new Date(e.recordedAt));
    if (serving?.releaseId === input.release.id) return undefined;
    const ignored = unsigned > 0 ? `; ${unsigned} unsigned or unverifiable deployment record(s) ignored` : '';
    return `was recorded at ${e.recordedAt}, when no signed deployment record shows ${input.release.id} serving in ${environment}: expected ${input.release.id}, found ${serving ? `${serving.releaseId} (deployment ${serving.id})` : 'no release'} serving there then${ignored}`;
  };
}

/** Why stress evidence was not load against the `from` environment's own listener, or undefined. */
function listenerProblem(environment: string): (e: Evidence<unknown>) => string | undefined {
  return (e) => {
    const s = e.summary as StressSummary;
    return s.listenerOf === environment
      ? undefined
      : `was load against ${s.target ?? 'an unrecorded URL'}${s.listenerOf ? ` (${s.listenerOf}'s listener)` : ''}: expected ${environment}'s production listener`;
  };
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
    const served = servedProblemFor(input, policy.from);
    const onListener = listenerProblem(policy.from);
    const trust = input.trust;
    const fromRules = {
      release,
      environment: policy.from,
      now,
      maxAgeMs,
      maxAgeText: policy.maxEvidenceAge,
      trust,
      servedProblem: served,
    };
    if (policy.qa)
      requirements.push(
        ...checkQa(policy.qa, selectEvidence<QaSummary>(evidence, { ...fromRules, kind: 'qa' }), context),
      );
    if (policy.stress)
      requirements.push(
        ...checkStress(
          policy.stress,
          selectEvidence<StressSummary>(evidence, {
            ...fromRules,
            kind: 'stress',
            servedProblem: (e) => served(e) ?? onListener(e),
          }),
          context,
        ),
      );
    if (policy.approvals) {
      // Approvals are given for entering this environment and do not expire with the test evidence.
      const selection = selectEvidence<ApprovalSummary>(evidence, {
        kind: 'approval',
        release,
        environment,
        now,
        trust,
      });
      const signed = verifiedRelease(release, trust, now);
      requirements.push(checkApprovals(policy.approvals, selection, signed, environment));
    }
    if (policy.freezeWindows.length) {
      const recorded = selectEvidence<OverrideSummary>(evidence, {
        kind: 'override',
        release,
        environment,
        now,
        trust,
      }).usable;
      // Only recorded overrides, each signed by the person who overrode: a name passed in counts for nothing.
      const overrides: OverrideRequest[] = recorded.map((e) => ({ ...e.summary, evidence: e }));
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
    ...input.provenance,
    targetKind: input.trust.targetKind,
  };
}
