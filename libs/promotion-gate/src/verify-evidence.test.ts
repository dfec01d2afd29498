import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRelease, type Decision, type Evidence } from '@shipgate/model';
import { createKeySigner, signRecord } from '@shipgate/trust';
import { evaluateGate, type GateInput } from './evaluate-gate';
import { evidenceCodec } from './evidence-statement';
import type { QaSummary, StressSummary } from './summaries';
import {
  approval,
  now,
  policy,
  qaFrom,
  release,
  stagingDeployment,
  stressFrom,
  trustWorld,
  type TrustWorld,
} from './testing/gate-fixtures';
import { verifyEvidence } from './verify-evidence';

// The gate counts only the signed content of a record, by a signer of the right role (#12 items 2 and 4).
let world: TrustWorld;
let qa: Evidence<QaSummary>;
let stress: Evidence<StressSummary>;
let approvals: Evidence<unknown>[];

beforeAll(async () => {
  world = await trustWorld();
  qa = await world.sign(await qaFrom('vitest-pass.junit.xml'));
  stress = await world.sign(await stressFrom('k6-pass.handle-summary.json'));
  approvals = [await world.sign(approval('alice')), await world.sign(approval('carol'))];
});
afterAll(() => world.remove());

async function gate(evidence: Evidence<unknown>[], overrides: Partial<GateInput> = {}): Promise<Decision> {
  const r = overrides.release ?? release;
  return evaluateGate({
    environment: 'production',
    policy: policy(),
    evidence,
    now,
    trust: world.trust,
    deployments: [await world.signDeployment(stagingDeployment())],
    ...overrides,
    // Signed by the build CI identity, as `release create` records it (records already signed stay as they are).
    release: r.envelope ? r : await world.signRelease(r),
  });
}
const reason = (d: Decision, id: string) => d.requirements.find((r) => r.id === id)!;

describe('signed evidence in the gate', () => {
  it('passes on signed evidence and approvals (the honest path)', async () => {
    expect((await gate([qa, stress, ...approvals])).outcome).toBe('pass');
  });

  it('does not count an unsigned record, and says what it expected', async () => {
    const { envelope: _drop, ...unsigned } = qa;
    const r = reason(await gate([unsigned as Evidence<unknown>, stress, ...approvals]), 'qa.evidence');
    expect(r.status).toBe('missing');
    expect(r.reason).toContain(
      `${qa.id} refused (unsigned): expected evidence signed by an identity the trust policy names, found an unsigned record`,
    );
  });

  it.each([
    ['recordedAt', { recordedAt: '2026-06-10T11:59:00.000Z' }],
    ['environment', { environment: 'test' }],
    ['summary', { summary: { ...({} as QaSummary), tests: 99 } }],
    ['contentHash', { contentHash: '0'.repeat(64) }],
    ['origin', { origin: { actor: 'carol', where: 'local' } }],
    ['sourceHash', { sourceHash: 'f'.repeat(64) }],
  ])('fails a signed record whose %s was edited in the store, naming expected and found', async (field, edit) => {
    const edited = { ...qa, ...edit } as Evidence<unknown>;
    const r = reason(await gate([edited, stress, ...approvals]), 'qa.evidence');
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(new RegExp(`refused \\((record-mismatch|binding-mismatch)\\): expected`));
    if (field !== 'environment') expect(r.reason).toContain(`expected ${field} `);
    else expect(r.reason).toContain('environment staging');
  });

  it('fails a record whose signature no longer covers its payload (a byte changed)', async () => {
    const original = Buffer.from(qa.envelope!.payload, 'base64').toString('utf8');
    const payload = original.replaceAll(`"failures":0`, `"failures":1`);
    expect(payload).not.toBe(original);
    const forged = { ...qa, envelope: { ...qa.envelope!, payload: Buffer.from(payload).toString('base64') } };
    const r = reason(await gate([forged, stress, ...approvals]), 'qa.evidence');
    expect(r.status).toBe('fail');
    expect(r.reason).toContain('refused (bad-signature): expected a valid signature by');
  });

  it('does not count QA signed by a key nobody named, or by another environment’s CI', async () => {
    const stranger = createKeySigner(generateKeyPairSync('ed25519').privateKey, { kind: 'ci', name: 'laptop' });
    const bare = await qaFrom('vitest-pass.junit.xml');
    const selfSigned = await signRecord(bare, evidenceCodec as never, [stranger]);
    const byProduction = await signRecord(bare, evidenceCodec as never, [world.ci.production!]);
    for (const forged of [selfSigned, byProduction] as Evidence<unknown>[]) {
      const r = reason(await gate([forged, stress, ...approvals]), 'qa.evidence');
      expect(r.status).toBe('missing');
    }
    const why = verifyEvidence(byProduction as Evidence, release, world.trust, now);
    expect(why.ok).toBe(false);
    if (!why.ok)
      expect(why.refusal.message).toBe(
        "expected qa evidence from staging signed by staging's CI identity, found it signed by production's CI identity",
      );
  });

  it('does not count an approval signed by someone other than the approver it names (--as carol)', async () => {
    const claimed = approval('carol');
    const forged = await signRecord(claimed, evidenceCodec as never, [world.people.mallory!]);
    const r = reason(await gate([qa, stress, approvals[0]!, forged as Evidence<unknown>]), 'approvals');
    expect(r.status).toBe('fail');
    expect(r.reason).toContain('found it signed by person mallory');
  });

  it('does not carry approvals over to another release of the same image', async () => {
    const sameImage = makeRelease({
      service: release.service,
      image: release.image,
      gitSha: 'ffff999',
      createdBy: 'ci-bot',
      createdAt: new Date('2026-06-10T10:00:00Z'),
    });
    const d = await gate([qa, stress, ...approvals], { release: sameImage });
    expect(reason(d, 'approvals').status).toBe('fail');
    expect(reason(d, 'approvals').reason).toContain(
      `is for release ${release.id}, not ${sameImage.id} (same image, another release: a release starts with no evidence)`,
    );
  });

  it('does not count QA recorded while the release was not serving in staging', async () => {
    const d = await gate([qa, stress, ...approvals], { deployments: [] });
    expect(reason(d, 'qa.evidence').reason).toContain(
      `when no signed deployment record shows ${release.id} serving in staging: expected ${release.id}, found no release serving there then`,
    );
    const unsigned = await gate([qa, stress, ...approvals], { deployments: [stagingDeployment()] });
    expect(reason(unsigned, 'qa.evidence').reason).toContain('1 unsigned or unverifiable deployment record(s) ignored');
  });

  it('does not count stress run against another listener than staging’s', async () => {
    const wrong = await world.sign(
      await stressFrom('k6-pass.handle-summary.json', {}, (s) => ({
        ...s,
        target: 'http://127.0.0.1:18280',
        listenerOf: 'production',
      })),
    );
    const r = reason(await gate([qa, wrong, ...approvals]), 'stress.evidence');
    expect(r.status).toBe('missing');
    expect(r.reason).toContain(
      "was load against http://127.0.0.1:18280 (production's listener): expected staging's production listener",
    );
  });
});
