import { readFile, writeFile } from 'node:fs/promises';
import { DescribeTargetGroupsCommand, ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as bootstrap } from '../commands/bootstrap';
import { command as diff } from '../commands/diff';
import { command as gate } from '../commands/gate';
import { startDeployHarness, type DeployHarness } from '../deploy/testing/deploy-harness';
import { runCommand } from '../deploy/testing/run-command';

let h: DeployHarness;
const run = (
  cmd: typeof diff | typeof bootstrap | typeof gate,
  positionals: string[],
  values: Record<string, string | boolean>,
) => runCommand(cmd, positionals, values, { config: h.configFile, state: h.stateDir, env: h.env });

interface DiffJson {
  parity: boolean;
  services: {
    unexpected: number;
    differences: { setting: string; source: string; a: string; b: string; expected?: string }[];
  }[];
}

beforeAll(async () => {
  h = await startDeployHarness({ basePort: 22100 });
  const config = JSON.parse(await readFile(h.configFile, 'utf8'));
  config.parity = {
    expect: {
      'deploy.deploymentConfig': 'production shifts linearly',
      'deploy.alarms': 'only production has the 5xx alarm',
    },
  };
  config.environments.production.promotion = { from: 'test', parity: 'required' };
  await writeFile(h.configFile, JSON.stringify(config, null, 2));
  for (const env of ['test', 'production']) {
    const done = await run(bootstrap, [env], { service: 'sample-service', release: h.releases.v1.id });
    expect(done.exitCode, JSON.stringify(done.error ?? done.outcome?.human)).toBe(0);
  }
}, 240_000);
afterAll(() => h?.close());

describe('shipgate diff and the parity requirement', () => {
  it('finds test and production alike, live and declared, but for the expected differences', async () => {
    const result = await run(diff, ['test', 'production'], { service: 'sample-service' });
    expect(result.exitCode, result.outcome?.human).toBe(0);
    const report = (result.outcome!.json as DiffJson).services[0]!;
    expect(report.differences.filter((d) => !d.expected)).toEqual([]);
    expect(report.differences.filter((d) => d.source === 'live').map((d) => d.setting)).toEqual([
      'deploy.alarms',
      'deploy.deploymentConfig',
    ]);
    const decision = await run(gate, ['production'], { service: 'sample-service', release: h.releases.v1.id });
    expect(decision.exitCode, decision.outcome?.human).toBe(0);
  });

  it('reports a health-check path changed in test behind shipgate’s back, exits 1, and the gate blocks on it', async () => {
    for (const name of ['test-sample-service-blue', 'test-sample-service-green']) {
      const tg = (await h.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }))).TargetGroups![0]!;
      await h.clients.elbv2.send(
        new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, HealthCheckPath: '/ready' }),
      );
    }
    const result = await run(diff, ['test', 'production'], { service: 'sample-service' });
    expect(result.exitCode).toBe(1);
    const report = (result.outcome!.json as DiffJson).services[0]!;
    expect(report.differences.filter((d) => !d.expected)).toEqual([
      { setting: 'healthCheck.path', source: 'live', a: '/ready', b: '/health' },
    ]);
    expect(result.outcome!.human).toMatch(/healthCheck\.path\s+live\s+\/ready\s+\/health\s+NO/);

    const decision = await run(gate, ['production'], { service: 'sample-service', release: h.releases.v1.id });
    expect(decision.exitCode).toBe(1);
    const json = decision.outcome!.json as {
      decision: { requirements: { id: string; status: string; reason: string }[] };
    };
    const parity = json.decision.requirements.find((r) => r.id === 'parity')!;
    expect(parity.status).toBe('fail');
    expect(parity.reason).toContain('healthCheck.path (live): test /ready, production /health');
  });
});
