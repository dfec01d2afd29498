import { readFile, writeFile } from 'node:fs/promises';
import { lastKnownGood } from '@shipgate/rollback';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as approve } from '../commands/approve';
import { command as bootstrap } from '../commands/bootstrap';
import { command as rollback } from '../commands/rollback';
import { startDeployHarness, type DeployHarness } from '../deploy/testing/deploy-harness';
import { runCommand } from '../deploy/testing/run-command';
import { makePeople } from '../testing/trust-fixture';

// Issue #12 item 6 on real local-cloud: `rollback --to R --force` to a release that never ran here was
// the "glass" with no glass. Now it needs a break-glass override signed by someone the trust policy
// names, is recorded as break-glass, and never becomes the last known good release.
let h: DeployHarness;
let keys: Record<string, string>;
const service = 'sample-service';
const opts = () => ({
  config: h.configFile,
  state: h.stateDir,
  env: { ...h.env, SSH_AUTH_SOCK: undefined },
  json: true,
});

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 22300 });
  keys = await makePeople(h.dir, ['alice', 'carol'], [], 'allowed_signers');
  const config = JSON.parse(await readFile(h.configFile, 'utf8'));
  config.trust = { allowedSigners: 'allowed_signers', environments: { test: { breakGlass: ['alice'] } } };
  await writeFile(h.configFile, JSON.stringify(config, null, 2));
}, 180_000);
afterAll(() => h?.close());

describe('break glass (#12.6)', () => {
  it('refuses rollback --to --force to a never-deployed release without a verified override, then records it as break-glass', async () => {
    expect((await runCommand(bootstrap, ['test'], { service, release: h.releases.v1.id }, opts())).exitCode).toBe(0);
    const toV2 = { service, to: h.releases.v2.id, force: true, reason: 'hotfix that never ran here' };

    const refused = await runCommand(rollback, ['test'], toV2, opts());
    expect(refused.error?.code).toBe('BREAK_GLASS_REQUIRED');
    expect(refused.error?.message).toBe(
      `expected a break-glass override of ${h.releases.v2.id} for test, signed by one of alice and not expired, found none: ${h.releases.v2.id} never passed the gate here`,
    );

    const glass = { service, release: h.releases.v2.id, 'break-glass': true, comment: 'INC-7: v1 corrupts orders' };
    const byCarol = await runCommand(approve, ['test'], { ...glass, key: keys.carol }, opts());
    expect(byCarol.error?.code).toBe('APPROVAL_REFUSED');
    expect(byCarol.error?.message).toBe(
      'expected someone trust.environments.test.breakGlass names (alice), found carol',
    );
    // A hand-written override in the ledger, claiming alice, counts for nothing.
    const { approvalEvidence: _unused, overrideEvidence } = await import('@shipgate/promotion-gate');
    const forged = overrideEvidence(
      {
        by: 'alice',
        reason: 'forged',
        freeze: 'break-glass',
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      },
      {
        release: h.releases.v2,
        environment: 'test',
        origin: { actor: 'mallory', where: 'local' },
        recordedAt: new Date(),
      },
    );
    await h.ledger.evidence.add(forged, 'mallory');
    const stillRefused = await runCommand(rollback, ['test'], toV2, opts());
    expect(stillRefused.error?.message).toContain(
      `found ${forged.id} refused: expected evidence signed by an identity the trust policy names, found an unsigned record`,
    );

    const byAlice = await runCommand(approve, ['test'], { ...glass, key: keys.alice }, opts());
    expect(byAlice.exitCode, byAlice.error?.message).toBe(0);
    const done = await runCommand(rollback, ['test'], toV2, opts());
    expect(done.exitCode, done.error?.message).toBe(0);

    const records = await h.ledger.deployments.list({ service, environment: 'test' });
    const glassRecord = records.find((d) => d.kind === 'rollback' && d.releaseId === h.releases.v2.id)!;
    expect(glassRecord).toMatchObject({ outcome: 'succeeded', breakGlass: { by: 'alice' } });
    // It serves, yet it is not the last known good release (v1, which it replaced, counts as rolled back).
    expect(lastKnownGood(records)?.releaseId).not.toBe(h.releases.v2.id);
    expect(lastKnownGood(records, { releaseId: h.releases.v2.id })).toBeUndefined();
  }, 240_000);
});
