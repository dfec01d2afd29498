import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { releaseAt, startProbe, waitFor } from './testing/probe';
import { runCommand } from './testing/run-command';

let h: DeployHarness;
let production: string;
let ecsConfig: string;
const service = 'sample-service';
const opts = (config = h.configFile) => ({ config, state: h.stateDir, env: h.env, json: true });
const controllerNow = async () =>
  (await h.clients.ecs.send(new DescribeServicesCommand({ cluster: 'sg-test', services: [service] }))).services?.[0]
    ?.deploymentController?.type;

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 22500 });
  const boot = await runCommand(bootstrap, ['test'], { service, release: h.releases.v1.id }, opts());
  expect(boot.exitCode).toBe(0);
  production = `${h.cloud.listeners().find((l) => l.port === 22500)!.url}/release`;
  await waitFor('v1 to serve', async () => (await releaseAt(production)) === h.releases.v1.id);
  // One CodeDeploy deployment: production traffic is now on the green target group.
  const run = await runCommand(deploy, ['test'], { service, release: h.releases.v2.id }, opts());
  expect(run.exitCode, JSON.stringify(run.error ?? run.progress)).toBe(0);
  // The same environment, now saying controller: ecs.
  const config = JSON.parse(await readFile(h.configFile, 'utf8')) as {
    environments: { test: { deploy: Record<string, unknown> } };
  };
  const { deploymentConfig: _c, terminationWait: _t, ...rest } = config.environments.test.deploy;
  config.environments.test.deploy = { ...rest, controller: 'ecs', bakeTime: '1m' };
  ecsConfig = join(h.dir, 'shipgate-ecs.yaml');
  await writeFile(ecsConfig, JSON.stringify(config, null, 2));
}, 120_000);
afterAll(() => h?.close());

describe('moving a CodeDeploy service to ECS-native (local-cloud, real SDK)', () => {
  it('bootstrap says what the migration would change and does nothing unasked, also in a dry run', async () => {
    for (const values of [{ service, 'dry-run': true }, { service }]) {
      const run = await runCommand(bootstrap, ['test'], values, opts(ecsConfig));
      expect(run.exitCode).toBe(1);
      expect(run.outcome!.human).toMatch(
        /ecs-service\s+sample-service\s+migrate\s+deploymentController: CODE_DEPLOY → ECS/,
      );
      expect(run.outcome!.human).toContain('--migrate-controller');
      expect(await controllerNow()).toBe('CODE_DEPLOY');
    }
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
  }, 60_000);

  it('--migrate-controller moves it in place, traffic stays on v2, and the next deploy is ECS-native', async () => {
    const probe = startProbe(production, 2);
    const run = await runCommand(bootstrap, ['test'], { service, 'migrate-controller': true }, opts(ecsConfig));
    expect(run.exitCode, run.outcome?.human).toBe(0);
    expect(await controllerNow()).toBe('ECS');
    expect(await releaseAt(production)).toBe(h.releases.v2.id);
    const next = await runCommand(deploy, ['test'], { service, release: h.releases.v1.id }, opts(ecsConfig));
    const seen = await probe.stop();
    expect(next.exitCode, JSON.stringify(next.error ?? next.progress)).toBe(0);
    expect((next.outcome!.json as { report: { controller: string } }).report.controller).toBe('ecs');
    expect(seen.failures).toEqual([]);
    expect(await releaseAt(production)).toBe(h.releases.v1.id);
    console.log(`migration then ECS-native deploy: ${seen.requests} probe requests, ${seen.failures.length} failed`);
  }, 120_000);
});
