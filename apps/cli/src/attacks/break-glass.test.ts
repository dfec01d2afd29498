import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { makeRelease } from '@shipgate/model';
import { lastKnownGood } from '@shipgate/rollback';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as approve } from '../commands/approve';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy, createDeployCommand } from '../commands/deploy';
import { command as rollback } from '../commands/rollback';
import { startDeployHarness, type DeployHarness } from '../deploy/testing/deploy-harness';
import { runCommand } from '../deploy/testing/run-command';
import { withPromotionGate } from '../support/deploy-gate-wiring';
import { runMain } from '../testing/run-main';
import { makePeople } from '../testing/trust-fixture';
import { createCiKeys } from './attack-world';

// Issue #12 items 3 and 6 on real local-cloud. Who may roll back is enforced: trust.environments.test.rollback
// names dana (on call), and a rollback must carry an authorisation signed by her SSH key (or the
// environment's CI key), fresh and used once; --as counts for nothing. Break glass: `rollback --to R
// --force` and `deploy --break-glass` take a release that never passed the gate only on a verified
// override by someone trust.environments.test.breakGlass names; recorded as break-glass, never the last
// known good release until a later deploy of it passes the gate.
let h: DeployHarness;
let keys: Record<string, string>;
let gatedConfig: string;
const service = 'sample-service';
const reason = 'INC-7: 5xx after deploy';
const opts = (config = h.configFile) => ({
  config,
  state: h.stateDir,
  env: { ...h.env, SSH_AUTH_SOCK: undefined, GITHUB_ACTIONS: undefined },
  json: true,
});
const gatedDeploy = withPromotionGate(createDeployCommand);
const records = () => h.ledger.deployments.list({ service, environment: 'test' });
/** Waits until no controller deployment is active (a rollback returns once traffic is back, before its termination wait ends). */
const settled = () =>
  expect
    .poll(
      async () =>
        (
          await h.clients.codedeploy.send(
            new ListDeploymentsCommand({
              applicationName: 'sg-test',
              deploymentGroupName: service,
              includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready'],
            }),
          )
        ).deployments ?? [],
      { timeout: 120_000, interval: 250 },
    )
    .toEqual([]);

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 22300 });
  keys = await makePeople(h.dir, ['alice', 'carol', 'dana'], ['mallory'], 'allowed_signers');
  // test's CI identity: a key in local-cloud's KMS, its public key beside the config.
  await writeFile(join(h.dir, 'test-ci.pem'), (await createCiKeys(h.cloud.endpoint)).test!);
  // The build identity: the key the harness signed its releases with (approvals count only for a
  // release its build identity signed), named by its public key as a KMS build key would be.
  const buildKey = await (await import('@shipgate/trust')).rehearsalTrustedKey(h.stateDir);
  await writeFile(join(h.dir, 'build-ci.pem'), buildKey.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const config = JSON.parse(await readFile(h.configFile, 'utf8'));
  config.trust = {
    allowedSigners: 'allowed_signers',
    build: { ci: { publicKey: 'build-ci.pem', kmsKeyId: 'alias/shipgate-demo-build-ci' } },
    environments: {
      test: {
        ci: { publicKey: 'test-ci.pem', kmsKeyId: 'alias/shipgate-demo-test-ci' },
        breakGlass: ['alice'],
        rollback: ['dana'],
      },
    },
  };
  await writeFile(h.configFile, JSON.stringify(config, null, 2));
  // The same world with a promotion policy on test: one approval by carol.
  config.environments.test.promotion = { from: 'production', approvals: { required: 1, releaseManagers: ['carol'] } };
  gatedConfig = join(h.dir, 'gated.yaml');
  await writeFile(gatedConfig, JSON.stringify(config, null, 2));
}, 180_000);
afterAll(() => h?.close());

describe('who may roll back (#12.3)', () => {
  it('refuses a rollback without a signature, with --as the on-call person, or by someone not on call; dana’s key restores', async () => {
    expect((await runCommand(bootstrap, ['test'], { service, release: h.releases.v1.id }, opts())).exitCode).toBe(0);
    const toV2 = await runCommand(deploy, ['test'], { service, release: h.releases.v2.id }, opts());
    expect(toV2.exitCode, toV2.error?.message).toBe(0);
    const back = { service, reason };
    const expected = "expected a rollback of test authorised by test's CI identity or one of dana (SSH key), found";

    const unsigned = await runCommand(rollback, ['test'], back, opts());
    expect(unsigned.error).toMatchObject({
      code: 'ROLLBACK_NOT_AUTHORISED',
      exitCode: 1,
      message: `${expected} no signature: neither --key, nor ssh-agent (SSH_AUTH_SOCK), nor --ci`,
    });
    expect(unsigned.error?.hint).toContain(`shipgate rollback test --service ${service} --reason "${reason}" --key`);

    const asDana = await runMain({
      config: h.configFile,
      state: h.stateDir,
      args: ['--as', 'dana', 'rollback', 'test', '--service', service, '--reason', reason],
      env: opts().env,
    });
    expect(asDana.code).toBe(1);
    expect(`${asDana.out}${asDana.err}`).toContain('ROLLBACK_NOT_AUTHORISED');

    const byCarol = await runCommand(rollback, ['test'], { ...back, key: keys.carol }, opts());
    expect(byCarol.error?.code).toBe('ROLLBACK_NOT_AUTHORISED');
    expect(byCarol.error?.message).toMatch(
      /^rollback authorisation refused: expected a signature by test's CI identity or one of dana \(SSH key\), found one by carol \(SSH SHA256:/,
    );
    const byMallory = await runCommand(rollback, ['test'], { ...back, key: keys.mallory }, opts());
    expect(byMallory.error?.message).toMatch(
      /^rollback authorisation refused: expected an SSH key listed in allowed_signers for namespace shipgate-approval, found SHA256:/,
    );
    // Nothing moved, and each refusal is audited.
    expect((await records()).filter((r) => r.kind === 'rollback')).toEqual([]);
    const refusals = (await h.ledger.audit.list()).filter((e) => e.action === 'rollback.refused');
    expect(refusals.map((e) => e.details.situation)).toEqual([
      'not-authorised',
      'not-authorised',
      'not-authorised',
      'not-authorised',
    ]);

    // The dry run signs and shows who was verified; its JSON is an authorisation for 10 minutes, once.
    const dry = await runCommand(rollback, ['test'], { ...back, key: keys.dana, 'dry-run': true }, opts());
    expect(dry.exitCode, dry.error?.message).toBe(0);
    const json = dry.outcome!.json as { authorisation: { by: string; identity: string } };
    expect(json.authorisation).toMatchObject({ by: 'dana', identity: 'person' });
    const file = join(h.dir, 'authorisation.json');
    await writeFile(file, JSON.stringify(json));
    const done = await runCommand(rollback, ['test'], { ...back, authorisation: file }, opts());
    expect(done.exitCode, done.error?.message).toBe(0);
    await settled();
    const record = (await records()).find((r) => r.kind === 'rollback')!;
    expect(record).toMatchObject({ releaseId: h.releases.v1.id, outcome: 'succeeded', authorisation: { by: 'dana' } });
    const audited = (await h.ledger.audit.list()).filter((e) => e.action === 'rollback').at(-1)!;
    expect(audited.details.authorisedBy).toMatchObject({ by: 'dana', identity: 'person' });
  }, 240_000);

  it('refuses the same authorisation replayed for the next identical rollback; test’s CI key authorises', async () => {
    const again = await runCommand(deploy, ['test'], { service, release: h.releases.v2.id }, opts());
    expect(again.exitCode, again.error?.message).toBe(0);
    const file = join(h.dir, 'authorisation.json');
    const replayed = await runCommand(rollback, ['test'], { service, reason, authorisation: file }, opts());
    expect(replayed.error?.code, replayed.error?.message).toBe('ROLLBACK_NOT_AUTHORISED');
    expect(replayed.error?.message).toMatch(
      /found nonce [0-9a-f]{32} already used by an earlier rollback \(a replay\)$/,
    );
    // The environment's CI identity may roll back too: it proves it by signing with test's KMS key.
    const byCi = await runCommand(rollback, ['test'], { service, reason, ci: true }, opts());
    expect(byCi.exitCode, byCi.error?.message).toBe(0);
    expect((byCi.outcome!.json as { plan: { authorisation: object } }).plan.authorisation).toMatchObject({
      by: 'test CI (KMS alias/shipgate-demo-test-ci)',
      identity: 'ci',
    });
    await settled();
  }, 240_000);
});

describe('break glass (#12.6)', () => {
  it('refuses rollback --to --force to a never-deployed release without a verified override, then records it as break-glass', async () => {
    // A hotfix build that never ran here (v1's code, another commit: another release id).
    const hotfix = (
      await h.ledger.releases.create(
        makeRelease({ service, image: h.releases.v1.image, gitSha: 'eeeeeee', createdBy: 'ci', createdAt: new Date() }),
        'ci',
      )
    ).release;
    const toHotfix = { service, to: hotfix.id, force: true, reason: 'hotfix that never ran here', key: keys.dana };

    const refused = await runCommand(rollback, ['test'], toHotfix, opts());
    expect(refused.error?.code).toBe('BREAK_GLASS_REQUIRED');
    expect(refused.error?.message).toBe(
      `expected a break-glass override of ${hotfix.id} for test, signed by one of alice and not expired, found none: ${hotfix.id} never passed the gate here`,
    );

    const glass = { service, release: hotfix.id, 'break-glass': true, comment: 'INC-7: v1 corrupts orders' };
    const byCarol = await runCommand(approve, ['test'], { ...glass, key: keys.carol }, opts());
    expect(byCarol.error?.code).toBe('APPROVAL_REFUSED');
    expect(byCarol.error?.message).toBe(
      'expected someone trust.environments.test.breakGlass names (alice), found carol',
    );
    // A hand-written override in the ledger, claiming alice, counts for nothing.
    const { overrideEvidence } = await import('@shipgate/promotion-gate');
    const forged = overrideEvidence(
      {
        by: 'alice',
        reason: 'forged',
        freeze: 'break-glass',
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      },
      {
        release: hotfix,
        environment: 'test',
        origin: { actor: 'mallory', where: 'local' },
        recordedAt: new Date(),
      },
    );
    await h.ledger.evidence.add(forged, 'mallory');
    const stillRefused = await runCommand(rollback, ['test'], toHotfix, opts());
    expect(stillRefused.error?.message).toContain(
      `found ${forged.id} refused: expected evidence signed by an identity the trust policy names, found an unsigned record`,
    );

    const byAlice = await runCommand(approve, ['test'], { ...glass, key: keys.alice }, opts());
    expect(byAlice.exitCode, byAlice.error?.message).toBe(0);
    // Break glass is not a rollback authorisation: alice's override does not let her roll back.
    const aliceRollsBack = await runCommand(rollback, ['test'], { ...toHotfix, key: keys.alice }, opts());
    expect(aliceRollsBack.error?.code).toBe('ROLLBACK_NOT_AUTHORISED');
    const done = await runCommand(rollback, ['test'], toHotfix, opts());
    expect(done.exitCode, done.error?.message).toBe(0);
    await settled();

    const all = await records();
    const glassRecord = all.find((d) => d.kind === 'rollback' && d.releaseId === hotfix.id)!;
    expect(glassRecord).toMatchObject({
      outcome: 'succeeded',
      breakGlass: { by: 'alice' },
      authorisation: { by: 'dana' },
    });
    expect(lastKnownGood(all)?.releaseId).not.toBe(hotfix.id);
    expect(lastKnownGood(all, { releaseId: hotfix.id })).toBeUndefined();
  }, 240_000);

  it('deploy --break-glass: blocked without the option, refused without a valid override, recorded; known good only after a passing gate', async () => {
    const release = h.releases.v2.id;
    const plain = await runCommand(gatedDeploy, ['test'], { service, release }, opts(gatedConfig));
    expect(plain.exitCode).toBe(1);
    expect(plain.outcome?.json).toMatchObject({ outcome: 'blocked' });

    const withFlag = { service, release, 'break-glass': true };
    const none = await runCommand(gatedDeploy, ['test'], withFlag, opts(gatedConfig));
    expect(none.error).toMatchObject({
      code: 'BREAK_GLASS_REQUIRED',
      exitCode: 1,
      message: `expected a break-glass override of ${release} for test, signed by one of alice and not expired, found none: ${release} never passed the gate here`,
    });

    // An override genuinely signed by alice, but expired.
    const [gate, trust] = await Promise.all([import('@shipgate/promotion-gate'), import('@shipgate/trust')]);
    const signer = trust.createSshDsseSigner(await trust.loadSshKeyFile(keys.alice!), 'shipgate-approval', 'alice');
    const past = new Date(Date.now() - 25 * 3600_000);
    const expired = await trust.signRecord(
      gate.overrideEvidence(
        {
          by: 'alice',
          reason: 'old',
          freeze: 'break-glass',
          expiresAt: new Date(past.getTime() + 3600_000).toISOString(),
        },
        { release: h.releases.v2, environment: 'test', origin: { actor: 'alice', where: 'local' }, recordedAt: past },
      ),
      gate.evidenceCodec,
      [signer],
    );
    await h.ledger.evidence.add(expired as never, 'alice');
    const stale = await runCommand(gatedDeploy, ['test'], withFlag, opts(gatedConfig));
    expect(stale.error?.code).toBe('BREAK_GLASS_REQUIRED');
    expect(stale.error?.message).toContain(
      `found ${expired.id} by alice, expired ${(expired.summary as { expiresAt: string }).expiresAt}`,
    );

    const byAlice = await runCommand(
      approve,
      ['test'],
      { service, release, 'break-glass': true, comment: 'INC-8: v3 loses orders', key: keys.alice },
      opts(gatedConfig),
    );
    expect(byAlice.exitCode, byAlice.error?.message).toBe(0);
    const dry = await runCommand(gatedDeploy, ['test'], { ...withFlag, 'dry-run': true }, opts(gatedConfig));
    expect(dry.outcome?.json).toMatchObject({ dryRun: true, gate: 'break glass', breakGlass: { by: 'alice' } });
    const done = await runCommand(gatedDeploy, ['test'], withFlag, opts(gatedConfig));
    expect(done.exitCode, done.error?.message).toBe(0);
    const glassRecord = (await records()).find((d) => d.kind === 'deploy' && d.breakGlass)!;
    expect(glassRecord).toMatchObject({ releaseId: release, outcome: 'succeeded', breakGlass: { by: 'alice' } });
    expect(glassRecord.decisionId).toBeUndefined();
    expect(lastKnownGood(await records())?.id).not.toBe(glassRecord.id);
    const audit = (await h.ledger.audit.list()).find((e) => e.action === 'deploy.break-glass')!;
    expect(audit.details).toMatchObject({ by: 'alice', evidenceId: glassRecord.breakGlass!.evidenceId });
    expect(audit.details.blockedDecisionId).toEqual(expect.any(String));

    // Verified: carol approves, and the same release deployed through the gate becomes the last known good.
    const approved = await runCommand(approve, ['test'], { service, release, key: keys.carol }, opts(gatedConfig));
    expect(approved.exitCode, approved.error?.message).toBe(0);
    const gated = await runCommand(gatedDeploy, ['test'], { service, release }, opts(gatedConfig));
    expect(gated.exitCode, gated.error?.message).toBe(0);
    const good = lastKnownGood(await records())!;
    expect(good).toMatchObject({ releaseId: release, outcome: 'succeeded', decisionId: expect.any(String) });
    expect(good.breakGlass).toBeUndefined();
  }, 240_000);
});
