import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateDeploymentConfigCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { runCommand } from './testing/run-command';

let h: DeployHarness;
let template: string;
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env, json: true });
const run = (env: string, values: Record<string, string>) => runCommand(deploy, [env], values, opts());

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 21600 });
  expect(
    (await runCommand(bootstrap, ['test'], { service: 'sample-service', release: h.releases.v1.id }, opts())).exitCode,
  ).toBe(0);
  template = await readFile(join(h.dir, 'taskdef.json'), 'utf8');
});
afterAll(() => h?.close());

async function nothingCreated(): Promise<void> {
  const defs = await h.clients.ecs.send(new ListTaskDefinitionsCommand({}));
  const deployments = await h.clients.codedeploy.send(
    new ListDeploymentsCommand({ applicationName: 'sg-test', deploymentGroupName: 'sample-service' }),
  );
  expect(defs.taskDefinitionArns).toHaveLength(1); // bootstrap's, nothing since
  expect(deployments.deployments ?? []).toEqual([]);
}

describe('shipgate deploy refuses bad input before any change (exit 2)', () => {
  it('an unknown environment or service', async () => {
    const env = await run('nowhere', { service: 'sample-service', release: h.releases.v2.id });
    const service = await run('test', { service: 'nope', release: h.releases.v2.id });
    expect([env.exitCode, env.error?.code]).toEqual([2, 'UNKNOWN_ENVIRONMENT']);
    expect([service.exitCode, service.error?.code]).toEqual([2, 'UNKNOWN_SERVICE']);
    expect(service.error?.message).toContain('"nope"');
    await nothingCreated();
  });

  it('a release of another service', async () => {
    const r = await run('test', { service: 'sample-service', release: h.releases.other.id });
    expect([r.exitCode, r.error?.code]).toEqual([2, 'RELEASE_SERVICE_MISMATCH']);
    expect(r.error?.message).toBe(
      `expected a release of sample-service, found ${h.releases.other.id} of other-service`,
    );
    await nothingCreated();
  });

  it('an invalid task-definition template: bad JSON (with its line) and a missing container', async () => {
    try {
      await writeFile(
        join(h.dir, 'taskdef.json'),
        template.replace('"networkMode": "awsvpc",', '"networkMode": "awsvpc",,'),
      );
      const syntax = await run('test', { service: 'sample-service', release: h.releases.v2.id });
      expect([syntax.exitCode, syntax.error?.code]).toEqual([2, 'TEMPLATE_INVALID']);
      await writeFile(join(h.dir, 'taskdef.json'), template.replace('"name": "app"', '"name": "web"'));
      const container = await run('test', { service: 'sample-service', release: h.releases.v2.id });
      expect([container.exitCode, container.error?.code]).toEqual([2, 'TEMPLATE_INVALID']);
      expect(container.error?.message).toContain('expected a container named "app"');
    } finally {
      await writeFile(join(h.dir, 'taskdef.json'), template);
    }
    await nothingCreated();
  });

  it('a release without a digest', async () => {
    // Written around the ledger's checks, as a hand-edited or legacy record would be.
    const id = 'rel-00000000000000ad';
    await mkdir(join(h.stateDir, 'releases'), { recursive: true });
    await writeFile(
      join(h.stateDir, 'releases', `${id}.json`),
      JSON.stringify({
        id,
        service: 'sample-service',
        image: 'local-cloud.local/sample-service:latest',
        digest: '',
        createdBy: 'x',
        createdAt: new Date().toISOString(),
      }),
    );
    const r = await run('test', { service: 'sample-service', release: id });
    expect([r.exitCode, r.error?.code]).toEqual([2, 'IMAGE_NOT_PINNED']);
    await nothingCreated();
  });
});

describe('shipgate deploy with a custom CodeDeploy deployment configuration', () => {
  /** Runs `work` with the test environment's deploymentConfig set to `name`, then puts the config back. */
  async function withDeploymentConfig(name: string, work: () => Promise<void>): Promise<void> {
    const original = await readFile(h.configFile, 'utf8');
    const config = JSON.parse(original) as { environments: { test: { deploy: Record<string, unknown> } } };
    config.environments.test.deploy.deploymentConfig = name;
    await writeFile(h.configFile, JSON.stringify(config, null, 2));
    try {
      await work();
    } finally {
      await writeFile(h.configFile, original);
    }
  }

  it('budgets it by the routing CodeDeploy defines for it (dry run)', async () => {
    await h.clients.codedeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'TeamSteadyShift',
        computePlatform: 'ECS',
        trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } },
      }),
    );
    await withDeploymentConfig('TeamSteadyShift', async () => {
      const r = await runCommand(
        deploy,
        ['test'],
        { service: 'sample-service', release: h.releases.v2.id, 'dry-run': true },
        opts(),
      );
      expect(r.exitCode).toBe(0);
      const json = r.outcome?.json as { routing: unknown; budget: { trafficShiftMs: number; timeScale: number } };
      expect(json.routing).toEqual({ type: 'linear', percent: 25, intervalMinutes: 2 });
      // Three steps of 2 minutes after the first 25 %, in local-cloud's compressed time.
      expect(json.budget.trafficShiftMs).toBe(Math.ceil((3 * 2 * 60_000) / json.budget.timeScale));
    });
    await nothingCreated();
  });

  it('refuses one that CodeDeploy does not have (exit 2, CONFIG_INVALID), before any change', async () => {
    await withDeploymentConfig('NoSuchShift', async () => {
      const r = await run('test', { service: 'sample-service', release: h.releases.v2.id });
      expect([r.exitCode, r.error?.code]).toEqual([2, 'CONFIG_INVALID']);
      expect(r.error?.message).toBe('expected CodeDeploy deployment configuration "NoSuchShift" to exist, found none');
    });
    await nothingCreated();
  });
});

// #11 item 19: `deploy --help` promises that --dry-run shows the task definition and the AppSpec; the
// human output shows both, and changes nothing in the cloud.
describe('shipgate deploy --dry-run for people (#11.19)', () => {
  it('shows the rendered task definition with the release image, and the AppSpec, and registers nothing', async () => {
    const r = await runCommand(
      deploy,
      ['test'],
      { service: 'sample-service', release: h.releases.v2.id, 'dry-run': true },
      { ...opts(), json: false },
    );
    expect(r.exitCode).toBe(0);
    const human = r.outcome!.human;
    expect(human.split('\n')[0]).toMatch(/^dry run: would /);
    expect(human).toContain('  task definition it would register');
    expect(human).toContain(`"image": "${h.releases.v2.image}"`);
    expect(human).toContain('"containerDefinitions": [');
    expect(human).toContain('  what it would ask the codedeploy controller to start');
    expect(human).toContain('"appSpec": {');
    expect(human).toContain('"TaskDefinition": "<TASK_DEFINITION>"');
    expect(human).toContain('"ContainerName": "app"');
    await nothingCreated();
  });
});
