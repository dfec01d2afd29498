import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as deploy } from '../commands/deploy';
import { command as finishNow } from '../commands/finish-now';
import { command as rollback } from '../commands/rollback';
import { command as status } from '../commands/status';
import { startEcsNativeHarness, type EcsNativeHarness } from './testing/ecs-native-harness';
import { releaseAt, startProbe, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

let e: EcsNativeHarness;
const service = 'sample-service';
const deployProduction = (release: string, extra: Record<string, string | boolean> = {}) =>
  runCommand(deploy, ['production'], { service, release, ...extra }, e.opts());
const rollBack = (reason: string) => runCommand(rollback, ['production'], { service, reason }, e.opts());
interface RollbackJson {
  outcome: string;
  report: { path: string; outcome: string; restoredReleaseId: string; timeToRestoreMs: number };
}

beforeAll(async () => {
  // A long bake: the fast path is taken inside it; a deploy with --wait complete ends it with finish now.
  e = await startEcsNativeHarness(22400, '30m');
}, 120_000);
afterAll(() => e?.h.close());

describe('rollback on the ECS-native controller (local-cloud, real SDK)', () => {
  it('an alarm during the LINEAR shift: ECS rolls back, production returns to the original', async () => {
    const production = e.releaseUrl('production');
    const probe = startProbe(production, 2);
    const running = deployProduction(e.h.releases.v2.id);
    // The first 50 % step: some production requests reach v2.
    await waitFor(
      'production traffic to reach v2',
      async () => (await releaseAt(production)) === e.h.releases.v2.id,
      30_000,
    );
    e.h.cloud.setAlarmState('sg-production-5xx', 'ALARM', 'test: 5xx above threshold');
    const run = await running;
    const seen = await probe.stop();
    e.h.cloud.setAlarmState('sg-production-5xx', 'OK');
    expect(run.exitCode, JSON.stringify(run.error ?? run.progress)).toBe(1);
    const json = run.outcome!.json as { outcome: string; failure: { summary: string; alarms: string[] } };
    expect(json.outcome).toBe('rolled-back');
    expect(json.failure.alarms).toEqual(['sg-production-5xx']);
    expect(seen.failures).toEqual([]);
    await e.settled('production');
    expect((await e.serviceDeployments('production'))[0]!.status).toBe('ROLLBACK_SUCCESSFUL');
    await waitFor('v1 to serve again', async () => (await releaseAt(production)) === e.h.releases.v1.id);
  }, 90_000);

  it('fast path inside the bake: StopServiceDeployment(ROLLBACK) restores v1 in seconds, under the probe', async () => {
    const traffic = await deployProduction(e.h.releases.v2.id, { wait: 'traffic' });
    expect(traffic.exitCode, JSON.stringify(traffic.error ?? traffic.progress)).toBe(0);
    const production = e.releaseUrl('production');
    expect(await releaseAt(production)).toBe(e.h.releases.v2.id);
    const probe = startProbe(production, 2);
    const back = await rollBack('test: fast path');
    const seen = await probe.stop();
    expect(back.exitCode, JSON.stringify(back.outcome?.json ?? back.error)).toBe(0);
    const json = back.outcome!.json as RollbackJson;
    expect(json.report).toMatchObject({ path: 'fast', outcome: 'restored', restoredReleaseId: e.h.releases.v1.id });
    expect(seen.failures).toEqual([]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => releaseAt(production)));
    expect(new Set(answers)).toEqual(new Set([e.h.releases.v1.id]));
    await e.settled('production');
    expect((await e.serviceDeployments('production'))[0]!.status).toBe('ROLLBACK_SUCCESSFUL');
    console.log(`ECS-native fast path: restored in ${json.report.timeToRestoreMs} ms`);
  }, 90_000);

  it('finish-now ends the bake; then the redeploy path redeploys the last known good through the engine; status agrees', async () => {
    const done = await deployProduction(e.h.releases.v2.id, { wait: 'traffic' });
    expect(done.exitCode).toBe(0);
    // End the 30-minute bake now (ContinueServiceDeployment at the hold hook): the original revision goes.
    const flight = (await e.serviceDeployments('production'))[0]!;
    const finished = await runCommand(finishNow, ['production'], { service, reason: 'test: end the bake' }, e.opts());
    expect(finished.exitCode, JSON.stringify(finished.outcome?.json ?? finished.error)).toBe(0);
    await e.settled('production');
    expect((await e.serviceDeployments('production'))[0]).toEqual({ arn: flight.arn, status: 'SUCCESSFUL' });

    const before = await runCommand(status, ['production'], { service }, e.opts());
    // status says what rollback will do: redeploy v1, the release before the one serving.
    expect(JSON.stringify(before.outcome?.json)).toContain(`"restores":"${e.h.releases.v1.id}"`);
    const back = await rollBack('test: redeploy path');
    expect(back.exitCode, JSON.stringify(back.outcome?.json ?? back.error)).toBe(0);
    const json = back.outcome!.json as RollbackJson;
    expect(json.report).toMatchObject({ path: 'redeploy', outcome: 'restored', restoredReleaseId: e.h.releases.v1.id });
    await e.settled('production');
    const [redeployed] = await e.serviceDeployments('production');
    expect(redeployed!.status).toBe('SUCCESSFUL');
    expect(redeployed!.arn).not.toBe(flight.arn);
    expect(await releaseAt(e.releaseUrl('production'))).toBe(e.h.releases.v1.id);
    console.log(`ECS-native redeploy path: restored in ${json.report.timeToRestoreMs} ms`);
  }, 120_000);
});
