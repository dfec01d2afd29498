import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRelease, promotionPolicySchema } from '@shipgate/model';
import type { DeploymentRecord, Evidence, PromotionPolicy, PromotionPolicyInput, Release } from '@shipgate/model';
import {
  createKeySigner,
  createPolicyVerifier,
  createSshDsseSigner,
  deploymentCodec,
  loadSshKeyFile,
  parseAllowedSigners,
  releaseCodec,
  signRecord,
  type RecordCodec,
  type SignerPort,
  type TrustedKey,
} from '@shipgate/trust';
import { evidenceCodec } from '../evidence-statement';
import type { GateTrust } from '../verify-evidence';
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
  const summary = { ...parsed.summary, target: 'http://127.0.0.1:18180', listenerOf: 'staging' };
  return stressEvidence(change(summary), context({ sourceHash: parsed.sourceHash, ...ctx }));
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

/** A deployment of `release` into staging that finished before the fixtures' evidence was recorded. */
export function stagingDeployment(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'dep-staging-1',
    releaseId: release.id,
    service: release.service,
    environment: 'staging',
    digest: release.digest,
    controller: 'codedeploy',
    kind: 'deploy',
    startedBy: 'ci-bot',
    startedAt: '2026-06-10T08:10:00.000Z',
    finishedAt: '2026-06-10T08:20:00.000Z',
    outcome: 'succeeded',
    ...overrides,
  };
}

/**
 * Real keys for the gate's tests: a CI key per environment (ed25519, made in memory), SSH keys made by
 * ssh-keygen for the people, and the verifier over them; `sign` signs a record as its producer would.
 */
export interface TrustWorld {
  trust: GateTrust;
  ci: Record<string, SignerPort>;
  people: Record<string, SignerPort>;
  /** Signs evidence by who produces it: QA and stress by its environment's CI key, approvals and overrides by the person. */
  sign<T>(evidence: Evidence<T>): Promise<Evidence<T>>;
  signDeployment(d: DeploymentRecord): Promise<DeploymentRecord>;
  /** Signs a release as the build CI identity (trust.build.ci) does; `ci.build` is its signer. */
  signRelease(r: Release): Promise<Release>;
  remove(): void;
}

/** Builds the test world: CI keys for test, staging, production and the build; SSH keys for `people`. */
export async function trustWorld(people = ['alice', 'carol', 'dave', 'bob', 'mallory', 'ci-bot']): Promise<TrustWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-gate-keys-'));
  const ci: Record<string, SignerPort> = {};
  const keys: TrustedKey[] = [];
  for (const env of ['test', 'staging', 'production']) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const identity = { kind: 'ci' as const, name: `${env} CI`, environment: env };
    ci[env] = createKeySigner(privateKey, identity);
    keys.push({ publicKey, identity });
  }
  const build = generateKeyPairSync('ed25519');
  const buildIdentity = { kind: 'ci' as const, name: 'build CI', build: true as const };
  ci.build = createKeySigner(build.privateKey, buildIdentity);
  keys.push({ publicKey: build.publicKey, identity: buildIdentity });
  const signers: Record<string, SignerPort> = {};
  const lines: string[] = [];
  for (const name of people) {
    const path = join(dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
    const pub = readFileSync(`${path}.pub`, 'utf8').trim().split(' ');
    lines.push(`${name} namespaces="shipgate-approval" ${pub[0]} ${pub[1]}`);
    signers[name] = createSshDsseSigner(await loadSshKeyFile(path), 'shipgate-approval', name);
  }
  const parsed = parseAllowedSigners(lines.join('\n'));
  if (!parsed.ok) throw new Error('allowed signers of the test world do not parse');
  const verifier = createPolicyVerifier({ keys, people: { signers: parsed.value, namespace: 'shipgate-approval' } });
  const trust: GateTrust = { verifier, targetKind: 'aws' };
  return {
    trust,
    ci,
    people: signers,
    async sign<T>(evidence: Evidence<T>) {
      const who =
        evidence.kind === 'approval'
          ? signers[(evidence.summary as ApprovalSummary).approver.toLowerCase()]
          : evidence.kind === 'override'
            ? signers[(evidence.summary as unknown as { by: string }).by.toLowerCase()]
            : ci[evidence.environment];
      if (!who) throw new Error(`no key in the test world for ${evidence.kind} ${evidence.id}`);
      return signRecord(evidence, evidenceCodec as unknown as RecordCodec<Evidence<T>>, [who]);
    },
    signDeployment: (d) => signRecord(d, deploymentCodec, [ci[d.environment]!]),
    signRelease: (r) => signRecord(r, releaseCodec, [ci.build!]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
