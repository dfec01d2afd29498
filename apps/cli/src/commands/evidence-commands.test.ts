import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelease, qaWithNode, runMain, target, type Json } from '../testing/run-main';
import { makePeople, recordServing } from '../testing/trust-fixture';

// The promotion-gate commands end to end through `main`, on a filesystem ledger in a temp dir, with
// the real JUnit and k6 reports kept in libs/promotion-gate/src/__fixtures__.
const fixtures = new URL('../../../../libs/promotion-gate/src/__fixtures__/', import.meta.url).pathname;
const exampleConfig = new URL('../../../../shipgate.yaml', import.meta.url).pathname;
const digest = 'sha256:' + '5e'.repeat(32);
let dir: string;
let config: string;
/** SSH private keys: alice, carol and dana are in the allowed-signers file, mallory is not. */
let keys: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-evidence-'));
  // The example config, with a production stress policy that the real k6 fixtures can meet: they ran
  // 10 s at up to 20 VUs and their identity check is named "slow body has delay_ms".
  const text = (await readFile(exampleConfig, 'utf8'))
    .replace('minDuration: 60s', 'minDuration: 5s')
    .replace('minPeakVus: 20', 'minPeakVus: 10')
    .replace('releaseCheck: serves the release under test', 'releaseCheck: slow body has delay_ms')
    .replace('qa: { minTests: 5, maxFailures: 0, maxSkipped: 0 }', 'qa: { minTests: 10, maxFailures: 0 }')
    .replace(/freezeWindows:\n(\s+- .*\n)(\s{10}.*\n)*/m, 'freezeWindows: []\n')
    // Paths in the config are relative to its directory: point them back into the repository.
    .replaceAll('apps/sample-service/', new URL('../../../sample-service/', import.meta.url).pathname)
    .replaceAll('loadtests/', new URL('../../../../loadtests/', import.meta.url).pathname);
  config = join(dir, 'shipgate.yaml');
  await writeFile(config, text);
  keys = await makePeople(dir, ['alice', 'carol', 'dana'], ['mallory']);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Every run under the local-rehearsal profile, against the example's local-cloud target: the rehearsal key
// signs as each environment's CI, and the allowed-signers file is the one makePeople wrote.
const shipgate = (state: string, args: string[], env: Record<string, string | undefined> = {}) =>
  runMain({
    config,
    state,
    args: ['--policy-profile', 'local-rehearsal', ...args],
    env: { SSH_AUTH_SOCK: undefined, ...env },
  });

/** A release by ci-bot, authored by dana, that serves in staging (a deployment record signed as staging's CI). */
const newRelease = async (state: string, serving = true) => {
  const id = await createRelease(shipgate, state, digest, ['--author', 'dana']);
  if (serving) await recordServing(state, { id, service: 'sample-service', digest }, 'staging');
  return id;
};

/** `approve` signed with `who`'s SSH key. */
const approve = (state: string, who: string, release: string, ...extra: string[]) =>
  shipgate(state, [
    'approve',
    'production',
    '--service',
    'sample-service',
    '--release',
    release,
    '--key',
    keys[who]!,
    ...extra,
  ]);

/** staging's production listener in the example config on local-cloud: where CI's k6 run sent its load. */
const stagingListener = 'http://127.0.0.1:18180';
const addEvidence = (state: string, release: string, flag: '--junit' | '--k6-summary', file: string) =>
  shipgate(state, [
    ...['evidence', 'add', 'staging', '--service', 'sample-service', '--release', release, flag, file],
    ...(flag === '--k6-summary' ? ['--base-url', stagingListener] : []),
  ]);

const requirement = (json: Json | undefined, id: string) =>
  (json!.decision.requirements as { id: string; status: string; reason: string; observed: string }[]).find(
    (r) => r.id === id,
  );

describe('evidence, approvals and the gate through the CLI', () => {
  it('blocks with every requirement listed, then passes once QA, stress and an approval are recorded', async () => {
    const state = join(dir, 'pass');
    const release = await newRelease(state);
    const summaryFile = join(dir, 'summary.md');

    const before = await shipgate(state, ['gate', 'production', '--service', 'sample-service', '--release', release], {
      GITHUB_STEP_SUMMARY: summaryFile,
    });
    expect(before.code).toBe(1);
    expect(before.json!.decision.outcome).toBe('block');
    expect(requirement(before.json, 'qa.evidence')!.status).toBe('missing');
    expect(requirement(before.json, 'stress.evidence')!.status).toBe('missing');
    expect(requirement(before.json, 'approvals')!.status).toBe('fail');
    expect(await readFile(summaryFile, 'utf8')).toContain('BLOCK');

    const qa = await addEvidence(state, release, '--junit', join(fixtures, 'junit/vitest-pass.junit.xml'));
    expect(qa.code).toBe(0);
    expect(qa.json!.evidence[0].summary).toMatchObject({ tests: 25, failures: 0, errors: 0 });
    const stress = await addEvidence(state, release, '--k6-summary', join(fixtures, 'k6/k6-pass.handle-summary.json'));
    expect(stress.code).toBe(0);
    expect(stress.json!.evidence[0].origin).toMatchObject({ actor: expect.any(String), where: expect.any(String) });

    const author = await approve(state, 'dana', release);
    expect(author.code).toBe(2);
    expect(author.json!.error.code).toBe('APPROVAL_REFUSED');
    expect(author.json!.error.message).toContain('author');
    const stranger = await approve(state, 'mallory', release);
    expect(stranger.code).toBe(2);
    expect(stranger.json!.error.message).toContain('expected an SSH key listed in');
    const carol = await approve(state, 'carol', release, '--comment', 'evidence reviewed');
    expect(carol.code).toBe(0);

    const after = await shipgate(state, ['gate', 'production', '--service', 'sample-service', '--release', release]);
    expect(after.json!.decision.requirements.filter((r: { status: string }) => r.status !== 'pass')).toEqual([]);
    expect(after.code).toBe(0);
    expect(requirement(after.json, 'approvals')!.observed).toContain('carol');

    const audit = await shipgate(state, ['audit', 'log', '--release', release]);
    expect(audit.json!.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['release.create', 'evidence.add', 'gate.decision']),
    );
    expect((await shipgate(state, ['audit', 'verify'])).json).toMatchObject({ ok: true });
  });

  it('deploy --dry-run shows that the gate would block, exits 1, and records no decision', async () => {
    const state = join(dir, 'dry-run');
    const release = await newRelease(state, false);
    const dry = await shipgate(state, [
      'deploy',
      'production',
      '--service',
      'sample-service',
      '--release',
      release,
      '--dry-run',
    ]);
    expect(dry.code).toBe(1);
    expect(dry.json).toMatchObject({ dryRun: true, outcome: 'blocked', release, environment: 'production' });
    expect(dry.json!.gate.requirements.find((r: { id: string }) => r.id === 'approvals').status).toBe('fail');
    const audit = await shipgate(state, ['audit', 'log', '--release', release]);
    expect(audit.json!.entries.map((e: { action: string }) => e.action)).toEqual(['release.create']);
  });

  it('blocks inside a freeze window, and passes on an emergency override by an allowed person, recorded with its reason', async () => {
    const frozen = join(dir, 'frozen.yaml');
    await writeFile(
      frozen,
      (await readFile(config, 'utf8')).replace(
        'freezeWindows: []',
        "freezeWindows: [{ name: always, start: '2000-01-01', end: '2100-01-01', timeZone: Europe/Berlin }]",
      ),
    );
    const state = join(dir, 'frozen');
    const release = await newRelease(state);
    await addEvidence(state, release, '--junit', join(fixtures, 'junit/vitest-pass.junit.xml'));
    await addEvidence(state, release, '--k6-summary', join(fixtures, 'k6/k6-pass.handle-summary.json'));
    await approve(state, 'carol', release);
    const gateArgs = ['--config', frozen, 'gate', 'production', '--service', 'sample-service', '--release', release];
    const blocked = await shipgate(state, gateArgs);
    expect(blocked.code).toBe(1);
    expect(requirement(blocked.json, 'freeze')!.status).toBe('fail');
    const notAllowed = await shipgate(state, [
      ...gateArgs,
      '--key',
      keys.carol!,
      '--emergency-override',
      'checkout is down, hotfix INC-42',
    ]);
    expect(notAllowed.code).toBe(1);
    const overridden = await shipgate(state, [
      ...gateArgs,
      '--key',
      keys.alice!,
      '--emergency-override',
      'checkout is down, hotfix INC-42',
    ]);
    expect(requirement(overridden.json, 'freeze')!.status).toBe('pass');
    expect(requirement(overridden.json, 'freeze')!.observed + requirement(overridden.json, 'freeze')!.reason).toContain(
      'alice',
    );
    expect(overridden.code).toBe(0);
    // The override is evidence now: the next evaluation (e.g. by promote) sees it too.
    expect((await shipgate(state, gateArgs)).code).toBe(0);
  });

  it('blocks on a failed k6 threshold, naming it', async () => {
    const state = join(dir, 'k6-fail');
    const release = await newRelease(state);
    await addEvidence(state, release, '--k6-summary', join(fixtures, 'k6/k6-fail.summary-export.json'));
    const gate = await shipgate(state, ['gate', 'production', '--service', 'sample-service', '--release', release]);
    expect(gate.code).toBe(1);
    const thresholds = requirement(gate.json, 'stress.thresholds')!;
    expect(thresholds.status).toBe('fail');
    expect(thresholds.observed + thresholds.reason).toContain('http_req_failed');
  });

  it('refuses an unsafe or unreadable evidence file and records nothing', async () => {
    const state = join(dir, 'unsafe');
    const release = await newRelease(state);
    const xxe = join(dir, 'xxe.xml');
    await writeFile(
      xxe,
      '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<testsuites><testsuite name="a" tests="1"><testcase name="&x;"/></testsuite></testsuites>',
    );
    const unsafe = await addEvidence(state, release, '--junit', xxe);
    expect(unsafe.code).toBe(2);
    expect(unsafe.json!.error.code).toBe('EVIDENCE_UNSAFE');
    const notK6 = join(dir, 'not-k6.json');
    await writeFile(notK6, JSON.stringify({ hello: 'world' }));
    const invalid = await addEvidence(state, release, '--k6-summary', notK6);
    expect(invalid.code).toBe(2);
    expect(invalid.json!.error.code).toBe('EVIDENCE_INVALID');
    const shown = await shipgate(state, ['release', 'show', release]);
    expect(shown.json!.evidence).toEqual([]);
  });

  it('records the JUnit report a QA command writes, and refuses a command that writes none', async () => {
    const state = join(dir, 'qa');
    const release = await newRelease(state);
    const writeJunit =
      'require(\'fs\').writeFileSync(process.env.JUNIT_OUTPUT, \'<testsuites><testsuite name="s" tests="2"><testcase name="a"/><testcase name="b"><failure message="boom"/></testcase></testsuite></testsuites>\'); if (!process.env.SHIPGATE_BASE_URL || !process.env.RELEASE_ID) process.exit(3)';
    const qa = await shipgate(state, qaWithNode(release, writeJunit));
    expect(qa.code).toBe(1); // one test failed
    expect(qa.json!.evidence.summary).toMatchObject({ tests: 2, failures: 1 });
    expect(qa.json!.commandExitCode).toBe(0);
    const none = await shipgate(state, qaWithNode(release, 'process.exit(0)'));
    expect(none.code).toBe(2);
    expect(none.json!.error.code).toBe('QA_RUN_FAILED');
  });

  it('says k6 is not installed, how to install it, and records nothing', async () => {
    const state = join(dir, 'no-k6');
    const release = await newRelease(state);
    const result = await shipgate(state, ['stress', 'staging', ...target(release)], {
      PATH: '/nonexistent',
      K6_BINARY: undefined,
    });
    expect(result.code).toBe(2);
    expect(result.json!.error.code).toBe('TOOL_NOT_INSTALLED');
    expect(result.json!.error.hint ?? result.json!.error.message).toMatch(/k6/);
    expect((await shipgate(state, ['release', 'show', release])).json!.evidence).toEqual([]);
  });

  it('imports GitHub environment approvals through the REST API, without printing the token', async () => {
    const state = join(dir, 'github');
    const release = await newRelease(state);
    const seen: { url?: string; auth?: string } = {};
    const github: Server = createServer((req, res) => {
      seen.url = req.url;
      seen.auth = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify([
          {
            state: 'approved',
            comment: 'ship it',
            environments: [{ id: 1, name: 'production' }],
            user: { login: 'carol' },
          },
        ]),
      );
    });
    await new Promise<void>((r) => github.listen(0, '127.0.0.1', r));
    try {
      const token = 'ghs_' + 'x'.repeat(36);
      const env = {
        GITHUB_TOKEN: token,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_RUN_ID: '4242',
        GITHUB_API_URL: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
      };
      const imported = await shipgate(
        state,
        ['approvals', 'import', 'production', '--service', 'sample-service', '--release', release],
        env,
      );
      expect(imported.code).toBe(0);
      expect(seen.url).toMatch(/^\/repos\/acme\/shop\/actions\/runs\/4242\/approvals/);
      expect(seen.auth).toBe(`Bearer ${token}`);
      expect(imported.json!.approvals[0].summary).toMatchObject({
        approver: 'carol',
        state: 'approved',
        via: 'github',
      });
      expect(JSON.stringify(imported.json) + imported.err).not.toContain(token);
    } finally {
      github.close();
    }
  });
  // #11 item 22: `approve` and the gate apply one rule. Each approval `approve` accepts is counted by the
  // gate; each it refuses, recorded anyway (as a GitHub review could be), is not counted by the gate.
  it('approve accepts exactly the approvals the gate counts (#11.22)', async () => {
    const cases = [
      { approver: 'carol', creator: 'ci-bot', author: 'dana', counts: true },
      { approver: 'Alice', creator: 'ci-bot', author: 'dana', counts: true },
      { approver: 'mallory', creator: 'ci-bot', author: 'dana', counts: false },
      { approver: 'dana', creator: 'ci-bot', author: 'dana', counts: false },
      // The creator's git e-mail and the author's GitHub noreply address are the same people as the logins.
      { approver: 'carol', creator: 'carol@example.org', author: 'dana', counts: false },
      { approver: 'alice', creator: 'ci-bot', author: '1234+alice@users.noreply.github.com', counts: false },
    ];
    const { FsStateStore, openLedger } = await import('@shipgate/ledger');
    const { approvalEvidence } = await import('@shipgate/promotion-gate');
    const { cryptoRandom, systemClock } = await import('@shipgate/model');
    const seen = [];
    for (const [i, c] of cases.entries()) {
      const state = join(dir, `approver-${i}`);
      const created = await shipgate(state, [
        ...['--as', c.creator, 'release', 'create', '--service', 'sample-service'],
        ...['--image', `registry.example/sample@${digest}`, '--git-sha', 'abcdef1', '--author', c.author],
      ]);
      const releaseId = String(created.json!.release.id);
      await recordServing(state, { id: releaseId, service: 'sample-service', digest }, 'staging');
      const approved = await approve(state, c.approver.toLowerCase(), releaseId);
      if (approved.code !== 0) {
        expect(approved.json!.error.code).toBe('APPROVAL_REFUSED');
        const ledger = openLedger(new FsStateStore(state), { clock: systemClock, random: cryptoRandom });
        const release = await ledger.releases.get(releaseId);
        const origin = { actor: c.approver, where: 'local' };
        const record = approvalEvidence(
          { approver: c.approver, via: 'github' },
          { release, environment: 'production', origin, recordedAt: new Date() },
        );
        await ledger.evidence.add(record, c.approver);
      }
      const gate = await shipgate(state, ['gate', 'production', '--service', 'sample-service', '--release', releaseId]);
      const counted = requirement(gate.json, 'approvals')!.status === 'pass';
      seen.push({ ...c, approveAccepted: approved.code === 0, gateCounted: counted });
    }
    expect(seen.map((s) => [s.approver, s.approveAccepted, s.gateCounted])).toEqual(
      cases.map((c) => [c.approver, c.counts, c.counts]),
    );
  }, 60_000);
});

describe('seeding through the CLI', () => {
  it('refuses production before any connection, and audits the refusal', async () => {
    const state = join(dir, 'seed-prod');
    const refused = await shipgate(state, ['seed', 'production', '--service', 'sample-service', '--seed', '1']);
    expect(refused.code).toBe(2);
    expect(refused.json!.error.code).toBe('DATA_POLICY_REAL');
    const audit = await shipgate(state, ['audit', 'log', '--action', 'seed.refused']);
    expect(audit.json!.entries).toHaveLength(1);
    expect(audit.json!.entries[0].subject).toMatchObject({ environment: 'production' });
  });

  it('seeds test on the embedded database deterministically, and data verify finds only synthetic values', async () => {
    const state = join(dir, 'seed-test');
    const first = await shipgate(state, ['seed', 'test', '--service', 'sample-service', '--seed', '42', '--migrate']);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ seed: 42, seedWasRandom: false, profile: 'small', totalRows: 6239 });
    const again = await shipgate(state, ['seed', 'test', '--service', 'sample-service', '--seed', '42', '--reset']);
    expect(again.json!.datasetHash).toBe(first.json!.datasetHash);
    const verify = await shipgate(state, ['data', 'verify', 'test', '--service', 'sample-service']);
    expect(verify.code).toBe(0);
    expect(verify.json).toMatchObject({ clean: true, rowsScanned: 6239 });
  }, 300_000); // bundles and seeds the sample dataset twice through the CLI: minutes on a loaded machine
});
