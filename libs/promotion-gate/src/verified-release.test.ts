import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRelease, type Decision, type Evidence, type Release } from '@shipgate/model';
import { releaseCodec, signRecord } from '@shipgate/trust';
import { evaluateGate } from './evaluate-gate';
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
import { verifiedRelease } from './verified-release';

// A release's authors may not approve it, so who the authors are must come from the build CI identity's
// signature, never from the stored file (#12: delete yourself from `authors` and approve your own release).
let world: TrustWorld;
let evidence: Evidence<unknown>[];

beforeAll(async () => {
  world = await trustWorld();
  evidence = await Promise.all(
    [
      await qaFrom('vitest-pass.junit.xml'),
      await stressFrom('k6-pass.handle-summary.json'),
      approval('alice'),
      approval('dave'),
    ].map((e) => world.sign(e as Evidence<unknown>)),
  );
});
afterAll(() => world.remove());

async function gate(stored: Release): Promise<Decision> {
  return evaluateGate({
    release: stored,
    environment: 'production',
    policy: policy(),
    evidence,
    now,
    trust: world.trust,
    deployments: [await world.signDeployment(stagingDeployment())],
  });
}
const approvals = (d: Decision) => d.requirements.find((r) => r.id === 'approvals')!;

describe('the release the approval check reads', () => {
  it('signed by the build CI identity: its authors are believed (dave wrote it, so his approval does not count)', async () => {
    const d = approvals(await gate(await world.signRelease(release)));
    expect(d.status).toBe('fail');
    expect(d.observed).toBe('1 of 2: alice');
    expect(d.reason).toContain('approved by dave (author) — not counted');
  });

  it('with the author deleted from the stored record: refused as edited, and no approval counts', async () => {
    const signed = await world.signRelease(release);
    const edited = { ...signed, author: 'someone@example.com', authors: [] };
    const d = approvals(await gate(edited));
    expect(d.status).toBe('fail');
    expect(d.observed).toBe("0 of 2: the release's authors are not verified");
    expect(d.reason).toContain(
      `release ${release.id} refused (record-mismatch): expected author "dave@example.com" (as signed), found "someone@example.com" in the stored record`,
    );
    expect(d.reason).toContain('run `shipgate audit verify` and restore it');
  });

  it('unsigned (a release recorded before release signing): refused with what to do', async () => {
    const d = approvals(await gate(release));
    expect(d.status).toBe('fail');
    expect(d.reason).toContain(
      `release ${release.id} refused (unsigned): expected a release record signed by an identity the trust policy names, found an unsigned record`,
    );
    expect(d.reason).toContain('build and create a new release');
  });

  it('re-signed by a key that is not the build identity (staging’s CI): refused, naming both', async () => {
    const byStaging = await signRecord(release, releaseCodec, [world.ci.staging!]);
    const d = approvals(await gate(byStaging));
    expect(d.status).toBe('fail');
    expect(d.reason).toContain(
      `release ${release.id} refused (signer-role): expected release ${release.id} signed by the build CI identity (trust.build.ci), found it signed by staging CI`,
    );
  });

  it('with another release’s envelope replayed under its id: refused', async () => {
    // Same image, another commit: the subject digest matches, so the statement's own id must not.
    const other = makeRelease({
      service: release.service,
      image: release.image,
      gitSha: '1a2b3c4',
      createdBy: 'ci-bot',
      createdAt: new Date('2026-06-10T07:00:00Z'),
    });
    const otherSigned = await world.signRelease(other);
    const replayed = { ...release, envelope: otherSigned.envelope };
    const d = approvals(await gate(replayed));
    expect(d.reason).toContain(
      `release ${release.id} refused (record-mismatch): expected the signed statement of release ${release.id}, found that of release ${other.id} (an envelope replayed under another id)`,
    );
    const check = verifiedRelease(replayed, world.trust, now);
    expect(check.ok).toBe(false);
  });
});
