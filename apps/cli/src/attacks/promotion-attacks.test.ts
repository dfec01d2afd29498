import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '@shipgate/local-cloud';
import { startS3StandIn, type S3StandIn } from '@shipgate/ledger/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '@shipgate/model';
import {
  createCiKeys,
  junitPass,
  k6Pass,
  productionListener,
  requirement,
  startAttackWorld,
  type AttackWorld,
} from './attack-world';

// Issue #12's attacks, replayed by an attacker with CLI access or write access to the ledger, on a real
// file-system ledger and on S3 (the stand-in speaking S3's wire protocol), with CI keys in local-cloud's
// KMS. Each is refused with an error or a decision line naming what was expected and what was found,
// and the honest path (CI-signed evidence, an SSH-signed approval) still passes.
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

const cloudPort = () => Number(new URL(cloud.endpoint).port);

describe.each(['fs', 's3'] as const)('promotion attacks on the %s ledger (#12)', (kind) => {
  let w: AttackWorld;
  beforeAll(async () => {
    w = await startAttackWorld({
      cloudPort: cloudPort(),
      ciKeys,
      ledger:
        kind === 'fs'
          ? { kind }
          : { kind, endpoint: s3.endpoint, bucket: 'ledger', objects: () => s3.objects('ledger') },
    });
  }, 60_000);
  afterAll(() => w?.close());

  /** The stored evidence records of a release, by kind. */
  const stored = async (releaseId: string, kindOf: string) => {
    const keys = await w.raw.list(`evidence/${releaseId}/`);
    const all = await Promise.all(keys.map(async (key) => ({ key, record: JSON.parse(await w.raw.get(key)) })));
    return all.filter((r) => r.record.kind === kindOf);
  };

  it('the honest path passes: QA and stress signed by staging’s KMS key, an approval signed by carol’s SSH key', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const gate = await w.gate(release);
    expect(gate.json!.decision.requirements.filter((r: { status: string }) => r.status !== 'pass')).toEqual([]);
    expect(gate.code).toBe(0);
    expect(gate.json!.decision).toMatchObject({
      policyDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      targetKind: 'local-cloud',
    });
  }, 60_000);

  it('refuses evidence edited in the store, field by field, even with its content hash recomputed', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const [qa] = await stored(release.id, 'qa');
    const original = JSON.stringify(qa!.record, null, 2);
    const edits: [string, (r: Record<string, unknown>) => void, string][] = [
      ['recordedAt', (r) => (r.recordedAt = '2026-01-01T00:00:00.000Z'), 'expected recordedAt "'],
      ['environment', (r) => (r.environment = 'test'), 'binding-mismatch'],
      [
        'summary',
        (r) => {
          (r.summary as { failures: number }).failures = 0;
          (r.summary as { tests: number }).tests = 999;
          r.contentHash = contentHash(r.summary);
        },
        'expected contentHash "',
      ],
      ['origin', (r) => (r.origin = { actor: 'carol', where: 'local' }), 'expected origin '],
    ];
    for (const [field, edit, message] of edits) {
      const record = JSON.parse(original);
      edit(record);
      await w.raw.put(qa!.key, JSON.stringify(record, null, 2));
      const gate = await w.gate(release);
      expect(gate.code, field).toBe(1);
      const r = requirement(gate, 'qa.evidence');
      expect(r.status, field).toBe('fail');
      expect(r.reason, field).toContain(message);
    }
    // digest and releaseId: the record no longer belongs to this release, and says so.
    const moved = JSON.parse(original);
    moved.releaseId = 'rel-0000000000000000';
    await w.raw.put(qa!.key, JSON.stringify(moved));
    expect(requirement(await w.gate(release), 'qa.evidence').reason).toContain(
      `is for release rel-0000000000000000, not ${release.id}`,
    );
    await w.raw.put(qa!.key, original);
    expect((await w.gate(release)).code).toBe(0);
  }, 90_000);

  it('does not count a hand-written approval file or evidence signed by a key no policy names', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const [approval] = await stored(release.id, 'approval');
    const forged = {
      ...approval!.record,
      id: 'ev-approval-forged000000000',
      summary: { ...approval!.record.summary, approver: 'alice' },
    };
    delete forged.envelope;
    await w.raw.put(`evidence/${release.id}/${forged.id}.json`, JSON.stringify(forged));
    const gate = await w.gate(release);
    expect(requirement(gate, 'approvals').reason).toContain(
      'ev-approval-forged000000000 refused (unsigned): expected evidence signed by an identity the trust policy names, found an unsigned record',
    );
    expect(requirement(gate, 'approvals').observed).toBe('1 of 1: carol');

    // A laptop signs with the rehearsal key (--policy-profile local-rehearsal): the gate, under the real policy, refuses it.
    const laptop = await w.newRelease();
    const recorded = await w.run([
      '--policy-profile',
      'local-rehearsal',
      'evidence',
      'add',
      'staging',
      '--service',
      'sample-service',
      '--release',
      laptop.id,
      '--junit',
      junitPass,
    ]);
    expect(recorded.code, recorded.err).toBe(0);
    expect(requirement(await w.gate(laptop), 'qa.evidence').reason).toMatch(
      /refused \(unknown-key\): expected a key the trust policy names, found keyid "SHA256:/,
    );
  }, 90_000);

  it('--as a release manager grants nothing: the approval is the key’s, and a key the file does not list is refused and audited', async () => {
    const release = await w.newRelease();
    const asCarol = await w.run([
      '--as',
      'carol',
      'approve',
      'production',
      '--service',
      'sample-service',
      '--release',
      release.id,
      '--key',
      w.keys.mallory!,
    ]);
    expect(asCarol.code).toBe(2);
    expect(asCarol.json!.error.code).toBe('APPROVAL_REFUSED');
    expect(asCarol.json!.error.message).toMatch(
      /^expected an SSH key listed in \.github\/allowed_signers for namespace shipgate-approval, found SHA256:/,
    );
    const noKey = await w.run([
      '--as',
      'carol',
      'approve',
      'production',
      '--service',
      'sample-service',
      '--release',
      release.id,
    ]);
    expect(noKey.json!.error.code).toBe('SIGNING_KEY_INVALID');
    const author = await w.run([
      'approve',
      'production',
      '--service',
      'sample-service',
      '--release',
      release.id,
      '--key',
      w.keys.dana!,
    ]);
    expect(author.json!.error.message).toContain('found dana (author of');
    const audit = await w.run(['audit', 'log', '--action', 'approval.refused']);
    expect(audit.json!.entries.length).toBeGreaterThanOrEqual(2);
    const inActions = await w.run(
      ['--as', 'carol', 'gate', 'production', '--service', 'sample-service', '--release', release.id],
      { GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'mallory' },
    );
    expect(inActions.json!.error.message).toBe(
      'expected no --as inside GitHub Actions (the actor is GITHUB_ACTOR, mallory), found --as carol',
    );
  }, 60_000);

  it('a new release of the same image starts with no approvals; an approval replayed into another release is refused', async () => {
    const first = await w.newRelease();
    await w.honest(first);
    const same = await w.newRelease({ digest: first.digest, gitSha: 'abcdef2' });
    const gate = await w.gate(same);
    expect(requirement(gate, 'approvals').reason).toContain(
      `is for release ${first.id}, not ${same.id} (same image, another release`,
    );
    const [approval] = await stored(first.id, 'approval');
    const replayed = { ...approval!.record, releaseId: same.id };
    await w.raw.put(`evidence/${same.id}/${approval!.record.id}.json`, JSON.stringify(replayed));
    expect(requirement(await w.gate(same), 'approvals').reason).toContain(
      `refused (binding-mismatch): expected service sample-service, release ${same.id}, environment production, found service sample-service, release ${first.id}, environment production`,
    );
  }, 90_000);

  it('an approval signed for staging and moved under production is refused: the environment is inside the signature', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const approvals = await stored(release.id, 'approval');
    expect(approvals).toHaveLength(1);
    // Carol's approval, re-filed as if she had approved staging (the environment field outside the
    // envelope edited), and then the envelope of a staging approval presented for production.
    const [approval] = approvals;
    await w.raw.put(approval!.key, JSON.stringify({ ...approval!.record, environment: 'staging' }));
    expect(requirement(await w.gate(release), 'approvals').status).toBe('fail');
    const movedBack = { ...approval!.record, environment: 'production' };
    const statement = JSON.parse(Buffer.from(movedBack.envelope.payload, 'base64').toString('utf8'));
    statement.predicate.environment = 'staging';
    movedBack.envelope = { ...movedBack.envelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') };
    await w.raw.put(approval!.key, JSON.stringify(movedBack));
    const gate = await w.gate(release);
    expect(requirement(gate, 'approvals').status).toBe('fail');
    expect(requirement(gate, 'approvals').reason).toMatch(/refused \((bad-signature|binding-mismatch)\)/);
  }, 90_000);

  it('does not count evidence for a release that never served in staging, nor stress against production’s listener', async () => {
    const never = await w.newRelease({ servingInStaging: false });
    await w.honest(never);
    expect(requirement(await w.gate(never), 'qa.evidence').reason).toMatch(
      new RegExp(
        `when no signed deployment record shows ${never.id} serving in staging: expected ${never.id}, found (no release|rel-[0-9a-f]{16} \\(deployment dep-staging-rel-[0-9a-f]{16}\\)) serving there then`,
      ),
    );
    const wrong = await w.newRelease();
    const stress = await w.run([
      'evidence',
      'add',
      'staging',
      '--service',
      'sample-service',
      '--release',
      wrong.id,
      '--k6-summary',
      k6Pass,
      '--base-url',
      productionListener,
    ]);
    expect(stress.code).toBe(0);
    expect(requirement(await w.gate(wrong), 'stress.evidence').reason).toContain(
      `was load against ${productionListener}: expected staging's production listener`,
    );
  }, 90_000);

  it('refuses an edited release record: its content no longer hashes to its id', async () => {
    const release = await w.newRelease();
    const key = `releases/${release.id}.json`;
    const record = JSON.parse(await w.raw.get(key));
    record.image = `registry.example/evil@sha256:${'e'.repeat(64)}`;
    record.digest = `sha256:${'e'.repeat(64)}`;
    await w.raw.put(key, JSON.stringify(record));
    const gate = await w.gate(release);
    expect(gate.json!.error.code).toBe('LEDGER_CORRUPT');
    expect(gate.json!.error.message).toContain(
      `expected release ${release.id} to have the content its id was derived from, found content (image registry.example/evil@`,
    );
  });

  it('refuses a swapped --config and a weakening profile against an AWS target, before anything runs', async () => {
    const release = await w.newRelease();
    const aws = { AWS_ENDPOINT_URL: 'https://ecs.us-east-1.amazonaws.com' };
    const copy = join(w.dir, 'no-policy.yaml');
    const text = execFileSync('git', ['-C', w.dir, 'show', 'HEAD:shipgate.yaml'], { encoding: 'utf8' });
    await writeFile(
      copy,
      text.replace(/\n    promotion:\n      from: staging\n(      .*\n|        .*\n|          .*\n)*/, '\n'),
    );
    const deploy = await w.run(
      ['deploy', 'production', '--service', 'sample-service', '--release', release.id],
      aws,
      copy,
    );
    expect(deploy.json!.error.code).toBe('POLICY_NOT_PINNED');
    expect(deploy.json!.error.message).toMatch(
      /^expected the policy for production \(an AWS target\) to be the pinned one \(shipgate\.yaml at HEAD [0-9a-f]{12} with sha256 [0-9a-f]{16}…\), found .*no-policy\.yaml with sha256 [0-9a-f]{16}…$/,
    );
    const profile = await w.run(
      [
        '--policy-profile',
        'local-rehearsal',
        'gate',
        'production',
        '--service',
        'sample-service',
        '--release',
        release.id,
      ],
      aws,
    );
    expect(profile.json!.error.code).toBe('PROFILE_NOT_ALLOWED');
    expect(profile.json!.error.message).toContain(
      'expected no policy profile against environment production, whose target is AWS, found profile "local-rehearsal"',
    );
    // The committed config passes the pin; its decision names the policy digest it was taken under.
    const pinned = await w.gate(release, aws);
    expect(pinned.json!.decision.targetKind).toBe('aws');
  }, 60_000);

  it('refuses an override recorded before the freeze it lifts, and one signed by someone the policy does not allow', async () => {
    const release = await w.newRelease();
    await w.honest(release);
    const early = await w.run([
      'gate',
      'production',
      '--service',
      'sample-service',
      '--release',
      release.id,
      '--key',
      w.keys.alice!,
      '--emergency-override',
      'lift the freeze that comes next month',
    ]);
    expect(early.code).toBe(0);
    const frozen = join(w.dir, 'frozen.yaml');
    await writeFile(
      frozen,
      (await readFile(w.config, 'utf8')).replace(
        'freezeWindows: []',
        "freezeWindows: [{ name: always, start: '2000-01-01', end: '2100-01-01' }]",
      ),
    );
    const blocked = await w.gate(release, {}, frozen);
    expect(requirement(blocked, 'freeze').reason).toContain(
      'override by alice refused: expected an override of freeze always, found one of none',
    );
    const byCarol = await w.run(
      [
        'gate',
        'production',
        '--service',
        'sample-service',
        '--release',
        release.id,
        '--key',
        w.keys.carol!,
        '--emergency-override',
        'checkout is down, hotfix INC-42',
      ],
      {},
      frozen,
    );
    expect(requirement(byCarol, 'freeze').reason).toContain(
      'override by carol refused: not in emergencyOverride.allowedBy (alice)',
    );
    const byAlice = await w.run(
      [
        'gate',
        'production',
        '--service',
        'sample-service',
        '--release',
        release.id,
        '--key',
        w.keys.alice!,
        '--emergency-override',
        'checkout is down, hotfix INC-42',
      ],
      {},
      frozen,
    );
    expect(byAlice.code).toBe(0);
  }, 90_000);

  it.runIf(kind === 'fs')(
    'records the CLI signed verify with stock tools: evidence with openssl, an approval with ssh-keygen -Y verify',
    async () => {
      const release = await w.newRelease();
      await w.honest(release);
      const scripts = new URL('../../../../libs/trust/scripts/', import.meta.url).pathname;
      const [qa] = await stored(release.id, 'qa');
      const [approval] = await stored(release.id, 'approval');
      const envelope = join(w.dir, 'qa.envelope.json');
      await writeFile(envelope, JSON.stringify(qa!.record.envelope));
      // staging's KMS public key, as committed beside the config; OpenSSL does the ECDSA.
      const verify = (key: string) =>
        execFileSync(
          'bash',
          [join(scripts, 'verify-dsse-with-openssl.sh'), envelope, join(w.dir, `.github/trust/${key}-ci.pem`)],
          {
            encoding: 'utf8',
            stdio: 'pipe',
          },
        );
      expect(verify('staging').trim()).toBe(`https://in-toto.io/attestation/test-result/v0.1 ${release.digest}`);
      expect(() => verify('production')).toThrow();
      const approvalEnvelope = join(w.dir, 'approval.envelope.json');
      await writeFile(approvalEnvelope, JSON.stringify(approval!.record.envelope));
      const allowed = join(w.dir, '.github/allowed_signers');
      const sshVerify = (principal: string) =>
        execFileSync('bash', [join(scripts, 'verify-dsse-with-ssh-keygen.sh'), approvalEnvelope, allowed, principal], {
          encoding: 'utf8',
          stdio: 'pipe',
        });
      expect(sshVerify('carol')).toContain('Good "shipgate-approval" signature for carol');
      expect(() => sshVerify('alice')).toThrow();
    },
    60_000,
  );
});
