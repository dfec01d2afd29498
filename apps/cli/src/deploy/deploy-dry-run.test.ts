import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as deploy } from '../commands/deploy';
import { startDeployHarness, type DeployHarness } from './testing/deploy-harness';
import { runCommand } from './testing/run-command';

// #11 item 19: `deploy --help` promises that --dry-run shows the task definition and the AppSpec; the
// human output shows both, on local-cloud through the real SDK, and changes nothing there.
let h: DeployHarness;
const opts = () => ({ config: h.configFile, state: h.stateDir, env: h.env });

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 22300 });
  const ready = await runCommand(bootstrap, ['test'], { service: 'sample-service', release: h.releases.v1.id }, opts());
  expect(ready.exitCode).toBe(0);
});
afterAll(() => h?.close());

describe('deploy --dry-run for people (#11.19)', () => {
  it('shows the rendered task definition with the release image, and the AppSpec, and registers nothing', async () => {
    const before = await h.clients.ecs.send(new ListTaskDefinitionsCommand({}));
    const r = await runCommand(
      deploy,
      ['test'],
      { service: 'sample-service', release: h.releases.v2.id, 'dry-run': true },
      opts(),
    );
    expect(r.exitCode).toBe(0);
    const human = r.outcome!.human;
    expect(human.split('\n')[0]).toMatch(/^dry run: would /);
    expect(human).toContain('  task definition it would register');
    expect(human).toContain(`"image": "${h.releases.v2.image}"`);
    expect(human).toContain('"containerDefinitions": [');
    expect(human).toContain('  AppSpec it would hand CodeDeploy');
    expect(human).toContain('"TaskDefinition": "<TASK_DEFINITION>"');
    expect(human).toContain('"ContainerName": "app"');
    const after = await h.clients.ecs.send(new ListTaskDefinitionsCommand({}));
    expect(after.taskDefinitionArns).toEqual(before.taskDefinitionArns);
    const deployments = await h.clients.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: 'sg-test', deploymentGroupName: 'sample-service' }),
    );
    expect(deployments.deployments ?? []).toEqual([]);
  });
});
