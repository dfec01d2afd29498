import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as deploy } from '../commands/deploy';
import { startCommandChild } from './testing/command-child';
import { startEcsNativeHarness, type EcsNativeHarness } from './testing/ecs-native-harness';
import { releaseAt, startProbe, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

let e: EcsNativeHarness;
const deployTo = (environment: string, release: string, extra: Record<string, string | boolean> = {}) =>
  runCommand(deploy, [environment], { service: 'sample-service', release, ...extra }, e.opts());

beforeAll(async () => {
  e = await startEcsNativeHarness(22300, '2m');
}, 120_000);
afterAll(() => e?.h.close());

describe('shipgate deploy on the ECS-native controller (local-cloud, real SDK)', () => {
  it('moves production from v1 to v2 (LINEAR) under a continuous probe with zero failed requests', async () => {
    const production = e.releaseUrl('production');
    const probe = startProbe(production);
    await waitFor('the probe to warm up', () => probe.count() >= 100);
    const run = await deployTo('production', e.h.releases.v2.id);
    const seen = await probe.stop();
    expect(run.exitCode, JSON.stringify(run.error ?? run.progress)).toBe(0);
    const json = run.outcome!.json as {
      outcome: string;
      report: { controller: string; deploymentId: string };
      verification: { succeeded: number };
      trafficTimeline: { green: number }[];
    };
    expect(json.outcome).toBe('succeeded');
    expect(json.report.controller).toBe('ecs');
    expect(json.verification.succeeded).toBe(10);
    // Two LINEAR steps of 50 %: traffic was split on the way.
    expect(json.trafficTimeline.map((p) => p.green)).toEqual(expect.arrayContaining([50, 100]));
    expect(seen.failures).toEqual([]);
    expect(seen.releases.at(-1)).toBe(e.h.releases.v2.id);
    const [latest] = await e.serviceDeployments('production');
    expect(latest).toEqual({ arn: json.report.deploymentId, status: 'SUCCESSFUL' });
    console.log(`ECS-native v1→v2: ${seen.requests} probe requests, ${seen.failures.length} failed`);
  }, 90_000);

  it('fails verification through the test listener and rolls back before production traffic moves', async () => {
    const production = e.releaseUrl('verify');
    const probe = startProbe(production, 2);
    const run = await deployTo('verify', e.h.releases.v2.id);
    const seen = await probe.stop();
    expect(run.exitCode).toBe(1);
    const json = run.outcome!.json as {
      outcome: string;
      failure: { summary: string; lines: string[] };
      trafficTimeline: { green: number }[];
    };
    expect(json.outcome).toBe('rolled-back');
    expect(json.failure.summary).toMatch(/verification through the test listener failed/);
    expect(json.failure.lines.join('\n')).toContain('rel-an-impostor');
    expect(Math.max(0, ...json.trafficTimeline.map((p) => p.green))).toBe(0);
    expect(seen.failures).toEqual([]);
    await e.settled('verify');
    expect((await e.serviceDeployments('verify'))[0]!.status).toBe('ROLLBACK_SUCCESSFUL');
  }, 90_000);

  it('a deploy killed with SIGKILL and run again attaches to the same service deployment', async () => {
    await e.settled('production');
    const before = (await e.serviceDeployments('production')).length;
    const child = startCommandChild({
      positionals: ['production'],
      values: { service: 'sample-service', release: e.h.releases.v1.id },
      config: e.configFile,
      state: e.h.stateDir,
      env: e.h.env,
    });
    await waitFor(
      'the child to start a service deployment',
      () => /started deployment (arn:\S+)/.test(child.output()),
      30_000,
    );
    child.child.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    const startedId = /started deployment (arn:\S+)/.exec(child.output())![1]!;
    const rerun = await deployTo('production', e.h.releases.v1.id);
    expect(rerun.exitCode, JSON.stringify(rerun.error ?? rerun.progress)).toBe(0);
    const json = rerun.outcome!.json as { outcome: string; report: { attached: boolean; deploymentId: string } };
    expect(json.report).toMatchObject({ attached: true, deploymentId: startedId });
    expect(await e.serviceDeployments('production')).toHaveLength(before + 1);
    expect(await releaseAt(e.releaseUrl('production'))).toBe(e.h.releases.v1.id);
  }, 90_000);

  it('--if-busy: another release is refused while one deploys; supersede stops it with rollback first', async () => {
    await e.settled('production');
    const first = deployTo('production', e.h.releases.v2.id, { wait: 'traffic' });
    await waitFor('a service deployment in flight', async () =>
      (await e.serviceDeployments('production')).some((d) => d.status === 'IN_PROGRESS'),
    );
    const refused = await deployTo('production', e.h.releases.v1.id);
    expect(refused.error?.code).toBe('DEPLOY_IN_FLIGHT');
    expect(refused.exitCode).toBe(1);
    const inFlight = (await e.serviceDeployments('production'))[0]!.arn;
    expect(refused.error!.message).toContain(inFlight);
    expect((await first).exitCode).toBe(0);
    // v2 is now in its bake: supersede stops it with rollback, then deploys v1.
    const superseding = await deployTo('production', e.h.releases.v1.id, { 'if-busy': 'supersede' });
    expect(superseding.exitCode, JSON.stringify(superseding.error ?? superseding.progress)).toBe(0);
    expect(
      (superseding.outcome!.json as { report: { previousDeploymentId: string } }).report.previousDeploymentId,
    ).toBe(inFlight);
    const statuses = await e.serviceDeployments('production');
    expect(statuses.find((d) => d.arn === inFlight)?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(await releaseAt(e.releaseUrl('production'))).toBe(e.h.releases.v1.id);
  }, 120_000);
});
