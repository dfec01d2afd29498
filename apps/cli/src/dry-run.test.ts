import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRehearsalKey } from '@shipgate/trust';
import { createRelease, runMain } from './testing/run-main';
import { makePeople } from './testing/trust-fixture';

// #11 item 20: `--dry-run` on every command that records something. Each runs through main() on a real
// filesystem ledger; the state directory must be byte-for-byte the same afterwards, and the listing must
// name exactly the records the real run then writes.
const repoConfig = new URL('../../../shipgate.yaml', import.meta.url).pathname;
/** The example config, copied beside the SSH keys of carol and dana (its local-rehearsal profile's allowed signers). */
let exampleConfig: string;
let keys: Record<string, string>;
const fixtures = new URL('../../../libs/promotion-gate/src/__fixtures__/', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-dry-run-'));
  const repo = new URL('../../../', import.meta.url).pathname;
  exampleConfig = join(dir, 'shipgate.yaml');
  await writeFile(
    exampleConfig,
    (await readFile(repoConfig, 'utf8'))
      .replaceAll('apps/sample-service/', join(repo, 'apps/sample-service/'))
      .replaceAll('loadtests/', join(repo, 'loadtests/')),
  );
  keys = await makePeople(dir, ['carol', 'dana']);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** shipgate through main() on the example config, human output unless the args say --json. */
// Under the local-rehearsal profile (the example's local-cloud target): the rehearsal key signs as CI.
const shipgate = (state: string, args: string[], env: Record<string, string> = {}) =>
  runMain({ config: exampleConfig, state, args: ['--policy-profile', 'local-rehearsal', ...args], env, json: false });

/** Every file and directory under `root`, with a hash of each file's bytes. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        out.set(relative(root, path) + '/', 'dir');
        await walk(path);
      } else
        out.set(
          relative(root, path),
          createHash('sha256')
            .update(await readFile(path))
            .digest('hex'),
        );
    }
  };
  await walk(root);
  return out;
}

/** Evidence ids hash their recording time, so a dry run and the real run after it differ only there. */
const sameRecord = (key: string) => key.replace(/\/ev-([a-z]+)-[0-9a-f]+\.json$/, '/ev-$1-<hash>.json');

/** The ledger paths a dry run lists (`  create /state/releases/x.json  (release x)`). */
function listed(out: string, state: string): string[] {
  return [...out.matchAll(/^ {2}(?:create|update) (\S+) {2}\(/gm)]
    .map((m) => sameRecord(relative(state, m[1]!)))
    .sort();
}

/** Runs `args` as a dry run, then for real: the dry run changes nothing and names what the real run writes. */
async function dryThenReal(state: string, args: string[], env: Record<string, string> = {}) {
  const before = await snapshot(state);
  const dry = await shipgate(state, [...args, '--dry-run'], env);
  expect(dry.err).toBe('');
  expect(dry.code).toBe(0);
  expect(await snapshot(state)).toEqual(before);
  const real = await shipgate(state, args, env);
  expect(real.code).toBe(0);
  const after = await snapshot(state);
  const written = [...after.keys()]
    .filter((k) => !before.has(k) && !k.endsWith('/'))
    .map(sameRecord)
    .sort();
  expect(listed(dry.out, state)).toEqual(written);
  return { dry, real };
}

/** A release of its own digest per test (createRelease fixes the rest). */
let releases = 0;
const newRelease = async (state: string) => {
  const id = await createRelease(
    // Signed with the rehearsal key, as the build CI identity does in CI.
    (at, args) => runMain({ config: exampleConfig, state: at, args: ['--policy-profile', 'local-rehearsal', ...args] }),
    state,
    'sha256:' + (++releases).toString(16).padStart(2, '0').repeat(32),
  );
  await generateRehearsalKey(state); // made once, before the snapshots: the key is not a ledger record
  return id;
};

describe('--dry-run on the commands that record (#11.20)', () => {
  it('release create --dry-run lists the release and its audit entry, writes nothing (#11.20)', async () => {
    const state = join(dir, 'release');
    await newRelease(state);
    const args = ['--as', 'ci-bot', 'release', 'create', '--service', 'sample-service'];
    const { dry } = await dryThenReal(state, [
      ...args,
      '--image',
      `registry.example/sample@sha256:${'7c'.repeat(32)}`,
      '--git-sha',
      'bbbbbbb',
    ]);
    expect(dry.out).toMatch(/^would create release rel-/m);
    // The release, its audit entry, and the signed checkpoint the real run ends with (#12.7).
    expect(dry.out).toContain('a real run would write 3 ledger record(s):');
    expect(dry.out).toMatch(/create \S+\/releases\/rel-\S+\.json {2}\(release rel-/);
    expect(dry.out).toMatch(/create \S+\/audit\/000000000002\.json {2}\(audit entry #2: release\.create by ci-bot\)/);
    expect(dry.out).toMatch(
      /create \S+\/checkpoints\/000000000002\.json {2}\(audit checkpoint after entry #2, signed /,
    );
    // Under --json the same listing sits beside the command's own fields.
    const json = await runMain({
      config: exampleConfig,
      state,
      args: [...args, '--image', `registry.example/sample@sha256:${'7d'.repeat(32)}`, '--dry-run'],
    });
    expect(json.code).toBe(0);
    expect(json.json).toMatchObject({ created: true, dryRun: true });
    expect(json.json!.wouldWrite.map((w: { key: string; action: string }) => `${w.action} ${w.key}`)).toEqual([
      `create releases/${json.json!.release.id}.json`,
      'create audit/000000000003.json',
    ]);
  });

  it('approve --dry-run still refuses the author, and lists the approval it would record (#11.20)', async () => {
    const state = join(dir, 'approve');
    const release = await newRelease(state);
    const args = ['approve', 'production', '--service', 'sample-service', '--release', release];
    const before = await snapshot(state);
    const author = await shipgate(state, [...args, '--key', keys.dana!, '--dry-run']);
    expect(author.code).toBe(2);
    expect(author.err).toContain('APPROVAL_REFUSED');
    expect(await snapshot(state)).toEqual(before);
    const { dry } = await dryThenReal(state, [...args, '--key', keys.carol!]);
    expect(dry.out).toContain(`carol would approve ${release}`);
    expect(dry.out).toMatch(new RegExp(`create \\S+/evidence/${release}/\\S+\\.json {2}\\(approval evidence `));
    expect(dry.out).toContain('(audit entry #2: evidence.add by carol)');
  });

  it('evidence add --dry-run parses the report, and lists the QA evidence it would record (#11.20)', async () => {
    const state = join(dir, 'evidence');
    const release = await newRelease(state);
    const junit = join(fixtures, 'junit/vitest-pass.junit.xml');
    const args = ['evidence', 'add', 'staging', '--service', 'sample-service', '--release', release];
    const { dry } = await dryThenReal(state, [...args, '--junit', junit]);
    expect(dry.out).toContain(`would record qa evidence`);
    expect(dry.out).toContain('25 tests, 0 failures');
    expect(dry.out).toMatch(new RegExp(`create \\S+/evidence/${release}/\\S+\\.json {2}\\(qa evidence `));
    // A file that does not parse fails the dry run as it fails the real one.
    const before = await snapshot(state);
    const bad = await shipgate(state, [...args, '--junit', exampleConfig, '--dry-run']);
    expect(bad.code).toBe(2);
    expect(await snapshot(state)).toEqual(before);
  });

  it('approvals import --dry-run reads the reviews and lists one approval per review (#11.20)', async () => {
    const state = join(dir, 'import');
    const release = await newRelease(state);
    let requests = 0;
    const github: Server = createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      const review = (login: string) => ({
        state: 'approved',
        environments: [{ id: 1, name: 'production' }],
        user: { login },
      });
      res.end(JSON.stringify([review('carol'), review('erin')]));
    });
    await new Promise<void>((r) => github.listen(0, '127.0.0.1', r));
    try {
      const env = {
        GITHUB_TOKEN: 'ghs_' + 'y'.repeat(36),
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '77',
        GITHUB_API_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
      };
      const args = ['approvals', 'import', 'production', '--service', 'sample-service', '--release', release];
      const { dry } = await dryThenReal(state, args, env);
      expect(requests).toBeGreaterThanOrEqual(2);
      expect(dry.out).toContain(`would record approved by carol for ${release}`);
      expect(dry.out).toContain('a real run would write 5 ledger record(s):');
    } finally {
      github.close();
    }
  });

  it('qa --dry-run shows the command, URL, report path and record, and runs nothing (#11.20)', async () => {
    const state = join(dir, 'qa');
    const release = await newRelease(state);
    const marker = join(dir, 'qa-ran');
    const before = await snapshot(state);
    const dry = await shipgate(state, [
      'qa',
      'staging',
      '--service',
      'sample-service',
      '--release',
      release,
      '--base-url',
      'http://127.0.0.1:9/',
      '--junit',
      'reports/junit.xml',
      '--dry-run',
      '--',
      process.execPath,
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`,
    ]);
    expect(dry.code).toBe(0);
    expect(await snapshot(state)).toEqual(before);
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
    expect(dry.out).toContain(`  run:     ${process.execPath} -e require('fs')`);
    expect(dry.out).toContain('  target:  http://127.0.0.1:9/');
    expect(dry.out).toContain(`  report:  ${join(process.cwd(), 'reports/junit.xml')}`);
    expect(dry.out).toContain(
      `  record:  qa evidence for ${release} in staging at ${join(state, 'evidence', release)}/`,
    );
  });

  it('stress --dry-run sends no request, and refuses as the real run does when k6 is missing (#11.20)', async () => {
    const state = join(dir, 'stress');
    const release = await newRelease(state);
    let requests = 0;
    const target: Server = createServer((_req, res) => {
      requests++;
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    try {
      const baseUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
      const args = ['stress', 'staging', '--service', 'sample-service', '--release', release, '--base-url', baseUrl];
      const before = await snapshot(state);
      const dry = await shipgate(state, [...args, '--tool', 'autocannon', '--connections', '3', '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.out).toContain('  run:     autocannon (in-process): 3 connections for 20 s');
      expect(dry.out).toContain(`  target:  ${baseUrl}`);
      expect(dry.out).toContain(`  record:  stress evidence for ${release} in staging`);
      const noK6 = await shipgate(state, [...args, '--dry-run'], { K6_BINARY: join(dir, 'no-such-k6') });
      expect(noK6.code).toBe(2);
      expect(noK6.err).toContain('TOOL_NOT_INSTALLED');
      expect(requests).toBe(0);
      expect(await snapshot(state)).toEqual(before);
    } finally {
      target.close();
    }
  });
});
