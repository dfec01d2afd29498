import { generateKeyPairSync } from 'node:crypto';
import type { DeploymentRecord } from '@shipgate/model';
import {
  createKeySigner,
  createPolicyVerifier,
  deploymentCodec,
  signRecord,
  signRollbackAuthorisation,
} from '@shipgate/trust';
import { describe, expect, it } from 'vitest';
import { recordSignatureCheck } from './audit-trust';
import type { LoadedTrust } from './trust';

// `audit verify` re-checks a rollback's authorisation as it was checked when the rollback ran (#12.3):
// a rollback outcome signed by CI (merged code in CI can sign one) carrying an authorisation by someone
// who may not roll back, or one that belongs to another rollback, is a finding.
const ci = (environment: string) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const identity = { kind: 'ci' as const, name: `${environment} CI`, environment };
  return { signer: createKeySigner(privateKey, identity), key: { publicKey, identity } };
};
const production = ci('production');
const staging = ci('staging');
const trust = {
  trust: { verifier: createPolicyVerifier({ keys: [production.key, staging.key] }), targetKind: 'aws' },
  targetKind: 'aws',
} as unknown as LoadedTrust;
const issuedAt = new Date('2026-12-02T03:00:00Z');
const base: DeploymentRecord = {
  id: 'dep-rb-1',
  releaseId: 'rel-good',
  service: 'sample-service',
  environment: 'production',
  digest: `sha256:${'ab'.repeat(32)}`,
  controller: 'ecs',
  kind: 'rollback',
  startedBy: 'erin',
  startedAt: '2026-12-02T03:00:05.000Z',
  finishedAt: '2026-12-02T03:00:07.000Z',
  outcome: 'succeeded',
  reason: '5xx after deploy',
};
const nonce = 'ffeeddccbbaa99887766554433221100';

async function rollbackRecord(signer = production.signer, reason = base.reason!): Promise<string> {
  const request = { ...base, reason };
  const envelope = await signRollbackAuthorisation(request, signer, { now: issuedAt, nonce });
  const authorisation = {
    by: signer.identity.name,
    identity: 'ci' as const,
    keyId: signer.keyId,
    nonce,
    issuedAt: issuedAt.toISOString(),
    expiresAt: new Date(issuedAt.getTime() + 600_000).toISOString(),
    envelope,
  };
  return JSON.stringify(await signRecord({ ...base, authorisation }, deploymentCodec, [production.signer]));
}

describe('audit verify: rollback authorisations', () => {
  it('accepts the honest one and reports one by another environment’s CI or for another reason', async () => {
    const check = await recordSignatureCheck(trust, new Date('2026-12-03T00:00:00Z'), () => ['erin']);
    const key = 'deployments/dep-rb-1.json';
    expect(check(key, await rollbackRecord(), new Map())).toBeUndefined();
    expect(check(key, await rollbackRecord(staging.signer), new Map())).toMatchObject({
      problem: 'record-signature',
      expected: 'a rollback authorised by someone who may roll production back',
      found: "expected a signature by production's CI identity or one of erin (SSH key), found one by staging CI",
    });
    expect(check(key, await rollbackRecord(production.signer, 'other'), new Map())?.found).toBe(
      'expected an authorisation for the reason "5xx after deploy", found one for "other"',
    );
  });
});
