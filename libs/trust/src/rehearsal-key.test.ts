import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signStatement } from './envelope';
import { TEST_RESULT_PREDICATE_TYPE } from './predicates/test-result';
import { generateRehearsalKey, REHEARSAL_KEY_FILE, rehearsalTrustedKey } from './rehearsal-key';
import { binding, digest, now, qaStatement, scratchDir } from './test-support';
import { createPolicyVerifier } from './trust-policy';
import { verifyEnvelope } from './verify-envelope';

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

const expectation = {
  subjectDigest: digest,
  predicateType: TEST_RESULT_PREDICATE_TYPE,
  binding: { ...binding, environment: 'staging' },
  now,
};

describe('local rehearsal key (#12.2 local rehearsal)', () => {
  it('writes an ed25519 key under the state directory readable by its owner only, and keeps it on the next run', async () => {
    const first = await generateRehearsalKey(scratch.dir);
    const path = join(scratch.dir, REHEARSAL_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(scratch.dir, 'trust')).mode & 0o777).toBe(0o700);
    const second = await generateRehearsalKey(scratch.dir);
    expect(second.keyId).toBe(first.keyId);
    expect(first.identity).toEqual({ kind: 'local-rehearsal', name: 'local-rehearsal' });
  });

  it('is accepted against local-cloud and refused against any other target', async () => {
    const signer = await generateRehearsalKey(scratch.dir);
    const envelope = await signStatement(qaStatement(), [signer]);
    const verifier = createPolicyVerifier({ keys: [await rehearsalTrustedKey(scratch.dir)] });
    const local = verifyEnvelope(envelope, verifier, { ...expectation, targetKind: 'local-cloud' });
    expect(local.ok && local.value.signers[0]?.kind).toBe('local-rehearsal');
    const aws = verifyEnvelope(envelope, verifier, { ...expectation, targetKind: 'aws' });
    expect(aws.ok ? 'verified' : aws.error).toMatchObject({
      reason: 'key-not-allowed-for-target',
      message: `expected a local-cloud target for the local-rehearsal key ${signer.keyId}, found target aws`,
    });
  });

  it('reports a damaged or missing key file as SIGNING_KEY_INVALID with the file and what to do', async () => {
    await expect(rehearsalTrustedKey(scratch.dir)).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      hint: expect.stringMatching(/npm start/),
    });
    await generateRehearsalKey(scratch.dir);
    writeFileSync(join(scratch.dir, REHEARSAL_KEY_FILE), 'not a key');
    await expect(generateRehearsalKey(scratch.dir)).rejects.toMatchObject({
      code: 'SIGNING_KEY_INVALID',
      location: { file: join(scratch.dir, REHEARSAL_KEY_FILE) },
    });
  });
});
