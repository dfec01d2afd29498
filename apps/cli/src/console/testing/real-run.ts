import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDeployHarness, type DeployHarness } from '../../deploy/testing/deploy-harness';
import { runMain, type MainRun } from '../../testing/run-main';
import { makePeople } from '../../testing/trust-fixture';

const fixtures = new URL('../../../../../libs/promotion-gate/src/__fixtures__/', import.meta.url).pathname;

/**
 * A string an attacker could get into the ledger: markup, quotes, and characters that XML allows but
 * a page must not act on (DEL, a C1 control, a right-to-left override).
 */
export const hostile = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> "q" 'a' \u007f\u0085\u202e`;

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** How the console shows `text`: as written, with DEL, C1 controls and bidi overrides as visible escapes. */
export function shownAs(text: string): string {
  return text.replace('\u007f', '\\x7f').replace('\u0085', '\\x85').replace('\u202e', '\\u202e');
}

/** A JUnit report with one passing test and one failing test whose name is `hostile`. */
export function hostileJunit(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="qa" tests="2" failures="1" errors="0" time="0.1">
  <testsuite name="checkout.test.ts" tests="2" failures="1" errors="0" skipped="0" time="0.1">
    <testcase classname="checkout.test.ts" name="creates an order" time="0.01"></testcase>
    <testcase classname="checkout.test.ts" name="${xmlEscape(hostile)}" time="0.02">
      <failure message="${xmlEscape(hostile)}" type="AssertionError">expected 200, found 500</failure>
    </testcase>
  </testsuite>
</testsuites>
`;
}

/** What the real run left in its ledger, for the tests to look for. */
export interface RealRun {
  h: DeployHarness;
  /** v2: deployed to test, gate passed, promoted to production, then rolled back there. */
  passed: string;
  /** v3: QA failed (the hostile test), gate blocked, its test deploy failed. */
  blocked: string;
  /** Ledger ids of what happened. */
  deployments: { productionDeploy: string; productionRollback: string; failedTestDeploy: string };
  rollbackReason: string;
  sg(args: string[], as?: string): Promise<MainRun>;
}

/**
 * Runs the pipeline for real on local-cloud (the deploy harness): bootstrap test and production with
 * v1; v2 to test, its evidence, an approval, the gate passing, a linear production deploy; v3's QA
 * failing on the hostile test, its gate blocking, its test deploy failing; a production rollback
 * whose reason is hostile. Every step goes through `main`, as a person would type it.
 */
export async function realRun(basePort: number): Promise<RealRun> {
  const h = await startDeployHarness({ basePort });
  const config = JSON.parse(await readFile(h.configFile, 'utf8'));
  config.environments.production.promotion = {
    from: 'test',
    maxEvidenceAge: '7d',
    qa: { minTests: 1, maxFailures: 0 },
    stress: { tools: ['k6'], minDuration: '5s', minPeakVus: 10, releaseCheck: 'slow body has delay_ms' },
    approvals: { required: 1, releaseManagers: ['carol'] },
  };
  // Signed records, as on local-cloud: the rehearsal key signs as each environment's CI; carol signs
  // her approval with an SSH key made here, listed in the profile's allowed-signers file.
  config.profiles = {
    'local-rehearsal': {
      description: 'the console test on local-cloud',
      acceptRehearsalKey: true,
      allowedSigners: '.shipgate/rehearsal/allowed_signers',
    },
  };
  await writeFile(h.configFile, JSON.stringify(config, null, 2));
  const keys = await makePeople(h.dir, ['carol']);
  const sg = async (args: string[], as = 'ci') =>
    runMain({
      config: h.configFile,
      state: h.stateDir,
      args: ['--policy-profile', 'local-rehearsal', '--as', as, ...args],
      env: { ...h.env, SSH_AUTH_SOCK: undefined },
    });
  const must = async (args: string[], as?: string, code = 0) => {
    const run = await sg(args, as);
    if (run.code !== code)
      throw new Error(`shipgate ${args.join(' ')} exited ${run.code}, expected ${code}:\n${run.err}\n${run.out}`);
    return run;
  };
  const service = ['--service', 'sample-service'];
  const { v1, v2, v3 } = h.releases;
  await must(['bootstrap', 'test', ...service, '--release', v1.id]);
  await must(['bootstrap', 'production', ...service, '--release', v1.id]);
  await must(['deploy', 'test', ...service, '--release', v2.id]);
  // Where the k6 run sent its load: test's production listener (the gate checks it).
  const testListener = h.cloud.listeners().find((l) => l.port === basePort)!.url;
  const add = (release: string, flag: string, file: string) =>
    must([
      ...['evidence', 'add', 'test', ...service, '--release', release, flag, file],
      ...(flag === '--k6-summary' ? ['--base-url', testListener] : []),
    ]);
  await add(v2.id, '--junit', join(fixtures, 'junit/vitest-pass.junit.xml'));
  await add(v2.id, '--k6-summary', join(fixtures, 'k6/k6-pass.handle-summary.json'));
  await must(['gate', 'production', ...service, '--release', v2.id], 'carol', 1);
  await must(
    ['approve', 'production', ...service, '--release', v2.id, '--comment', 'evidence reviewed', '--key', keys.carol!],
    'carol',
  );
  await must(['gate', 'production', ...service, '--release', v2.id], 'carol');
  const deployed = await must(['deploy', 'production', ...service, '--release', v2.id], 'carol');
  const hostileFile = join(h.dir, 'hostile.junit.xml');
  await writeFile(hostileFile, hostileJunit());
  await add(v3.id, '--junit', hostileFile);
  await must(['gate', 'production', ...service, '--release', v3.id], 'carol', 1);
  const failed = await must(['deploy', 'test', ...service, '--release', v3.id], 'ci', 1);
  // The reason is free text, kept as given (trimmed): markup, quotes and control characters.
  const rollbackReason = `p99 regression ${hostile}`.trim();
  const rolled = await must(['rollback', 'production', ...service, '--reason', rollbackReason], 'oncall');
  return {
    h,
    passed: v2.id,
    blocked: v3.id,
    deployments: {
      productionDeploy: deployed.json!.deployment.id,
      productionRollback: rolled.json!.report.rollbackDeploymentId,
      failedTestDeploy: failed.json!.deployment.id,
    },
    rollbackReason,
    sg,
  };
}
