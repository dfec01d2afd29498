import { execFileSync } from 'node:child_process';
import { startLocalCloud, type LocalCloud } from '@shipgate/local-cloud';
import { startS3StandIn, type S3StandIn } from '@shipgate/ledger/testing';
import { releaseCodec, signRecord } from '@shipgate/trust';
import type { Release } from '@shipgate/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCiKeys, requirement, startAttackWorld, type AttackWorld } from './attack-world';

// Issue #12 on release records: a release's authors may not approve it, so an attacker with write access
// to the ledger deletes themselves from `authors`, re-signs the record with a key they hold, strips its
// signature, or copies another release's envelope over it. Each is refused with expected versus found,
// by the gate, by `approve` and by `audit verify`, on a file-system ledger and on S3, with the build's
// and the environments' CI keys in local-cloud's KMS; the honest path still passes.
let cloud: LocalCloud;
let s3: S3StandIn;
let ciKeys: Record<string, string>;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0 });
  s3 = await startS3StandIn({ buckets: ['ledger'] });
  ciKeys = await createCiKeys(cloud.endpoint);
}, 60_000);
afterAll(async () => {
  await s3?.close();
  await cloud?.close();
});

describe.each(['fs', 's3'] as const)('release record attacks on the %s ledger (#12)', (kind) => {
  let w: AttackWorld;
  beforeAll(async () => {
    w = await startAttackWorld({
      cloudPort: Number(new URL(cloud.endpoint).port),
      ciKeys,
      ledger:
        kind === 'fs'
          ? { kind }
          : { kind, endpoint: s3.endpoint, bucket: 'ledger', objects: () => s3.objects('ledger') },
    });
  }, 60_000);
  afterAll(() => w?.close());

  const key = (id: string) => `releases/${id}.json`;
  const readRelease = async (id: string): Promise<Release> => JSON.parse(await w.raw.get(key(id)));
  /** dana (the release's author) tries to approve it with her own key. */
  const danaApproves = (id: string) =>
    w.run(['approve', 'production', '--service', 'sample-service', '--release', id, '--key', w.keys.dana!]);
  const recordSignatureFinding = async (id: string) => {
    const audit = await w.run(['audit', 'verify']);
    expect(audit.code).toBe(1);
    return (audit.json!.findings as { problem: string; about: string; expected: string; found: string }[]).find(
      (f) => f.problem === 'record-signature' && f.about === key(id),
    );
  };

  it('the honest path: release create signs with the build KMS key, and the gate passes', async () => {
    const release = await w.newRelease();
    const stored = await readRelease(release.id);
    expect(stored.envelope?.signatures).toHaveLength(1);
    expect(stored.authors).toEqual(['dana']);
    await w.honest(release);
    const gate = await w.gate(release);
    expect(requirement(gate, 'approvals')).toMatchObject({ status: 'pass', observed: '1 of 1: carol' });
    expect(gate.code).toBe(0);
    const author = await danaApproves(release.id);
    expect(author.json!.error.message).toContain(`found dana (author of ${release.id})`);
  }, 90_000);

  it.runIf(kind === 'fs')(
    'release create --commits reads the push’s authors from git (this checkout), and refuses a commit it lacks',
    async () => {
      const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
      const head = git('rev-parse', 'HEAD');
      const before = git('rev-parse', 'HEAD~2');
      const create = (sha: string, range: string) =>
        w.run([
          ...['release', 'create', '--service', 'sample-service', '--git-sha', sha, '--commits', range],
          ...['--image', `registry.example/sample@sha256:${'5e'.repeat(32)}`],
        ]);
      const created = await create(head, `${before}..${head}`);
      expect(created.code, created.err).toBe(0);
      expect(created.json!.authorsFrom).toBe(`${before}..${head}`);
      const emails = git('log', '--no-merges', '--format=%ae', `${before}..${head}`).toLowerCase().split('\n');
      expect(created.json!.release.authors).toEqual([...new Set(emails)]);
      expect(created.json!.signed).toBe(true);
      const missing = await create('abcdef1', `${before}..abcdef1`);
      expect(missing.code).toBe(2);
      expect(missing.json!.error).toMatchObject({
        code: 'COMMIT_NOT_FOUND',
        message: expect.stringMatching(
          /^expected commit abcdef1 \(--git-sha\) in the git repository at .+, found no such commit$/,
        ),
      });
    },
    60_000,
  );

  it('refuses a release whose authors list was edited in the store: dana cannot delete herself and approve', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const stored = await readRelease(release.id);
    const { author: _dana, ...withoutAuthor } = stored;
    await w.raw.put(key(release.id), JSON.stringify({ ...withoutAuthor, authors: [] }, null, 2));
    const expected = `release ${release.id} refused (record-mismatch): expected author "dana" (as signed), found absent in the stored record`;
    const approve = await danaApproves(release.id);
    expect(approve.code).toBe(2);
    expect(approve.json!.error.code).toBe('APPROVAL_REFUSED');
    expect(approve.json!.error.message).toBe(expected);
    const gate = await w.gate(release);
    expect(gate.code).toBe(1);
    expect(requirement(gate, 'approvals')).toMatchObject({
      status: 'fail',
      observed: "0 of 1: the release's authors are not verified",
    });
    expect(requirement(gate, 'approvals').reason).toContain(expected);
    expect(await recordSignatureFinding(release.id)).toMatchObject({
      expected: expect.stringMatching(/^a release record signed by the build CI identity \(GitHub Actions/),
      found: 'expected author "dana" (as signed), found absent in the stored record',
    });
    await w.raw.put(key(release.id), JSON.stringify(stored, null, 2));
    expect((await w.gate(release)).code).toBe(0);
  }, 90_000);

  it('refuses a release re-signed by a key that is not the build identity (staging’s CI role)', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const stored = await readRelease(release.id);
    const { author: _dana, envelope: _signed, ...bare } = stored;
    const forged = await signRecord({ ...bare, authors: [] }, releaseCodec, [await w.ciSigner('staging')]);
    await w.raw.put(key(release.id), JSON.stringify(forged, null, 2));
    const gate = await w.gate(release);
    expect(requirement(gate, 'approvals').reason).toMatch(
      new RegExp(
        `^release ${release.id} refused \\(signer-role\\): expected release ${release.id} signed by the build CI identity \\(trust\\.build\\.ci\\), found it signed by staging CI \\(GitHub Actions environment staging`,
      ),
    );
    expect((await danaApproves(release.id)).json!.error.message).toContain('refused (signer-role)');
    expect((await recordSignatureFinding(release.id))?.found).toContain('found it signed by staging CI');
  }, 90_000);

  it('refuses an unsigned release (as old ledgers hold them) with what to do', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const { envelope: _removed, ...unsigned } = await readRelease(release.id);
    await w.raw.put(key(release.id), JSON.stringify(unsigned, null, 2));
    const gate = await w.gate(release);
    expect(requirement(gate, 'approvals').reason).toContain(
      `release ${release.id} refused (unsigned): expected a release record signed by an identity the trust policy names, found an unsigned record; Releases are signed by the build CI identity`,
    );
    expect((await recordSignatureFinding(release.id))?.found).toBe(
      'expected a release record signed by an identity the trust policy names, found an unsigned record',
    );
  }, 90_000);

  it('refuses another release’s envelope replayed under this id, and another release’s whole record copied here', async () => {
    const first = await w.newRelease();
    // Same image, another commit: another release whose envelope has the same subject digest.
    const second = await w.newRelease({ digest: first.digest, gitSha: 'abcdef9' });
    await w.honest(second);
    const original = await w.raw.get(key(second.id));
    const envelope = (await readRelease(first.id)).envelope;
    await w.raw.put(key(second.id), JSON.stringify({ ...(await readRelease(second.id)), envelope }, null, 2));
    expect(requirement(await w.gate(second), 'approvals').reason).toContain(
      `release ${second.id} refused (record-mismatch): expected the signed statement of release ${second.id}, found that of release ${first.id} (an envelope replayed under another id)`,
    );
    await w.raw.put(key(second.id), await w.raw.get(key(first.id)));
    const copied = await w.gate(second);
    expect(copied.json!.error.code).toBe('LEDGER_CORRUPT');
    expect(copied.json!.error.message).toBe(
      `expected the record at releases/${second.id}.json to be release ${second.id}, found release ${first.id}`,
    );
    await w.raw.put(key(second.id), original);
    expect((await w.gate(second)).code).toBe(0);
  }, 90_000);
});
