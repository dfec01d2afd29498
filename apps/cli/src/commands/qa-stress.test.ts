import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelease, qaWithNode, runMain, target } from '../testing/run-main';
import { recordServing } from '../testing/trust-fixture';

// `shipgate qa` and `shipgate stress` end to end through `main`, on a filesystem ledger in a temp dir: the
// QA command is a real child process; k6 is a stand-in binary (no k6 is installable here) that prints
// like k6, exits with k6's codes and writes what k6 writes.
const repo = new URL('../../../../', import.meta.url).pathname;
const fixtures = join(repo, 'libs/promotion-gate/src/__fixtures__/');
const digest = 'sha256:' + '7c'.repeat(32);
let dir: string;
let config: string;
let fakeK6: string;

const fakeK6Source = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
if (args[0] === 'version') { console.log('k6 v0.48.0 (go1.19.8, linux/amd64)'); process.exit(0); }
console.log('running (0m01.0s), 1/1 VUs, 0 complete and 0 interrupted iterations');
console.error('time="2026-12-01T20:00:00Z" level=error msg="ReferenceError: nope is not defined at default (file:///script.bundle.js:3:3)"');
if (process.env.FAKE_K6_SUMMARY) fs.writeFileSync(args[args.indexOf('--summary-export') + 1], process.env.FAKE_K6_SUMMARY);
process.exit(Number(process.env.FAKE_K6_EXIT || 0));
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-qa-stress-'));
  const text = (await readFile(join(repo, 'shipgate.yaml'), 'utf8'))
    .replaceAll('apps/sample-service/', join(repo, 'apps/sample-service/'))
    .replaceAll('loadtests/', join(repo, 'loadtests/'));
  config = join(dir, 'shipgate.yaml');
  await writeFile(config, text);
  await mkdir(join(dir, 'bin'));
  fakeK6 = join(dir, 'bin', 'k6');
  await writeFile(fakeK6, fakeK6Source);
  await chmod(fakeK6, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Under the local-rehearsal profile (the example's local-cloud target): the rehearsal key signs as CI.
const shipgate = (state: string, args: string[], env: Record<string, string | undefined> = {}, json = true) =>
  runMain({ config, state, args: ['--policy-profile', 'local-rehearsal', ...args], env, json });

const newRelease = (state: string) => createRelease(shipgate, state, digest);

describe('shipgate stress with k6 (#11 items 6, 7)', () => {
  it('under --json, a k6 crash keeps k6’s output on stderr, off the JSON, and its tail in a LOAD_TEST_FAILED error (exit 3)', async () => {
    const state = join(dir, 'stress-crash');
    const release = await newRelease(state);
    const run = await shipgate(state, ['stress', 'staging', ...target(release)], {
      K6_BINARY: fakeK6,
      FAKE_K6_EXIT: '107',
    });
    expect(run.code).toBe(3);
    expect(run.json!.error).toMatchObject({ code: 'LOAD_TEST_FAILED', source: 'infrastructure' });
    expect(run.json!.error.message).toMatch(/found exit code 107: the script threw an exception; k6's last 2 lines:/);
    expect(run.json!.error.message).toContain('ReferenceError: nope is not defined');
    // k6's own lines, streamed as it printed them, on stderr even under --json ("k6 | "; the error's tail
    // is indented "  | "); stdout holds the JSON error and nothing else (it parsed above).
    expect(run.err).toContain('k6 | running (0m01.0s), 1/1 VUs');
    expect(run.err).toContain('k6 | time="2026-12-01T20:00:00Z" level=error msg="ReferenceError: nope is not defined');
    expect(run.out.trim().startsWith('{') && run.out.trim().endsWith('}')).toBe(true);
  });

  it('says what a run without requests did not record, never "undefined"', async () => {
    const state = join(dir, 'stress-empty');
    const release = await newRelease(state);
    const run = await shipgate(
      state,
      ['stress', 'staging', ...target(release)],
      {
        K6_BINARY: fakeK6,
        FAKE_K6_EXIT: '0',
        FAKE_K6_SUMMARY: '{"root_group":{"checks":{},"groups":{}},"metrics":{}}',
      },
      false,
    );
    expect(run.out).not.toContain('undefined');
    expect(run.out).toContain('no HTTP requests recorded, peak VUs not recorded, no thresholds');
  });
});

describe('shipgate qa (#11 item 11)', () => {
  const passing = join(fixtures, 'junit/vitest-pass.junit.xml');

  it('records the command’s exit code: a failing command never passes the gate, whatever its report says', async () => {
    const state = join(dir, 'qa-exit');
    const release = await newRelease(state);
    await recordServing(state, { id: release, service: 'sample-service', digest }, 'staging');
    const writeThenFail = `require('node:fs').copyFileSync(${JSON.stringify(passing)}, process.env.JUNIT_OUTPUT); process.exit(1)`;
    const qa = await shipgate(state, qaWithNode(release, writeThenFail));
    expect(qa.code).toBe(1);
    expect(qa.json!.evidence.summary).toMatchObject({ tests: 25, failures: 0, commandExitCode: 1 });
    const gate = await shipgate(state, ['gate', 'production', '--service', 'sample-service', '--release', release]);
    expect(gate.code).toBe(1);
    expect(gate.json!.decision.requirements.find((r: { id: string }) => r.id === 'qa.command')).toMatchObject({
      status: 'fail',
      observed: 'exit code 1',
    });
  });

  it('refuses a JUnit report older than the run (a stale file from an earlier run), exit 2', async () => {
    const state = join(dir, 'qa-stale');
    const release = await newRelease(state);
    const stale = join(dir, 'stale.junit.xml');
    await copyFile(passing, stale);
    const yesterday = new Date(Date.now() - 86_400_000);
    await utimes(stale, yesterday, yesterday);
    const qa = await shipgate(state, qaWithNode(release, 'process.exit(1)', '--junit', stale));
    expect(qa.code).toBe(2);
    expect(qa.json!.error.code).toBe('QA_RUN_FAILED');
    expect(qa.json!.error.message).toMatch(
      /^expected the QA command to write its JUnit report .*stale\.junit\.xml during the run \(started .*\), found a report last written .*, 24 h before the run started \(command exit code 1\)$/,
    );
    const shown = await shipgate(state, ['release', 'show', release]);
    expect(shown.json!.evidence).toEqual([]);
  });
});

describe('a config that still sets loadTests.smoke (#11 item 8)', () => {
  it('is refused by config validate with exit 2, naming the removal', async () => {
    const withSmoke = join(dir, 'smoke.yaml');
    await writeFile(
      withSmoke,
      (await readFile(config, 'utf8')).replace(
        '    loadTests:\n',
        `    loadTests:\n      smoke: ${join(dir, 'smoke.ts')}\n`,
      ),
    );
    const run = await shipgate(join(dir, 'smoke-state'), ['--config', withSmoke, 'config', 'validate']);
    expect(run.code).toBe(2);
    expect(JSON.stringify(run.json)).toContain('key \\"smoke\\" was removed: nothing ran the k6 smoke script');
  });
});
