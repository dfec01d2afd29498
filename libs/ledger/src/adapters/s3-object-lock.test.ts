import {
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ManualClock, seededRandom } from '@shipgate/model';
import { createPolicyVerifier } from '@shipgate/trust';
import { makeCiKey } from '@shipgate/trust/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../ledger';
import { createStoreFixture, testS3Client, type StoreFixture } from '../testing/store-fixture';
import { verifyAudit } from '../verify-audit';

// The S3 store on buckets with and without Object Lock, through the real SDK to the stand-in, which
// speaks Object Lock's protocol (GetObjectLockConfiguration, lock headers on PutObject, retention on
// HeadObject, DeleteObject refused on a retained version).
describe('S3 store and Object Lock', () => {
  let fx: StoreFixture | undefined;
  let client: S3Client | undefined;
  const open = async (objectLock: boolean) => {
    fx = await createStoreFixture('s3', { objectLock });
    client = testS3Client(fx.endpoint!);
    return fx;
  };
  const head = (key: string) => client!.send(new HeadObjectCommand({ Bucket: 'ledger', Key: `state/${key}` }));
  afterEach(async () => {
    client?.destroy();
    await fx?.close();
    fx = client = undefined;
  });

  it('on a bucket without Object Lock, writes as before and says deletion is not prevented', async () => {
    const { store } = await open(false);
    expect(await store.createIfAbsent('audit/000000000001.json', '{}')).toBe('created');
    expect((await head('audit/000000000001.json')).ObjectLockMode).toBeUndefined();
    expect(await store.protection!()).toEqual({
      kind: 'none',
      description: expect.stringMatching(/^S3 Object Lock on bucket ledger: not enabled; whoever may s3:DeleteObject/),
    });
    // The stand-in refuses lock parameters there, as S3 does.
    await expect(
      client!.send(
        new PutObjectCommand({
          Bucket: 'ledger',
          Key: 'x',
          Body: 'x',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequest', message: 'Bucket is missing Object Lock Configuration' });
  });

  it('with Object Lock and no default rule, locks each write-once object GOVERNANCE for 365 days, deployments not', async () => {
    const { store } = await open(true);
    await store.createIfAbsent('audit/000000000001.json', '{}');
    await store.createIfAbsent('deployments/d.json', '{}');
    const entry = await head('audit/000000000001.json');
    expect(entry.ObjectLockMode).toBe('GOVERNANCE');
    const days = (entry.ObjectLockRetainUntilDate!.getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    expect((await head('deployments/d.json')).ObjectLockMode).toBeUndefined();
    expect((await store.protection!()).description).toBe(
      'S3 Object Lock on bucket ledger, no default rule: shipgate locks each write-once object GOVERNANCE for 365 days',
    );
  });

  it('with a default COMPLIANCE rule, leaves retention to the bucket and reports the rule', async () => {
    const { reopen } = await open(true);
    await client!.send(
      new PutObjectLockConfigurationCommand({
        Bucket: 'ledger',
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } },
        },
      }),
    );
    const store = await reopen();
    await store.createIfAbsent('audit/000000000001.json', '{}');
    expect((await head('audit/000000000001.json')).ObjectLockMode).toBe('COMPLIANCE');
    expect(await store.protection!()).toEqual({
      kind: 'object-lock',
      description: 'S3 Object Lock on bucket ledger: default retention COMPLIANCE for 30 days',
    });
  });

  it('an attacker deleting the tail leaves delete markers: audit verify finds the truncation, and the versions cannot be destroyed', async () => {
    const { store, reopen } = await open(true);
    const ci = makeCiKey('staging-ci');
    const clock = new ManualClock('2026-12-01T10:00:00Z');
    const ledger = openLedger(store, { clock, random: seededRandom(1) });
    for (let i = 0; i < 3; i++) await ledger.audit.append({ actor: 'ci', action: 'test' });
    await ledger.audit.checkpoint(ci.signer);
    const deleted = await client!.send(
      new DeleteObjectCommand({ Bucket: 'ledger', Key: 'state/audit/000000000003.json' }),
    );
    expect(deleted.DeleteMarker).toBe(true);
    const report = await verifyAudit(await reopen(), {
      verifier: createPolicyVerifier({ keys: [ci.trusted] }),
      targetKind: 'aws',
      now: clock.now(),
    });
    expect(report.protection.kind).toBe('object-lock');
    expect(report.findings).toEqual([
      expect.objectContaining({ problem: 'truncated', about: 'entry #3', found: '2 entries' }),
    ]);
    const kept = fx!.standIn!.objectLock('ledger')!.noncurrent.get('state/audit/000000000003.json')!;
    await expect(
      client!.send(
        new DeleteObjectCommand({
          Bucket: 'ledger',
          Key: 'state/audit/000000000003.json',
          VersionId: kept[0]!.versionId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
