import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { contentHash, makeRelease, type Evidence } from '@shipgate/model';
import { createKeySigner, createPolicyVerifier, releaseCodec, signRecord } from '@shipgate/trust';
import { describe, expect, it } from 'vitest';
import { releaseVerificationOf, verificationOf } from './verification';

// Without a trust policy: what the ledger alone can tell. With one, verifyEvidence decides (tested in the
// browser test over a real, signed run, and in promotion-gate's own tests).
const digest = 'sha256:' + '1'.repeat(64);
const release = { id: 'rel-1', service: 'api', digest };
const summary = { tests: 3, failures: 0 };
const now = new Date('2026-12-01T11:00:00Z');
const evidence = (over: Partial<Evidence> = {}): Evidence => ({
  id: 'ev-1',
  kind: 'qa',
  releaseId: 'rel-1',
  service: 'api',
  digest,
  environment: 'staging',
  recordedAt: '2026-12-01T10:00:00.000Z',
  origin: { actor: 'ci', where: 'local' },
  contentHash: contentHash(summary),
  summary,
  ...over,
});

describe('the verification status of a piece of evidence', () => {
  it('intact but unsigned: says whose word the origin is', () => {
    expect(verificationOf(evidence(), release, undefined, now)).toMatchObject({ state: 'unsigned', signer: 'ci' });
  });
  it('edited after it was recorded: altered, as the gate sees it', () => {
    expect(verificationOf(evidence({ summary: { tests: 300, failures: 0 } }), release, undefined, now).state).toBe(
      'altered',
    );
  });
  it('about another digest: invalid, never counts', () => {
    const other = verificationOf(evidence({ digest: 'sha256:' + '2'.repeat(64) }), release, undefined, now);
    expect(other.state).toBe('invalid');
    expect(other.summary).toMatch(/never counts/);
  });
  it('a trust policy that could not be loaded verifies nothing, and says why', () => {
    const status = verificationOf(evidence(), release, new Error('no trust section'), now);
    expect(status.state).toBe('unsigned');
    expect(status.summary).toContain('not verified (no trust section)');
  });
});

describe('the verification status of a release record', () => {
  // Real keys made here: the build CI identity signs, the staging CI key does not count as the build.
  const build = generateKeyPairSync('ed25519');
  const staging = generateKeyPairSync('ed25519');
  const buildIdentity = { kind: 'ci' as const, name: 'build CI', build: true as const };
  const verifier = createPolicyVerifier({
    keys: [
      { publicKey: build.publicKey, identity: buildIdentity },
      { publicKey: staging.publicKey, identity: { kind: 'ci' as const, name: 'staging CI', environment: 'staging' } },
    ],
  });
  const trust = { verifier, targetKind: 'aws' as const, buildIdentity: 'build CI' };
  const stored = makeRelease({
    service: 'api',
    image: `registry.example/api@${digest}`,
    gitSha: 'abcdef1',
    authors: ['dana@example.com'],
    createdBy: 'ci-bot',
    createdAt: now,
  });
  const signedBy = (key: KeyObject, identity: Parameters<typeof createKeySigner>[1]) =>
    signRecord(stored, releaseCodec, [createKeySigner(key, identity)]);

  it('signed by the build identity: verified, and the authors shown are the signed ones', async () => {
    const signed = await signedBy(build.privateKey, buildIdentity);
    const status = releaseVerificationOf({ ...signed, authors: ['someone-else@example.com'] }, trust, now);
    // The stored authors were edited after signing: the page never shows the edited list as verified.
    expect(status.state).toBe('altered');
    expect(status.authors).toBeUndefined();
    const honest = releaseVerificationOf(signed, trust, now);
    expect(honest).toMatchObject({ state: 'verified', authors: ['dana@example.com'] });
  });
  it('signed by another key the policy names (staging CI): invalid, no approval counts', async () => {
    const status = releaseVerificationOf(
      await signedBy(staging.privateKey, { kind: 'ci', name: 'staging CI', environment: 'staging' }),
      trust,
      now,
    );
    expect(status.state).toBe('invalid');
    expect(status.summary).toContain('no approval counts for it');
  });
  it('unsigned, or no trust policy: labelled as the stored file’s word', () => {
    expect(releaseVerificationOf(stored, trust, now).state).toBe('unsigned');
    expect(releaseVerificationOf(stored, undefined, now).summary).toContain('authors are what the stored file says');
  });
});
