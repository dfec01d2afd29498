import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeySigner } from '../key-signer';
import { publicKeyId } from '../key-id';
import { parseAllowedSigners } from '../ssh/allowed-signers';
import { createSshDsseSigner } from '../ssh/ssh-dsse-signer';
import { loadSshKeyFile } from '../ssh/ssh-key-file';
import { scratchDir, sshKeygen } from '../test-support';
import { createPolicyVerifier } from '../trust-policy';
import {
  signRollbackAuthorisation,
  unknownRestoreDigest,
  verifyRollbackAuthorisation,
  type RollbackRequest,
} from './rollback-authorisation';

// Who may roll back (#12.3), with real keys: an on-call engineer's SSH key (ssh-keygen) listed in an
// allowed-signers file, production's CI key (P-256, as KMS holds it), and one key of each kind that the
// policy does not name for rollback.
const scratch = scratchDir();
afterAll(() => scratch.remove());
const dana = sshKeygen(scratch.dir, 'dana', 'ed25519');
const carol = sshKeygen(scratch.dir, 'carol', 'ed25519');
const allowed = parseAllowedSigners(
  [dana, carol]
    .map((k) => `${k.path.endsWith('dana') ? 'dana' : 'carol'} namespaces="shipgate-approval" ${k.publicLine}`)
    .join('\n'),
  'allowed_signers',
);
if (!allowed.ok) throw new Error('allowed signers');
const ci = (environment: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const identity = { kind: 'ci' as const, name: `${environment} CI`, environment };
  return { signer: createKeySigner(privateKey, identity), trusted: { publicKey, identity } };
};
const productionCi = ci('production');
const stagingCi = ci('staging');
const verifier = createPolicyVerifier({
  keys: [productionCi.trusted, stagingCi.trusted],
  people: { signers: allowed.value, namespace: 'shipgate-approval' },
});
const now = new Date('2026-12-02T03:00:00Z');
const request: RollbackRequest = {
  service: 'sample-service',
  environment: 'production',
  releaseId: 'rel-good',
  digest: `sha256:${'ab'.repeat(32)}`,
  reason: '5xx after deploy',
};
const authority = { environment: 'production', people: ['dana'] };
const nonce = '0123456789abcdef0123456789abcdef';
const check = (envelope: unknown, at = now, used: string[] = [], req = request) =>
  verifyRollbackAuthorisation(envelope, req, authority, {
    verifier,
    targetKind: 'aws',
    now: at,
    usedNonces: new Set(used),
  });
const person = async (path: string, name: string) =>
  createSshDsseSigner(await loadSshKeyFile(path), 'shipgate-approval', name);

describe('rollback authorisation (#12.3)', () => {
  it('counts for the on-call person the policy names and for the environment’s CI identity', async () => {
    const byDana = check(await signRollbackAuthorisation(request, await person(dana.path, 'dana'), { now, nonce }));
    expect(byDana.ok && byDana.value).toMatchObject({ by: 'dana', identity: 'person', nonce });
    const byCi = check(await signRollbackAuthorisation(request, productionCi.signer, { now, nonce }));
    expect(byCi.ok && byCi.value).toMatchObject({
      by: 'production CI',
      identity: 'ci',
      keyId: publicKeyId(productionCi.trusted.publicKey),
      expiresAt: '2026-12-02T03:10:00.000Z',
    });
  });

  it('refuses a listed release manager who is not on call, and another environment’s CI', async () => {
    const byCarol = check(await signRollbackAuthorisation(request, await person(carol.path, 'carol'), { now, nonce }));
    expect(byCarol.ok ? 'accepted' : byCarol.error).toMatch(
      /^expected a signature by production's CI identity or one of dana \(SSH key\), found one by carol \(SSH SHA256:/,
    );
    const byStaging = check(await signRollbackAuthorisation(request, stagingCi.signer, { now, nonce }));
    expect(byStaging.ok ? 'accepted' : byStaging.error).toBe(
      "expected a signature by production's CI identity or one of dana (SSH key), found one by staging CI",
    );
  });

  it('refuses a replay, an expired one, one for another release or reason, and an edited one', async () => {
    const envelope = await signRollbackAuthorisation(request, await person(dana.path, 'dana'), { now, nonce });
    const refusal = (r: ReturnType<typeof check>) => (r.ok ? 'accepted' : r.error);
    expect(refusal(check(envelope, now, [nonce]))).toBe(
      `expected a fresh authorisation, found nonce ${nonce} already used by an earlier rollback (a replay)`,
    );
    expect(refusal(check(envelope, new Date(now.getTime() + 10 * 60_000)))).toBe(
      'expected an unexpired authorisation, found one that expired at 2026-12-02T03:10:00.000Z',
    );
    expect(refusal(check(envelope, new Date(now.getTime() - 5 * 60_000)))).toBe(
      'expected an authorisation issued by now, found one issued at 2026-12-02T03:00:00.000Z',
    );
    expect(refusal(check(envelope, now, [], { ...request, releaseId: 'rel-other' }))).toMatch(
      /^expected .*rel-other.*found .*rel-good/,
    );
    expect(refusal(check(envelope, now, [], { ...request, reason: 'other' }))).toBe(
      'expected an authorisation for the reason "other", found one for "5xx after deploy"',
    );
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    payload.predicate.expiresAt = '2026-12-03T03:00:00.000Z';
    const edited = { ...envelope, payload: Buffer.from(JSON.stringify(payload)).toString('base64') };
    expect(refusal(check(edited))).toMatch(/^expected a valid signature .*found one that does not verify/);
  });

  it('binds a rollback whose restored release the ledger does not know to the deployment it stops', () => {
    expect(unknownRestoreDigest('production', 'sample-service', 'd-1')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(unknownRestoreDigest('production', 'sample-service', 'd-2')).not.toBe(
      unknownRestoreDigest('production', 'sample-service', 'd-1'),
    );
  });
});
