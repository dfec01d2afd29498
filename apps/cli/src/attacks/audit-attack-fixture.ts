// The audit attack suites' ledger: a real one (a directory, or a bucket in the S3 stand-in reached
// through the real SDK), an honest history with signed checkpoints, and `shipgate` run through main.
import { generateKeyPairSync } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStoreFixture, type StoreFixture, type StoreKind } from '@shipgate/ledger/testing';
import { openLedger } from '@shipgate/ledger';
import { makeRelease, ManualClock, seededRandom } from '@shipgate/model';
import { evidenceCodec, parseJunit, qaEvidence } from '@shipgate/promotion-gate';
import { createKeySigner, generateRehearsalKey, releaseCodec, signRecord } from '@shipgate/trust';
import { runMain, type MainRun } from '../testing/run-main';

const repo = new URL('../../../../', import.meta.url).pathname;
const fixtures = join(repo, 'libs/promotion-gate/src/__fixtures__');
const digest = `sha256:${'a7'.repeat(32)}`;

/** One attack's ledger and the ways to run shipgate on it and to tamper with it. */
export interface AuditAttackLedger {
  fx: StoreFixture;
  /** `shipgate --config … --state … --json <args>` (`json: false`: the text for people). */
  shipgate(args: string[], json?: boolean): Promise<MainRun>;
  releaseId: string;
  /** Keys of the evidence records of the honest history. */
  evidenceKeys: string[];
  close(): Promise<void>;
}

/**
 * The example config with the staging CI identity replaced by a key made here (the one that signs the
 * S3 ledger's checkpoints), the build CI identity by another (the one that signs its release), and its
 * paths pointed back into the repository.
 */
async function writeConfig(dir: string, stagingPublicKeyPem: string, buildPublicKeyPem: string): Promise<string> {
  // Trust paths are relative to the config (inside its repository): the key and signers go beside it.
  await mkdir(join(dir, '.github', 'trust'), { recursive: true });
  await writeFile(join(dir, '.github', 'trust', 'staging-ci.pem'), stagingPublicKeyPem);
  await writeFile(join(dir, '.github', 'trust', 'build-ci.pem'), buildPublicKeyPem);
  await copyFile(join(repo, '.github', 'allowed_signers'), join(dir, '.github', 'allowed_signers'));
  const text = (await readFile(join(repo, 'shipgate.yaml'), 'utf8'))
    .replaceAll('apps/sample-service/', join(repo, 'apps/sample-service/'))
    .replaceAll('loadtests/', join(repo, 'loadtests/'));
  const config = join(dir, 'shipgate.yaml');
  await writeFile(config, text);
  return config;
}

/**
 * A ledger with an honest history. On the filesystem it is written by the CLI itself (release create,
 * two `evidence add`), each command ending with a checkpoint signed by the rehearsal key (the
 * local-rehearsal profile). In S3 it is written through the ledger with checkpoints signed by the
 * staging CI key the config names (the CLI signs with CI keys once trust-gate's KMS signer lands).
 */
export async function honestLedger(kind: StoreKind): Promise<AuditAttackLedger> {
  const dir = await mkdtemp(join(tmpdir(), `shipgate-audit-attack-${kind}-`));
  const fx = await createStoreFixture(kind);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const build = generateKeyPairSync('ed25519');
  const pem = (key: typeof publicKey) => key.export({ type: 'spki', format: 'pem' }) as string;
  const config = await writeConfig(dir, pem(publicKey), pem(build.publicKey));
  const env: Record<string, string> = fx.endpoint
    ? {
        SHIPGATE_S3_ENDPOINT: fx.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
      }
    : {};
  const profile = kind === 'fs' ? ['--policy-profile', 'local-rehearsal'] : [];
  const shipgate = (args: string[], json = true) =>
    runMain({ config, state: fx.location, args: [...profile, ...args], env, json });
  let releaseId: string;
  if (kind === 'fs') {
    await generateRehearsalKey(fx.location);
    const created = await shipgate([
      '--as',
      'ci-bot',
      'release',
      'create',
      '--service',
      'sample-service',
      '--image',
      `registry.test/sample-service@${digest}`,
      '--author',
      'dana',
    ]);
    if (created.code !== 0) throw new Error(`release create failed: ${created.err}${created.out}`);
    releaseId = created.json!.release.id as string;
    for (const file of ['junit/vitest-pass.junit.xml', 'junit/jest-mixed.junit.xml']) {
      const added = await shipgate([
        'evidence',
        'add',
        'staging',
        '--service',
        'sample-service',
        '--release',
        releaseId,
        '--junit',
        join(fixtures, file),
      ]);
      if (added.code !== 0) throw new Error(`evidence add failed: ${added.err}${added.out}`);
    }
  } else {
    const clock = new ManualClock('2026-12-01T10:00:00Z');
    const ledger = openLedger(fx.store, { clock, random: seededRandom(7) });
    const signer = createKeySigner(privateKey, { kind: 'ci', name: 'staging-ci' });
    const release = makeRelease({
      service: 'sample-service',
      image: `registry.test/sample-service@${digest}`,
      createdBy: 'ci-bot',
      createdAt: clock.now(),
    });
    releaseId = release.id;
    // As `release create` records it in CI: signed by the build CI identity.
    const buildSigner = createKeySigner(build.privateKey, { kind: 'ci', name: 'build-ci', build: true });
    await ledger.releases.create(await signRecord(release, releaseCodec, [buildSigner]), 'ci-bot');
    await ledger.audit.checkpoint(signer);
    for (const file of ['junit/vitest-pass.junit.xml', 'junit/jest-mixed.junit.xml']) {
      clock.advance(60_000);
      // As `evidence add` records it in CI: parsed from a real report, signed by staging's CI key.
      const parsed = await parseJunit(join(fixtures, file));
      const evidence = qaEvidence(parsed.summary, {
        release,
        environment: 'staging',
        origin: { actor: 'staging-ci', where: 'https://github.com/acme/shop/actions/runs/42' },
        recordedAt: clock.now(),
        sourceHash: parsed.sourceHash,
      });
      await ledger.evidence.add(await signRecord(evidence, evidenceCodec, [signer]), 'staging-ci');
      await ledger.audit.checkpoint(signer);
    }
  }
  const evidenceKeys = await fx.store.list(`evidence/${releaseId}/`);
  return {
    fx,
    shipgate,
    releaseId,
    evidenceKeys,
    close: async () => {
      await fx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `audit verify --json`: exit code and findings as (problem, about) pairs, for assertions. */
export async function auditVerify(ledger: AuditAttackLedger) {
  const run = await ledger.shipgate(['audit', 'verify']);
  const findings = (run.json?.findings ?? []) as { problem: string; about: string; expected: string; found: string }[];
  return { run, findings };
}
