import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { command as finishNow } from '../commands/finish-now';
import { command as status } from '../commands/status';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

// Linear 10 % a minute (nine one-second waits at time scale 60) and a 30-minute termination wait (30 s):
// long enough to be caught shifting, then baking.
let h: DeployHarness;
let production: string;
const service = 'sample-service';
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env, json: true });
const finish = (values: Record<string, string | boolean> = {}) =>
  runCommand(finishNow, ['test'], { service, ...values }, opts());
const phaseNow = async () => {
  const shown = await runCommand(status, ['test'], { service }, opts());
  const row = (shown.outcome!.json as { services: { live: { inFlight?: { id: string; phase: string } } }[] })
    .services[0]!;
  return row.live.inFlight;
};

beforeAll(async () => {
  h = await startDeployHarness({
    basePort: 22100,
    deploy: { deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes', terminationWait: '30m' },
  });
  expect((await runCommand(bootstrap, ['test'], { service, release: h.releases.v1.id }, opts())).exitCode).toBe(0);
  production = `${h.cloud.listeners().find((l) => l.port === 22100)!.url}/release`;
  await waitFor('v1 to serve production', async () => (await releaseAt(production)) === h.releases.v1.id);
}, 60_000);
afterAll(() => h?.close());

describe('shipgate finish-now on CodeDeploy (local-cloud)', () => {
  it('with nothing in flight: nothing to finish, exit 1, audited; a dry run audits nothing', async () => {
    const dry = await finish({ 'dry-run': true, reason: 'checking' });
    expect(dry.exitCode).toBe(1);
    expect(dry.outcome!.json).toMatchObject({ outcome: 'refused', code: 'NOTHING_TO_FINISH' });
    expect(await h.ledger.audit.list({ action: 'deploy.finish-now.refused' })).toEqual([]);
    const real = await finish({ reason: 'checking' });
    expect(real.exitCode).toBe(1);
    const [entry] = await h.ledger.audit.list({ action: 'deploy.finish-now.refused' });
    expect(entry).toMatchObject({
      actor: 'tester@example.com',
      details: { situation: 'nothing-in-flight', reason: 'checking' },
    });
  });

  it('refuses while CodeDeploy shifts traffic, then ends the termination wait at once, closes the record and audits it', async () => {
    const deploying = runCommand(deploy, ['test'], { service, release: h.releases.v2.id, wait: 'traffic' }, opts());
    await waitFor(
      'the deployment to shift production traffic',
      async () => (await phaseNow())?.phase === 'shifting',
      30_000,
    );
    const early = await finish({ reason: 'in a hurry' });
    expect(early.exitCode).toBe(1);
    expect(early.outcome!.json).toMatchObject({ code: 'FINISH_NOT_POSSIBLE', situation: 'controller-cannot-skip' });
    expect(early.outcome!.human).toContain('CodeDeploy offers no way to skip the remaining canary or linear waits');

    const shifted = await deploying;
    expect(shifted.exitCode, JSON.stringify(shifted.error)).toBe(0);
    const json = shifted.outcome!.json as {
      outcome: string;
      deployment: { id: string; controllerDeploymentId: string };
    };
    expect(json.outcome).toBe('traffic-shifted');
    const id = json.deployment.controllerDeploymentId;
    expect(await phaseNow()).toMatchObject({ id, phase: 'baking' });

    const dry = await finish({ 'dry-run': true });
    expect(dry.exitCode).toBe(0);
    expect(dry.outcome!.human).toBe(
      `dry run: finish-now would end the bake (termination wait) of ${id}: the original is removed now and the fast-rollback window closes; nothing changed`,
    );
    expect(await phaseNow()).toMatchObject({ phase: 'baking' });

    const started = Date.now();
    const done = await finish({ reason: 'verified by QA' });
    expect(done.exitCode, JSON.stringify(done.error)).toBe(0);
    // 30 s of termination wait were left; it ends within the drain (1 s) and a few polls.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(done.outcome!.json).toMatchObject({
      outcome: 'finished-now',
      report: { deploymentId: id, skipped: 'bake', before: 'baking', after: 'finished' },
      deployment: { id: json.deployment.id, outcome: 'succeeded' },
    });
    const info = await h.clients.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    expect(info.deploymentInfo?.status).toBe('Succeeded');
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
    expect((await h.ledger.deployments.get(json.deployment.id))?.reason).toBe(
      'finished now by tester@example.com: verified by QA',
    );
    const [audited] = await h.ledger.audit.list({ action: 'deploy.finish-now' });
    expect(audited).toMatchObject({
      actor: 'tester@example.com',
      subject: { service, environment: 'test', deploymentId: json.deployment.id, releaseId: h.releases.v2.id },
      details: { controllerDeploymentId: id, skipped: 'bake', reason: 'verified by QA' },
    });
    expect(await h.ledger.audit.list({ action: 'deploy.finish-now.refused' })).toHaveLength(2);
  }, 90_000);
});
