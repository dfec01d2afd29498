import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, Evidence, RequirementResult } from '@shipgate/model';
import { evaluateGate } from './evaluate-gate';
import type { GateInput } from './evaluate-gate';
import type { QaSummary, StressSummary } from './summaries';
import {
  approval,
  context,
  now,
  otherRelease,
  policy,
  qaFrom,
  release,
  stagingDeployment,
  stressFrom,
  trustWorld,
  type TrustWorld,
} from './testing/gate-fixtures';

let qaPass: Evidence<QaSummary>;
let stressPass: Evidence<StressSummary>;
let approvals: Evidence<unknown>[];

let world: TrustWorld;

beforeAll(async () => {
  world = await trustWorld();
  qaPass = await qaFrom('vitest-pass.junit.xml');
  stressPass = await stressFrom('k6-pass.handle-summary.json');
  approvals = [approval('alice'), approval('carol')];
});

afterAll(() => world.remove());

/** The gate over the input, every record signed by its producer (records that carry an envelope stay as they are). */
async function gate(overrides: Partial<GateInput> = {}): Promise<Decision> {
  const evidence = overrides.evidence ?? [qaPass, stressPass, ...approvals];
  const signed = await Promise.all(evidence.map((e) => (e.envelope ? e : world.sign(e))));
  const r = overrides.release ?? release;
  return evaluateGate({
    environment: 'production',
    policy: policy(),
    now,
    trust: world.trust,
    deployments: [await world.signDeployment(stagingDeployment())],
    ...overrides,
    evidence: signed,
    // Signed by the build CI identity, as `release create` records it (records already signed stay as they are).
    release: r.envelope ? r : await world.signRelease(r),
  });
}

function req(decision: Decision, id: string): RequirementResult {
  const found = decision.requirements.find((r) => r.id === id);
  if (!found) throw new Error(`no requirement ${id} in ${decision.requirements.map((r) => r.id).join(', ')}`);
  return found;
}

const allIds = [
  'qa.evidence',
  'qa.tests',
  'qa.failures',
  'qa.skipped',
  'stress.evidence',
  'stress.tool',
  'stress.thresholds',
  'stress.duration',
  'stress.peak-vus',
  'stress.requests',
  'stress.release-check',
  'stress.failed-requests',
  'stress.p95',
  'approvals',
  'freeze',
];

describe('evaluateGate: the pass case from the real k6-pass and vitest-pass fixtures', () => {
  it('passes every requirement and says what it observed', async () => {
    const decision = await gate();
    expect(decision.requirements.map((r) => r.id)).toEqual(allIds);
    expect(decision.requirements.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(decision).toMatchObject({
      outcome: 'pass',
      releaseId: release.id,
      digest: release.digest,
      environment: 'production',
      evaluatedAt: '2026-06-10T12:00:00.000Z',
    });
    expect(req(decision, 'qa.tests').reason).toBe('25 tests ≥ 10 required');
    expect(req(decision, 'qa.evidence')).toMatchObject({
      required: 'from staging, this digest, ≤ 72h old, intact',
      observed: '25 tests (vitest)',
      reason: 'recorded 3 h ago in staging by ci-bot, content hash verified',
      evidenceIds: [qaPass.id],
    });
    expect(req(decision, 'approvals').required).toBe('≥ 2 of alice, @acme/release-managers; not author or creator');
    expect(req(decision, 'freeze').required).toBe('outside year-end, weekends, or an override');
    expect(req(decision, 'stress.thresholds').reason).toBe('all 9 thresholds passed');
    expect(req(decision, 'stress.duration').reason).toBe('10.6 s ≥ 10 s minimum');
    expect(req(decision, 'stress.peak-vus').reason).toBe('19 VUs ≥ 15 minimum');
    expect(req(decision, 'stress.p95').reason).toBe('p95 46.5 ms ≤ limit 300 ms');
    expect(req(decision, 'stress.release-check').reason).toBe(
      'every one of 110 responses checked identified this release',
    );
    expect(req(decision, 'approvals')).toMatchObject({
      observed: '2 of 2: alice, carol',
      reason: 'approved by alice, carol',
    });
    expect(req(decision, 'freeze').reason).toBe('outside every freeze window (year-end, weekends)');
    expect(req(decision, 'stress.evidence').evidenceIds).toEqual([stressPass.id]);
  });

  it('gives the same decision id for the same input', async () => {
    expect((await gate()).id).toBe((await gate()).id);
    expect((await gate()).id).toMatch(/^dec-[0-9a-f]{16}$/);
  });
});

describe('evaluateGate: evidence that does not count', () => {
  it('ignores evidence for another digest', async () => {
    const foreign = await qaFrom('vitest-pass.junit.xml', { release: otherRelease });
    const decision = await gate({ evidence: [foreign, stressPass, ...approvals] });
    expect(decision.outcome).toBe('block');
    expect(req(decision, 'qa.evidence')).toMatchObject({ status: 'missing', observed: 'none usable' });
    expect(req(decision, 'qa.evidence').reason).toContain(
      `${foreign.id} is for another digest sha256:b2b2b2b2b2b2…(this release is sha256:a1a1a1a1a1a1…)`.replace(
        '…(',
        '… (',
      ),
    );
    expect(req(decision, 'qa.tests')).toMatchObject({
      status: 'missing',
      observed: '—',
      reason: 'no usable QA evidence to measure (see qa.evidence)',
    });
  });

  it('ignores evidence from the wrong environment', async () => {
    const fromTest = await qaFrom('vitest-pass.junit.xml', { environment: 'test' });
    const decision = await gate({ evidence: [fromTest, stressPass, ...approvals] });
    expect(req(decision, 'qa.evidence').status).toBe('missing');
    expect(req(decision, 'qa.evidence').reason).toBe(
      `1 record ignored: ${fromTest.id} was recorded in test; the policy requires evidence from staging; run the tests in staging and record the JUnit report with \`shipgate qa\` or \`shipgate evidence add --junit FILE\``,
    );
  });

  it('marks evidence older than maxEvidenceAge as stale', async () => {
    const old = await stressFrom('k6-pass.handle-summary.json', { recordedAt: new Date('2026-06-07T04:00:00Z') });
    const decision = await gate({ evidence: [qaPass, old, ...approvals] });
    expect(decision.outcome).toBe('block');
    expect(req(decision, 'stress.evidence').status).toBe('stale');
    expect(req(decision, 'stress.evidence').reason).toContain(
      `${old.id} is stale: recorded 80 h ago, the policy accepts at most 72h`,
    );
    expect(req(decision, 'stress.thresholds').status).toBe('stale');
  });

  it('fails tampered evidence: the summary no longer matches its content hash', async () => {
    const honest = await qaFrom('vitest-mixed.junit.xml');
    const tampered = { ...honest, summary: { ...honest.summary, failures: 0, passed: 5, failedCases: [] } };
    const decision = await gate({ evidence: [tampered, stressPass, ...approvals] });
    const r = req(decision, 'qa.evidence');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(
      new RegExp(
        `^${tampered.id} was altered after it was recorded: its summary hashes to [0-9a-f]{12}…, the record says ${honest.contentHash.slice(0, 12)}…$`,
      ),
    );
    expect(r.evidenceIds).toEqual([tampered.id]);
  });

  it('says so when there is no evidence at all', async () => {
    const decision = await gate({ evidence: [] });
    expect(req(decision, 'stress.evidence')).toMatchObject({ status: 'missing', observed: 'none' });
    expect(req(decision, 'stress.evidence').reason).toMatch(
      /^no stress evidence recorded for this release; run the load test in staging with `shipgate stress`/,
    );
    expect(req(decision, 'approvals').reason).toBe(
      '0 counted approvals < 2 required; approve with `shipgate approve` or a GitHub environment review for production',
    );
  });

  it('uses the newest usable record', async () => {
    const older = await qaFrom('vitest-mixed.junit.xml', { recordedAt: new Date('2026-06-10T07:00:00Z') });
    expect((await gate({ evidence: [older, qaPass, stressPass, ...approvals] })).outcome).toBe('pass');
  });
});

describe('evaluateGate: QA and stress limits', () => {
  it('blocks on failures and reports the first failed case', async () => {
    const decision = await gate({ evidence: [await qaFrom('pytest-mixed.junit.xml'), stressPass, ...approvals] });
    expect(req(decision, 'qa.failures')).toMatchObject({ status: 'fail', observed: '1 failure + 1 error' });
    expect(req(decision, 'qa.failures').reason).toBe(
      '1 failure + 1 error > 0 allowed; first: pytest › test_cancel_order: AssertionError: assert 409 == 200',
    );
    expect(req(decision, 'qa.tests').reason).toBe('6 tests < 10 required');
  });

  it('blocks on a failed k6 threshold from the real failing run, whatever else it shows', async () => {
    const failing = await stressFrom('k6-fail.handle-summary.json', {}, (s) => ({
      ...s,
      checks: [
        ...s.checks,
        { name: 'slow body has delay_ms', path: '::slow body has delay_ms', passes: 214, fails: 0 },
      ],
    }));
    const decision = await gate({ evidence: [qaPass, failing, ...approvals] });
    expect(decision.outcome).toBe('block');
    expect(req(decision, 'stress.thresholds')).toMatchObject({ status: 'fail', observed: '5 of 7 failed' });
    expect(req(decision, 'stress.thresholds').reason).toBe(
      '5 k6 thresholds failed: checks rate>0.99 (was 0.9579), flaky_errors count<3 (was 9), flaky_success rate>0.99 (was 0.9579), http_req_duration{endpoint:flaky} p(95)<2 (was 11.52), http_req_failed rate<0.01 (was 0.04206); a failed threshold blocks whatever else the run shows',
    );
    expect(req(decision, 'stress.failed-requests').reason).toBe('4.21% (9 of 214) > 1% allowed');
    expect(req(decision, 'stress.p95')).toMatchObject({ status: 'pass', reason: 'p95 11.5 ms ≤ limit 300 ms' });
  });

  it('cannot measure the duration of a summary-export file and says how to fix it', async () => {
    const exported = await stressFrom('k6-pass.summary-export.json');
    const decision = await gate({ evidence: [qaPass, exported, ...approvals] });
    expect(req(decision, 'stress.duration')).toMatchObject({ status: 'missing', observed: 'not recorded' });
    expect(req(decision, 'stress.duration').reason).toBe(
      "the summary-export file records no test duration; run the test with `shipgate stress` (which measures it) or record k6's handleSummary JSON",
    );
  });

  it('does not accept a smoke-sized run as stress', async () => {
    const smoke = await stressFrom('k6-pass.handle-summary.json', {}, (s) => ({
      ...s,
      peakVus: 1,
      httpRequests: 20,
      iterations: 10,
      durationMs: 5_000,
    }));
    const decision = await gate({ evidence: [qaPass, smoke, ...approvals] });
    expect(req(decision, 'stress.peak-vus').reason).toBe(
      '1 VU < 15 minimum: a smoke-sized run does not count as stress',
    );
    expect(req(decision, 'stress.requests').reason).toBe(
      '20 requests < 200 minimum: a smoke-sized run does not count as stress',
    );
    expect(req(decision, 'stress.duration').reason).toBe(
      '5 s < 10 s minimum: a run this short is a smoke test, not stress',
    );
    expect(req(decision, 'stress.thresholds').status).toBe('pass');
  });

  it('blocks when the release check is missing from the run', async () => {
    const decision = await gate({
      policy: policy((p) => ({ ...p, stress: { ...p.stress, releaseCheck: 'serves the release under test' } })),
    });
    expect(req(decision, 'stress.release-check')).toMatchObject({
      status: 'fail',
      observed: 'check absent',
      required: 'check "serves the release under test" present, never failing',
    });
    expect(req(decision, 'stress.release-check').reason).toBe(
      'the run has no check named "serves the release under test", so nothing shows the load reached this release (checks present: "health status is 200", "slow status is 200", "slow body has delay_ms")',
    );
  });

  it('blocks when the release check failed: some load went elsewhere', async () => {
    const mixed = await stressFrom('k6-pass.handle-summary.json', {}, (s) => ({
      ...s,
      checks: s.checks.map((c) => (c.name === 'slow body has delay_ms' ? { ...c, passes: 100, fails: 10 } : c)),
    }));
    expect(req(await gate({ evidence: [qaPass, mixed, ...approvals] }), 'stress.release-check').reason).toBe(
      'check "slow body has delay_ms" failed 10 of 110 times: some responses did not come from this release',
    );
  });

  it('refuses results from a tool the policy does not accept', async () => {
    const fromAutocannon = await stressFrom('k6-pass.handle-summary.json', {}, (s) => ({ ...s, tool: 'autocannon' }));
    const r = req(await gate({ evidence: [qaPass, fromAutocannon, ...approvals] }), 'stress.tool');
    expect(r).toMatchObject({
      status: 'fail',
      observed: 'autocannon',
      reason: 'results from autocannon are not accepted; the policy accepts k6',
    });
  });
});

describe('evaluateGate: approvals', () => {
  const approvalsOf = async (list: Evidence<unknown>[]) =>
    req(await gate({ evidence: [qaPass, stressPass, ...list] }), 'approvals');

  it('blocks with too few approvals', async () => {
    expect(await approvalsOf([approval('alice')])).toMatchObject({
      status: 'fail',
      observed: '1 of 2: alice',
      reason: '1 counted approval < 2 required',
    });
  });

  it("does not count the author's approval, even through a team", async () => {
    const r = await approvalsOf([approval('alice'), approval('dave')]);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('1 counted approval < 2 required; approved by dave (author) — not counted');
  });

  it('does not count the creator of the release nor someone who is not a release manager', async () => {
    const r = await approvalsOf([approval('alice'), approval('ci-bot'), approval('mallory')]);
    expect(r.reason).toBe(
      '1 counted approval < 2 required; approved by ci-bot (creator of the release) — not counted; approved by mallory (not a release manager) — not counted',
    );
  });

  it('counts the same person once', async () => {
    const r = await approvalsOf([
      approval('carol'),
      approval('Carol', { recordedAt: new Date('2026-06-10T10:00:00Z') }),
    ]);
    expect(r).toMatchObject({ status: 'fail', observed: '1 of 2: Carol' });
    expect(r.reason).toBe('1 counted approval < 2 required; Carol approved 2 times — counted once');
  });

  it('counts only approvals for this digest and this environment', async () => {
    const r = await approvalsOf([
      approval('alice'),
      approval('carol', { release: otherRelease }),
      approval('dave', { environment: 'staging' }),
    ]);
    expect(r.status).toBe('fail');
    expect(r.reason).toContain(
      'is for another digest sha256:b2b2b2b2b2b2… (this release is sha256:a1a1a1a1a1a1…) — not counted',
    );
    expect(r.reason).toContain('was recorded in staging; the policy requires evidence from production — not counted');
  });

  it('blocks when a release manager rejected, even with enough approvals', async () => {
    const r = await approvalsOf([
      approval('alice'),
      approval('carol'),
      approval('dave', {}, 'rejected', 'p95 regressed on /orders'),
    ]);
    expect(r).toMatchObject({ status: 'fail', reason: 'rejected by dave: "p95 regressed on /orders"' });
  });
});

describe('evaluateGate: freeze windows and overrides', () => {
  it('blocks inside a dated window read in Europe/Berlin, and not an hour before it starts there', async () => {
    // 2026-12-21 23:30 UTC is 00:30 on 22 December in Berlin.
    const inside = req(await gate({ now: new Date('2026-12-21T23:30:00Z') }), 'freeze');
    expect(inside).toMatchObject({ status: 'fail', observed: 'frozen (year-end)' });
    expect(inside.reason).toBe(
      'inside freeze window year-end (2026-12-22 00:00 → 2027-01-04 00:00 Europe/Berlin): it is tue 2026-12-22 00:30 there; in an emergency, alice may override with a reason',
    );
    expect(req(await gate({ now: new Date('2026-12-21T22:30:00Z') }), 'freeze').status).toBe('pass');
  });

  it('blocks inside a recurring weekend window read in America/New_York', async () => {
    // Saturday 00:30 in New York is 04:30 UTC; Friday 23:00 there is 03:00 UTC on Saturday.
    const saturday = req(await gate({ now: new Date('2026-06-13T04:30:00Z') }), 'freeze');
    expect(saturday.status).toBe('fail');
    expect(saturday.reason).toMatch(
      /^inside freeze window weekends \(sat, sun 00:00 → 24:00 America\/New_York\): it is sat 2026-06-13 00:30 there/,
    );
    expect(req(await gate({ now: new Date('2026-06-13T03:00:00Z') }), 'freeze').status).toBe('pass');
  });

  it('handles a recurring window that crosses midnight', async () => {
    const nightly = policy((p) => ({
      ...p,
      freezeWindows: [{ name: 'batch', days: ['fri'], from: '22:00', to: '06:00', timeZone: 'Asia/Tokyo' }],
    }));
    // Saturday 05:00 in Tokyo (Friday 20:00 UTC) is still inside Friday's window; 06:00 is not.
    expect(req(await gate({ policy: nightly, now: new Date('2026-06-12T20:00:00Z') }), 'freeze').status).toBe('fail');
    expect(req(await gate({ policy: nightly, now: new Date('2026-06-12T21:00:00Z') }), 'freeze').status).toBe('pass');
    expect(req(await gate({ policy: nightly, now: new Date('2026-06-12T13:00:00Z') }), 'freeze').status).toBe('fail');
  });

  const at = new Date('2026-12-23T10:00:00Z');
  /** An override recorded (and, in gate(), signed by `by`) at `when`, lifting year-end for 24 h. */
  const override = async (by: string, reason: string, when = new Date('2026-12-23T09:30:00Z'), freeze = 'year-end') => {
    const { overrideEvidence } = await import('./build-evidence');
    const expiresAt = new Date(when.getTime() + 24 * 3600_000).toISOString();
    return overrideEvidence(
      { by, reason, freeze, expiresAt },
      context({ environment: 'production', recordedAt: when }),
    );
  };
  const withOverride = async (...list: Evidence<unknown>[]) => [qaPass, stressPass, ...approvals, ...list];

  it('lets an allowed person override with a reason, and the decision says so', async () => {
    const recordedAt = new Date('2026-12-23T08:00:00Z');
    const fresh = [
      await qaFrom('vitest-pass.junit.xml', { recordedAt }),
      await stressFrom('k6-pass.handle-summary.json', { recordedAt }),
      ...approvals,
    ];
    const decision = await gate({
      now: new Date('2026-12-23T10:00:00Z'),
      evidence: [...fresh, await override('alice', 'CVE-2026-1234 hotfix')],
    });
    const r = req(decision, 'freeze');
    expect(r).toMatchObject({ status: 'pass', observed: 'frozen; emergency override by alice' });
    expect(r.reason).toBe(
      'inside freeze window year-end (2026-12-22 00:00 → 2027-01-04 00:00 Europe/Berlin): it is wed 2026-12-23 11:00 there; emergency override by alice: "CVE-2026-1234 hotfix" (recorded in the audit log)',
    );
    expect(decision.outcome).toBe('pass');
  });

  it('refuses an override by someone not allowed, or without a reason', async () => {
    const byCarol = await withOverride(await override('carol', 'urgent'));
    expect(req(await gate({ now: at, evidence: byCarol }), 'freeze').reason).toMatch(
      /; override by carol refused: not in emergencyOverride.allowedBy \(alice\)$/,
    );
    const noReason = await withOverride(await override('alice', ' '));
    expect(req(await gate({ now: at, evidence: noReason }), 'freeze').reason).toMatch(
      /; override by alice refused: the policy requires a reason$/,
    );
    const strict = policy((p) => ({ ...p, emergencyOverride: undefined }));
    const some = await withOverride(await override('alice', 'x'));
    expect(req(await gate({ policy: strict, now: at, evidence: some }), 'freeze').reason).toMatch(
      /; override by alice refused: this policy allows no emergency override$/,
    );
  });

  it('refuses an override recorded before the freeze it lifts, an expired one, and one of another freeze (#12.5)', async () => {
    const monthBefore = await withOverride(await override('alice', 'recorded early', new Date('2026-11-20T10:00:00Z')));
    expect(req(await gate({ now: at, evidence: monthBefore }), 'freeze').reason).toContain(
      'override by alice refused: expected an override recorded inside the freeze year-end it lifts, found one recorded 2026-11-20T10:00:00.000Z, outside it',
    );
    const expired = await withOverride(
      await override('alice', 'recorded at the start', new Date('2026-12-22T00:30:00Z')),
    );
    expect(req(await gate({ now: at, evidence: expired }), 'freeze').reason).toContain(
      'override by alice refused: expected an override that has not expired, found one that expired 2026-12-23T00:30:00.000Z',
    );
    const other = await withOverride(await override('alice', 'wrong window', undefined, 'weekends'));
    expect(req(await gate({ now: at, evidence: other }), 'freeze').reason).toContain(
      'expected an override of freeze year-end, found one of weekends',
    );
  });

  it('does not count an override an unsigned name asked for (--as alice --emergency-override)', async () => {
    const claimed = await override('alice', 'I am alice, honest');
    const { signRecord } = await import('@shipgate/trust');
    const { evidenceCodec } = await import('./evidence-statement');
    const byMallory = await signRecord(claimed, evidenceCodec as never, [world.people.mallory!]);
    const r = req(await gate({ now: at, evidence: await withOverride(byMallory as Evidence<unknown>) }), 'freeze');
    expect(r.status).toBe('fail');
  });

  it('counts an override recorded as evidence for this digest', async () => {
    const recorded = await override('alice', 'payment outage fix');
    const r = req(await gate({ now: at, evidence: await withOverride(recorded) }), 'freeze');
    expect(r).toMatchObject({ status: 'pass', evidenceIds: [recorded.id] });
  });
});

describe('evaluateGate: the whole list', () => {
  it('never stops at the first failure', async () => {
    const decision = await gate({
      evidence: [
        await qaFrom('jest-mixed.junit.xml'),
        await stressFrom('k6-fail.summary-export.json'),
        approval('dave'),
      ],
      now: new Date('2026-06-13T04:30:00Z'),
    });
    expect(decision.outcome).toBe('block');
    expect(decision.requirements.map((r) => r.id)).toEqual(allIds);
    expect(decision.requirements.filter((r) => r.status === 'pass').map((r) => r.id)).toEqual([
      'qa.evidence',
      'qa.skipped',
      'stress.evidence',
      'stress.tool',
      'stress.peak-vus',
      'stress.requests',
      'stress.p95',
    ]);
  });

  it('passes an environment without a policy and says nothing was required', async () => {
    const decision = evaluateGate({
      release,
      environment: 'test',
      policy: undefined,
      evidence: [],
      now,
      trust: world.trust,
    });
    expect(decision.outcome).toBe('pass');
    expect(decision.requirements).toEqual([
      {
        id: 'policy',
        title: 'Promotion policy',
        status: 'pass',
        required: 'none configured',
        observed: 'none',
        reason: 'test has no promotion policy; nothing is required to enter it',
      },
    ]);
  });
});
