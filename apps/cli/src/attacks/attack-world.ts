import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { StateStore } from '@shipgate/ledger';
import type { SignerPort } from '@shipgate/trust';
import { expect } from 'vitest';
import { loadConfig } from '../support/config';
import { ciSigner } from '../support/signers';
import { runMain, type MainRun } from '../testing/run-main';
import { makePeople, recordServing } from '../testing/trust-fixture';

// The world the attack suite plays in: a git repository holding the example shipgate.yaml (committed,
// so the pinned-policy check has something to compare with), a real local-cloud whose KMS holds one CI
// key per environment (their public keys committed beside the config, as docs/security.md sets them
// up), release managers' SSH keys in .github/allowed_signers, and a ledger on the file system or in S3.

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const fixtures = join(repoRoot, 'libs/promotion-gate/src/__fixtures__');
/** The real reports the honest path records. */
export const junitPass = join(fixtures, 'junit/vitest-pass.junit.xml');
export const k6Pass = join(fixtures, 'k6/k6-pass.handle-summary.json');
/** Where staging's and production's production listeners answer in the example config on local-cloud. */
export const stagingListener = 'http://127.0.0.1:18180';
export const productionListener = 'http://127.0.0.1:18280';

/** The raw bytes of the ledger, as someone with write access to the directory or bucket sees them. */
export interface RawStore {
  get(key: string): Promise<string>;
  put(key: string, text: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

/** One release of the world, by id and digest. */
export interface WorldRelease {
  id: string;
  service: string;
  digest: string;
}

/** A world to attack. */
export interface AttackWorld {
  dir: string;
  config: string;
  state: string;
  keys: Record<string, string>;
  raw: RawStore;
  /** `shipgate --config C --state S --json …` with the world's environment. */
  run(args: string[], env?: Record<string, string | undefined>, config?: string): Promise<MainRun>;
  newRelease(options?: { digest?: string; gitSha?: string; servingInStaging?: boolean }): Promise<WorldRelease>;
  /** An environment's CI signer (its KMS key in local-cloud), as someone holding that role has it. */
  ciSigner(environment: string): Promise<SignerPort>;
  /** What CI does for a release: serve it in staging, record QA and stress there; then carol approves. */
  honest(release: WorldRelease): Promise<void>;
  gate(release: WorldRelease, env?: Record<string, string | undefined>, config?: string): Promise<MainRun>;
  close(): Promise<void>;
}

/** Creates the CI keys (one per environment, and the build's that signs releases, under the example config's aliases) in local-cloud's KMS. */
export async function createCiKeys(endpoint: string): Promise<Record<string, string>> {
  const kms = new KMSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const pems: Record<string, string> = {};
  for (const env of ['build', 'test', 'staging', 'production']) {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    await kms.send(
      new CreateAliasCommand({ AliasName: `alias/shipgate-demo-${env}-ci`, TargetKeyId: KeyMetadata!.KeyId! }),
    );
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata!.KeyId! }));
    const b64 = Buffer.from(PublicKey!)
      .toString('base64')
      .replace(/(.{64})/g, '$1\n');
    pems[env] = `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
  }
  kms.destroy();
  return pems;
}

let releases = 0;

/** Builds one world; `ledger` says where its ledger lives. */
export async function startAttackWorld(options: {
  cloudPort: number;
  ciKeys: Record<string, string>;
  ledger:
    | { kind: 'fs' }
    | {
        kind: 's3';
        endpoint: string;
        bucket: string;
        objects: () => Map<string, { body: Buffer; etag: string; modified: Date }>;
      };
}): Promise<AttackWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-attacks-'));
  const example = await readFile(join(repoRoot, 'shipgate.yaml'), 'utf8');
  const text = example
    .replace('  port: 4566', `  port: ${options.cloudPort}`)
    .replace('minDuration: 60s', 'minDuration: 5s')
    .replace('minPeakVus: 20', 'minPeakVus: 10')
    .replace('releaseCheck: serves the release under test', 'releaseCheck: slow body has delay_ms')
    .replace('qa: { minTests: 5, maxFailures: 0, maxSkipped: 0 }', 'qa: { minTests: 10, maxFailures: 0 }')
    .replace(/freezeWindows:\n(\s+- .*\n)(\s{10}.*\n)*/m, 'freezeWindows: []\n')
    .replaceAll('apps/sample-service/', join(repoRoot, 'apps/sample-service/'))
    .replaceAll('loadtests/', join(repoRoot, 'loadtests/'));
  expect(text).not.toBe(example);
  const config = join(dir, 'shipgate.yaml');
  await writeFile(config, text);
  for (const [env, pem] of Object.entries(options.ciKeys)) {
    await mkdir(join(dir, '.github/trust'), { recursive: true });
    await writeFile(join(dir, `.github/trust/${env}-ci.pem`), pem);
  }
  const keys = await makePeople(dir, ['alice', 'carol', 'dana'], ['mallory'], '.github/allowed_signers');
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
  git('init', '-q');
  git('-c', 'user.email=dana@example.com', '-c', 'user.name=dana', 'add', 'shipgate.yaml', '.github');
  git('-c', 'user.email=dana@example.com', '-c', 'user.name=dana', 'commit', '-q', '-m', 'policy');

  const ledger = options.ledger;
  const prefix = `attacks-${process.pid}-${++releases}`;
  const state = ledger.kind === 'fs' ? join(dir, 'state') : `s3://${ledger.bucket}/${prefix}`;
  const baseEnv: Record<string, string | undefined> = {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: undefined,
    AWS_PROFILE: undefined,
    SSH_AUTH_SOCK: undefined,
    GITHUB_ACTIONS: undefined,
    SHIPGATE_POLICY_PROFILE: undefined,
    ...(ledger.kind === 's3' ? { SHIPGATE_S3_ENDPOINT: ledger.endpoint } : {}),
  };
  const raw: RawStore =
    ledger.kind === 'fs'
      ? {
          get: (key) => readFile(join(state, key), 'utf8'),
          async put(key, body) {
            await mkdir(dirname(join(state, key)), { recursive: true });
            await writeFile(join(state, key), body);
          },
          async list(p) {
            const { readdir } = await import('node:fs/promises');
            const entries = await readdir(join(state, p)).catch(() => [] as string[]);
            return entries.filter((e) => e.endsWith('.json')).map((e) => `${p}${e}`);
          },
        }
      : {
          get: async (key) => ledger.objects().get(`${prefix}/${key}`)!.body.toString('utf8'),
          put: async (key, body) => {
            ledger.objects().set(`${prefix}/${key}`, {
              body: Buffer.from(body),
              // S3's ETag of a single-part object is the MD5 of its bytes.
              etag: `"${createHash('md5').update(body).digest('hex')}"`,
              modified: new Date(),
            });
          },
          list: async (p) =>
            [...ledger.objects().keys()]
              .filter((k) => k.startsWith(`${prefix}/${p}`) && !k.slice(`${prefix}/${p}`.length).includes('/'))
              .map((k) => k.slice(prefix.length + 1)),
        };
  const store = async (): Promise<StateStore> => {
    const { resolveStateStore } = await import('@shipgate/ledger');
    if (ledger.kind === 'fs') return resolveStateStore(state, {});
    const { testS3Client } = await import('@shipgate/ledger/testing');
    return resolveStateStore(state, { s3Client: async () => testS3Client(ledger.endpoint) });
  };
  const run = (args: string[], env: Record<string, string | undefined> = {}, cfg = config) =>
    runMain({ config: cfg, state, args, env: { ...baseEnv, ...env } });
  const loaded = await loadConfig({ global: { config, json: true, state, quiet: true }, cwd: dir });
  const ci: Record<string, SignerPort> = {};
  const ciOf = async (env: string) =>
    (ci[env] ??= await ciSigner(
      {
        global: { config, json: true, state, quiet: true },
        cwd: dir,
        env: { ...process.env, AWS_ENDPOINT_URL: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_PROFILE: undefined },
      },
      loaded,
      env,
    ));
  const target = (r: WorldRelease) => ['--service', r.service, '--release', r.id];

  return {
    dir,
    config,
    state,
    keys,
    raw,
    run,
    async newRelease(o = {}) {
      const digest = o.digest ?? `sha256:${(++releases).toString(16).padStart(64, '0')}`;
      const created = await run([
        ...['--as', 'ci-bot', 'release', 'create', '--service', 'sample-service'],
        ...['--image', `registry.example/sample@${digest}`, '--git-sha', o.gitSha ?? 'abcdef1', '--author', 'dana'],
      ]);
      expect(created.code, created.err).toBe(0);
      expect(created.json!.signed, 'release create signs with the build CI key').toBe(true);
      const release = { id: String(created.json!.release.id), service: 'sample-service', digest };
      if (o.servingInStaging ?? true)
        await recordServing(state, release, 'staging', { signer: await ciOf('staging'), store: await store() });
      return release;
    },
    ciSigner: ciOf,
    async honest(release) {
      const qa = await run(['evidence', 'add', 'staging', ...target(release), '--junit', junitPass]);
      expect(qa.code, qa.err).toBe(0);
      const stress = await run([
        'evidence',
        'add',
        'staging',
        ...target(release),
        '--k6-summary',
        k6Pass,
        '--base-url',
        stagingListener,
      ]);
      expect(stress.code, stress.err).toBe(0);
      const approved = await run(['approve', 'production', ...target(release), '--key', keys.carol!]);
      expect(approved.code, approved.err).toBe(0);
    },
    gate: (release, env = {}, cfg = config) => run(['gate', 'production', ...target(release)], env, cfg),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The requirement `id` of a decision in `--json` output. */
export function requirement(run: MainRun, id: string): { status: string; reason: string; observed: string } {
  const found = (
    run.json?.decision?.requirements as { id: string; status: string; reason: string; observed: string }[] | undefined
  )?.find((r) => r.id === id);
  if (!found) throw new Error(`no requirement ${id} in ${run.out || run.err}`);
  return found;
}
