import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { FsStateStore, openLedger } from '@shipgate/ledger';
import { seededRandom, systemClock } from '@shipgate/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { command as history } from '../commands/history';
import { command as rollback } from '../commands/rollback';
import { command as status } from '../commands/status';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

let h: DeployHarness;
let production: string;
const service = 'sample-service';
const opts = (state = h.stateDir) => ({ config: h.configFile, state, env: h.env, json: true });
const deployTest = (release: string, state?: string) => runCommand(deploy, ['test'], { service, release }, opts(state));

interface Row {
  live: { servingReleaseId?: string };
  ledger: { lastKnownGood?: { id: string; releaseId: string } };
  rollback: { action: string; restores?: string; situation?: string; candidates?: string[] };
  warnings: string[];
}

/** status (JSON and the human table), and what `rollback --dry-run` says it would do, side by side. */
async function statusAndRollback() {
  const shown = await runCommand(status, ['test'], { service }, opts());
  expect(shown.exitCode, JSON.stringify(shown.error)).toBe(0);
  const row = (shown.outcome!.json as { services: Row[] }).services[0]!;
  const dry = await runCommand(rollback, ['test'], { service, 'dry-run': true }, opts());
  const plan = dry.outcome!.json as { outcome: string; plan?: { restore: { releaseId?: string } }; situation?: string };
  return { row, human: shown.outcome!.human!, plan };
}

const settled = () =>
  waitFor('no active deployment in the group', async () => {
    const active = await h.clients.codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: 'sg-test',
        deploymentGroupName: service,
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready'],
      }),
    );
    return (active.deployments ?? []).length === 0;
  });

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 21900 });
  expect((await runCommand(bootstrap, ['test'], { service, release: h.releases.v1.id }, opts())).exitCode).toBe(0);
  production = `${h.cloud.listeners().find((l) => l.port === 21900)!.url}/release`;
  await waitFor('v1 to serve production', async () => (await releaseAt(production)) === h.releases.v1.id);
}, 60_000);
afterAll(() => h?.close());

describe('status shows what rollback would restore, and rollback agrees (#11.21)', () => {
  it('after bootstrap: nothing before the release serving; no "took 0 ms"', async () => {
    const { row, human, plan } = await statusAndRollback();
    expect(row.live.servingReleaseId).toBe(h.releases.v1.id);
    expect(row.rollback).toMatchObject({ action: 'nothing', situation: 'serving-is-last-known-good' });
    expect(plan).toMatchObject({ outcome: 'nothing-to-roll-back', situation: 'serving-is-last-known-good' });
    expect(human).not.toMatch(/took 0 ms/);
    expect(human).toContain(`last finished: deploy`);
    expect(human).toContain('no deployment to time: bootstrap');
  });

  it('after a deploy: the release before it, in status and in rollback', async () => {
    expect((await deployTest(h.releases.v2.id)).exitCode).toBe(0);
    await settled();
    const { row, human, plan } = await statusAndRollback();
    expect(row.live.servingReleaseId).toBe(h.releases.v2.id);
    // The last known good is the release serving; rollback restores the one before it: status says that.
    expect(row.ledger.lastKnownGood?.releaseId).toBe(h.releases.v2.id);
    expect(row.rollback).toMatchObject({ action: 'redeploy', restores: h.releases.v1.id });
    expect(plan.plan?.restore.releaseId).toBe(h.releases.v1.id);
    expect(human).toMatch(new RegExp(`${h.releases.v1.id} \\(redeploy\\)`));
    expect(human).toMatch(new RegExp(`last finished: deploy dep-\\S+ of ${h.releases.v2.id}, succeeded, took \\d`));
  });

  it('after a rollback: nothing without --to, the earlier releases listed, in both', async () => {
    const back = await runCommand(rollback, ['test'], { service, reason: 'checking status' }, opts());
    expect(back.exitCode, JSON.stringify(back.outcome?.json ?? back.error)).toBe(0);
    await settled();
    const { row, plan } = await statusAndRollback();
    expect(row.live.servingReleaseId).toBe(h.releases.v1.id);
    expect(row.rollback).toMatchObject({ action: 'nothing', situation: 'already-restored', candidates: [] });
    expect(plan).toMatchObject({ outcome: 'nothing-to-roll-back', situation: 'already-restored' });
    const listed = await runCommand(history, ['test'], { service }, opts());
    const rows = (listed.outcome!.json as { deployments: { id: string; lastKnownGood: boolean }[] }).deployments;
    expect(rows.filter((r) => r.lastKnownGood).map((r) => r.id)).toEqual([row.ledger.lastKnownGood!.id]);
  });

  it('a release deployed outside the ledger is flagged, and both restore the last known good', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'shipgate-other-state-'));
    // The same release, through another ledger (another --state): this one never hears of it.
    const other = openLedger(new FsStateStore(elsewhere), { clock: systemClock, random: seededRandom(3) });
    await other.releases.create(h.releases.v2, 'ci');
    expect((await deployTest(h.releases.v2.id, elsewhere)).exitCode).toBe(0);
    await settled();
    const { row, human, plan } = await statusAndRollback();
    expect(row.live.servingReleaseId).toBe(h.releases.v2.id);
    expect(row.warnings).toHaveLength(1);
    expect(row.warnings[0]).toContain(
      `the production listener answers as ${h.releases.v2.id}, but the ledger says ${h.releases.v1.id} serves here`,
    );
    expect(human).toContain(`warning: test/${service}: the production listener answers as ${h.releases.v2.id}`);
    expect(row.rollback).toMatchObject({ action: 'redeploy', restores: h.releases.v1.id });
    expect(plan.plan?.restore.releaseId).toBe(h.releases.v1.id);
  });

  it('a deployment in flight is shown with its own id, apart from the last finished one and its time', async () => {
    const running = runCommand(deploy, ['test'], { service, release: h.releases.v1.id, force: true }, opts());
    let human = '';
    await waitFor('status to show the deploy in flight', async () => {
      human = (await runCommand(status, ['test'], { service }, opts())).outcome!.human!;
      return /in flight: deploy /.test(human);
    });
    const inFlight = (await h.ledger.deployments.list({ service, environment: 'test' })).find(
      (d) => d.outcome === 'in-progress',
    )!;
    expect(human).toContain(`in flight: deploy ${inFlight.id} of ${h.releases.v1.id}`);
    expect(human).toMatch(/last finished: rollback dep-\S+ of \S+, succeeded, took .*restored in/);
    expect(human).not.toMatch(new RegExp(`${inFlight.id}[^\\n]*took`));
    expect((await running).exitCode).toBe(0);
  }, 60_000);

  it('after a forced redeploy (--to R --force of a release rolled back here): status, rollback and history agree', async () => {
    await settled();
    const refused = await runCommand(rollback, ['test'], { service, to: h.releases.v2.id, 'dry-run': true }, opts());
    expect(refused.outcome!.json).toMatchObject({ situation: 'target-never-succeeded' });
    const forced = await runCommand(
      rollback,
      ['test'],
      { service, to: h.releases.v2.id, force: true, reason: 'forced back' },
      opts(),
    );
    expect(forced.exitCode, JSON.stringify(forced.outcome?.json ?? forced.error)).toBe(0);
    // The redeploy ran the deploy engine: verified through the test listener before traffic moved.
    const report = (forced.outcome!.json as { report: { engine?: { verification?: { passed: boolean } } } }).report;
    expect(report.engine?.verification?.passed).toBe(true);
    await settled();
    const { row, plan } = await statusAndRollback();
    expect(row.live.servingReleaseId).toBe(h.releases.v2.id);
    expect(row.ledger.lastKnownGood?.releaseId).toBe(h.releases.v2.id);
    expect(row.rollback).toMatchObject({ action: 'nothing', situation: 'already-restored' });
    expect(row.rollback.candidates?.[0]).toBe(h.releases.v1.id);
    expect(plan).toMatchObject({ outcome: 'nothing-to-roll-back', situation: 'already-restored' });
    const listed = await runCommand(history, ['test'], { service }, opts());
    const rows = (listed.outcome!.json as { deployments: { id: string; lastKnownGood: boolean }[] }).deployments;
    expect(rows.filter((r) => r.lastKnownGood).map((r) => r.id)).toEqual([row.ledger.lastKnownGood!.id]);
  }, 60_000);
});
