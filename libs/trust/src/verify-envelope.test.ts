import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envelopeSignedBytes, IN_TOTO_PAYLOAD_TYPE, signStatement, type DsseEnvelope } from './envelope';
import { createKeySigner } from './key-signer';
import { preAuthEncoding } from './pae';
import { APPROVAL_PREDICATE_TYPE } from './predicates/approval';
import { STRESS_PREDICATE_TYPE } from './predicates/stress';
import { TEST_RESULT_PREDICATE_TYPE } from './predicates/test-result';
import { createStatement } from './statement';
import { makeCiKey } from './testing/index';
import { approvalStatement, binding, digest, now, otherDigest, qaStatement } from './test-support';
import { createPolicyVerifier, type TrustPolicy } from './trust-policy';
import { verifyEnvelope, type EnvelopeExpectation } from './verify-envelope';

const ci = generateKeyPairSync('ed25519');
const ciEcdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ed25519');
const stagingCi = { kind: 'ci', name: 'repo:example/shipgate:environment:staging' } as const;
const policy: TrustPolicy = {
  keys: [
    { publicKey: ci.publicKey, identity: stagingCi },
    { publicKey: ciEcdsa.publicKey, identity: { kind: 'ci', name: 'kms:staging' } },
  ],
};
const verifier = createPolicyVerifier(policy);
const expectQa: EnvelopeExpectation = {
  subjectDigest: digest,
  predicateType: TEST_RESULT_PREDICATE_TYPE,
  binding: { ...binding, environment: 'staging' },
  targetKind: 'aws',
  now,
};

async function qaEnvelope(key = ci.privateKey): Promise<DsseEnvelope> {
  return signStatement(qaStatement(), [createKeySigner(key, stagingCi)]);
}

function reencode(envelope: DsseEnvelope, edit: (statement: Record<string, unknown>) => void): DsseEnvelope {
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  edit(statement);
  return { ...envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') };
}

describe('DSSE PAE (#12.1)', () => {
  it('encodes the DSSE specification example byte for byte', () => {
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, for non-ASCII payloads', () => {
    expect(preAuthEncoding('t', Buffer.from('é', 'utf8')).toString('utf8')).toBe('DSSEv1 1 t 2 é');
  });
});

describe('in-toto statements in DSSE envelopes (#12.1)', () => {
  it('writes an in-toto Statement v1 with the image digest as sha256 subject, payload as canonical JSON', async () => {
    const envelope = await qaEnvelope();
    expect(envelope.payloadType).toBe(IN_TOTO_PAYLOAD_TYPE);
    expect(envelope.signatures).toHaveLength(1);
    const text = Buffer.from(envelope.payload, 'base64').toString('utf8');
    const statement = JSON.parse(text);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject).toEqual([{ name: 'registry.example/sample', digest: { sha256: 'ab'.repeat(32) } }]);
    // Canonical: keys sorted at every level, no whitespace.
    expect(text.startsWith('{"_type":"https://in-toto.io/Statement/v1","predicate":{"configuration":')).toBe(true);
    expect(text).not.toMatch(/\s"|":\s/);
  });

  it('signs the same record to the same payload whatever the key order of the input', async () => {
    const a = createStatement({
      subjectDigest: digest,
      predicateType: STRESS_PREDICATE_TYPE,
      predicate: { b: 1, a: { d: 2, c: 3 } },
    });
    const b = createStatement({
      subjectDigest: digest,
      predicateType: STRESS_PREDICATE_TYPE,
      predicate: { a: { c: 3, d: 2 }, b: 1 },
    });
    const signer = createKeySigner(ci.privateKey, stagingCi);
    expect((await signStatement(a, [signer])).payload).toBe((await signStatement(b, [signer])).payload);
  });

  it('refuses to sign a number JSON cannot carry rather than signing null', async () => {
    const bad = createStatement({
      subjectDigest: digest,
      predicateType: STRESS_PREDICATE_TYPE,
      predicate: { p95: Number.NaN },
    });
    await expect(signStatement(bad, [createKeySigner(ci.privateKey, stagingCi)])).rejects.toThrow(
      /finite number at \$\.predicate\.p95/,
    );
  });

  it('verifies an envelope signed by a trusted CI key and returns the verified identity and statement', async () => {
    const result = verifyEnvelope(await qaEnvelope(), verifier, expectQa);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.signers).toEqual([expect.objectContaining({ kind: 'ci', name: stagingCi.name })]);
    expect(result.value.statement.predicate.result).toBe('PASSED');
  });

  it('verifies an ECDSA P-256 signature (a KMS-shaped key) the same way', async () => {
    const envelope = await signStatement(qaStatement(), [
      createKeySigner(ciEcdsa.privateKey, { kind: 'ci', name: 'kms:staging' }),
    ]);
    const result = verifyEnvelope(envelope, verifier, expectQa);
    expect(result.ok && result.value.signers[0]?.name).toBe('kms:staging');
  });

  it('refuses an edited payload as a bad signature (one field changed, signature kept)', async () => {
    const forged = reencode(await qaEnvelope(), (s) => {
      (s.predicate as { result: string }).result = 'PASSED';
      (s.predicate as { failedTests: string[] }).failedTests = [];
      (s.predicate as { passedTests: string[] }).passedTests.push('forged');
    });
    const result = verifyEnvelope(forged, verifier, expectQa);
    expect(result.ok ? 'verified' : result.error.reason).toBe('bad-signature');
  });

  it('refuses a single flipped byte of the signature', async () => {
    const envelope = await qaEnvelope();
    const sig = Buffer.from(envelope.signatures[0]!.sig, 'base64');
    sig[10] = sig[10]! ^ 1;
    const result = verifyEnvelope(
      { ...envelope, signatures: [{ ...envelope.signatures[0]!, sig: sig.toString('base64') }] },
      verifier,
      expectQa,
    );
    expect(result.ok ? 'verified' : result.error.reason).toBe('bad-signature');
  });

  it('refuses a key the policy does not name, even when its signature is valid', async () => {
    const result = verifyEnvelope(await qaEnvelope(stranger.privateKey), verifier, expectQa);
    expect(result.ok ? 'verified' : result.error).toMatchObject({
      reason: 'unknown-key',
      message: expect.stringMatching(/expected a key the trust policy names/),
    });
  });

  it('refuses a stranger signing with a trusted key id (keyid is a hint, not a credential)', async () => {
    const envelope = await qaEnvelope(stranger.privateKey);
    const trustedId = createKeySigner(ci.privateKey, stagingCi).keyId;
    const result = verifyEnvelope(
      { ...envelope, signatures: [{ ...envelope.signatures[0]!, keyid: trustedId }] },
      verifier,
      expectQa,
    );
    expect(result.ok ? 'verified' : result.error.reason).toBe('bad-signature');
  });

  it('refuses another payload type, also when the signature covers it', async () => {
    const envelope = await qaEnvelope();
    const payloadType = 'application/json';
    const sig = await createKeySigner(ci.privateKey, stagingCi).sign(
      preAuthEncoding(payloadType, Buffer.from(envelope.payload, 'base64')),
    );
    const retyped = {
      ...envelope,
      payloadType,
      signatures: [{ keyid: envelope.signatures[0]!.keyid, sig: Buffer.from(sig).toString('base64') }],
    };
    const result = verifyEnvelope(retyped, verifier, expectQa);
    expect(result.ok ? 'verified' : result.error).toMatchObject({
      reason: 'wrong-payload-type',
      message: 'expected payloadType application/vnd.in-toto+json, found "application/json"',
    });
  });

  it('refuses a statement about another digest (evidence for another image)', async () => {
    const result = verifyEnvelope(await qaEnvelope(), verifier, { ...expectQa, subjectDigest: otherDigest });
    expect(result.ok ? 'verified' : result.error).toMatchObject({
      reason: 'subject-digest-mismatch',
      message: `expected subject ${otherDigest}, found ${digest}`,
    });
  });

  it('refuses a statement of another predicate type (a test result offered as an approval)', async () => {
    const result = verifyEnvelope(await qaEnvelope(), verifier, {
      ...expectQa,
      predicateType: APPROVAL_PREDICATE_TYPE,
    });
    expect(result.ok ? 'verified' : result.error.reason).toBe('predicate-type-mismatch');
  });

  it('refuses a signed statement for another environment or release (replayed binding)', async () => {
    const envelope = await qaEnvelope();
    const otherEnv = verifyEnvelope(envelope, verifier, { ...expectQa, binding: { ...binding, environment: 'test' } });
    expect(otherEnv.ok ? 'verified' : otherEnv.error).toMatchObject({
      reason: 'binding-mismatch',
      message: `expected service sample-service, release ${binding.releaseId}, environment test, found service sample-service, release ${binding.releaseId}, environment staging`,
    });
    const otherRelease = verifyEnvelope(envelope, verifier, {
      ...expectQa,
      binding: { ...binding, environment: 'staging', releaseId: 'rel-0000000000000000' },
    });
    expect(otherRelease.ok ? 'verified' : otherRelease.error.reason).toBe('binding-mismatch');
  });

  it('refuses a signed predicate that does not match its schema', async () => {
    const statement = approvalStatement({ decidedAt: 'yesterday' });
    const envelope = await signStatement(statement, [createKeySigner(ci.privateKey, stagingCi)]);
    const result = verifyEnvelope(envelope, verifier, { ...expectQa, predicateType: APPROVAL_PREDICATE_TYPE, binding });
    expect(result.ok ? 'verified' : result.error).toMatchObject({
      reason: 'invalid-predicate',
      message: expect.stringMatching(/decidedAt/),
    });
  });

  it('refuses what is not a DSSE envelope, with a value rather than an exception', () => {
    const tooMany = Array.from({ length: 17 }, () => ({ keyid: 'k', sig: 'AA==' }));
    for (const input of [
      null,
      'x',
      { payload: 'e30=', payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [] },
      { payload: 'e30=', payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: tooMany },
      { payload: 'not base64!', payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ keyid: 'k', sig: 'AA==' }] },
    ]) {
      const result = verifyEnvelope(input, verifier, expectQa);
      expect(result.ok ? 'verified' : result.error.reason).toBe('malformed-envelope');
    }
  });

  it('refuses signed bytes that are not an in-toto Statement v1, saying what was found', async () => {
    const signer = createKeySigner(ci.privateKey, stagingCi);
    const signed = async (payload: Buffer) => ({
      payload: payload.toString('base64'),
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [
        {
          keyid: signer.keyId,
          sig: Buffer.from(await signer.sign(preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload))).toString('base64'),
        },
      ],
    });
    const notJson = verifyEnvelope(await signed(Buffer.from('PASSED')), verifier, expectQa);
    expect(notJson.ok ? 'verified' : notJson.error.reason).toBe('malformed-statement');
    const v02 = { ...qaStatement(), _type: 'https://in-toto.io/Statement/v0.1' };
    const oldType = verifyEnvelope(await signed(Buffer.from(JSON.stringify(v02))), verifier, expectQa);
    expect(oldType.ok ? 'verified' : oldType.error).toMatchObject({
      reason: 'malformed-statement',
      message: expect.stringMatching(/^expected an in-toto Statement v1, found _type/),
    });
  });

  it('verifies with keys from the testing entry, as the tests of other libraries will make them', async () => {
    const staging = makeCiKey('ci:staging');
    const envelope = await signStatement(qaStatement(), [staging.signer]);
    const result = verifyEnvelope(envelope, createPolicyVerifier({ keys: [staging.trusted] }), expectQa);
    expect(result.ok && result.value.signers[0]).toMatchObject({
      kind: 'ci',
      name: 'ci:staging',
      keyId: staging.signer.keyId,
    });
  });

  it('accepts when one of several signatures verifies, and names only the verified signer', async () => {
    const statement = qaStatement();
    const envelope = await signStatement(statement, [
      createKeySigner(stranger.privateKey, stagingCi),
      createKeySigner(ci.privateKey, stagingCi),
    ]);
    const result = verifyEnvelope(envelope, verifier, expectQa);
    expect(result.ok && result.value.signers.map((s) => s.keyId)).toEqual([
      createKeySigner(ci.privateKey, stagingCi).keyId,
    ]);
    expect(envelopeSignedBytes(envelope).subarray(0, 6).toString()).toBe('DSSEv1');
  });
});
