import { fileURLToPath } from 'node:url';
import { makeRelease, promotionPolicySchema } from '@shipgate/model';
import type { Evidence, PromotionPolicy, PromotionPolicyInput, Release } from '@shipgate/model';
import { approvalEvidence, qaEvidence, stressEvidence } from '../build-evidence';
import type { EvidenceContext } from '../build-evidence';
import { parseJunit } from '../parse-junit';
import { readK6Summary } from '../parse-k6-summary';
import type { ApprovalSummary, QaSummary, StressSummary } from '../summaries';

/** Shared set-up of the gate's tests: a release, a production policy, and evidence from the real fixtures. */
export const digestA = `sha256:${'a1'.repeat(32)}`;
export const digestB = `sha256:${'b2'.repeat(32)}`;

export const release: Release = makeRelease({
  service: 'sample-service',
  image: `registry.example.com/acme/sample-service:1.4.0@${digestA}`,
  gitSha: '0f3c9d2',
  author: 'dave@example.com',
  createdBy: 'ci-bot',
  createdAt: new Date('2026-06-10T08:00:00Z'),
});

export const otherRelease: Release = makeRelease({
  service: 'sample-service',
  image: `registry.example.com/acme/sample-service:1.3.9@${digestB}`,
  createdBy: 'ci-bot',
  createdAt: new Date('2026-06-09T08:00:00Z'),
});

/** Wednesday noon UTC: outside every window of the policy below. */
export const now = new Date('2026-06-10T12:00:00Z');
export const recordedAt = new Date('2026-06-10T09:00:00Z');

/**
 * The production policy of the tests. The real k6 fixtures were recorded against a fixture server that
 * does not report a release, so the pass case names one of their own checks as the release check.
 */
export const policyInput: PromotionPolicyInput = {
  from: 'staging',
  maxEvidenceAge: '72h',
  qa: { minTests: 10, maxFailures: 0, maxSkipped: 5 },
  stress: {
    tools: ['k6'],
    minDuration: '10s',
    minPeakVus: 15,
    minRequests: 200,
    releaseCheck: 'slow body has delay_ms',
    maxFailedRequestRate: 0.01,
    maxP95Ms: 300,
  },
  approvals: {
    required: 2,
    releaseManagers: ['alice', '@acme/release-managers'],
    teams: { '@acme/release-managers': ['carol', 'dave'] },
  },
  freezeWindows: [
    { name: 'year-end', start: '2026-12-22T00:00', end: '2027-01-04T00:00', timeZone: 'Europe/Berlin' },
    { name: 'weekends', days: ['sat', 'sun'], timeZone: 'America/New_York' },
  ],
  emergencyOverride: { allowedBy: ['alice'], requireReason: true },
};

/** The policy with defaults applied, optionally changed. */
export function policy(change: (p: PromotionPolicyInput) => PromotionPolicyInput = (p) => p): PromotionPolicy {
  return promotionPolicySchema.parse(change(structuredClone(policyInput)));
}

/** Context for evidence recorded in staging for the release. */
export function context(overrides: Partial<EvidenceContext> = {}): EvidenceContext {
  return {
    release,
    environment: 'staging',
    origin: { actor: 'ci-bot', where: 'https://github.com/acme/shop/actions/runs/42' },
    recordedAt,
    ...overrides,
  };
}

const fixture = (path: string) => fileURLToPath(new URL(`../__fixtures__/${path}`, import.meta.url));

/** QA evidence from a real JUnit fixture. */
export async function qaFrom(file: string, ctx: Partial<EvidenceContext> = {}): Promise<Evidence<QaSummary>> {
  const parsed = await parseJunit(fixture(`junit/${file}`));
  return qaEvidence(parsed.summary, context({ sourceHash: parsed.sourceHash, ...ctx }));
}

/** Stress evidence from a real k6 fixture. */
export async function stressFrom(
  file: string,
  ctx: Partial<EvidenceContext> = {},
  change: (s: StressSummary) => StressSummary = (s) => s,
): Promise<Evidence<StressSummary>> {
  const parsed = await readK6Summary(fixture(`k6/${file}`));
  return stressEvidence(change(parsed.summary), context({ sourceHash: parsed.sourceHash, ...ctx }));
}

/** An approval for production, given via the CLI. */
export function approval(
  approver: string,
  ctx: Partial<EvidenceContext> = {},
  state: 'approved' | 'rejected' = 'approved',
  comment = '',
): Evidence<ApprovalSummary> {
  return approvalEvidence(
    { approver, via: 'cli', state, comment },
    context({ environment: 'production', origin: { actor: approver, where: 'local' }, ...ctx }),
  );
}
