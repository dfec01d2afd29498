import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from './local-cloud';
import { testCredentials } from './test-support';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, timeScale: 60 });
});
afterAll(async () => {
  await cloud?.close();
});

describe('startLocalCloud', () => {
  it('serves CodeDeploy and CloudWatch on the same endpoint, and fires alarms on demand', async () => {
    const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 };
    const cd = new CodeDeployClient(config);
    const cw = new CloudWatchClient(config);
    try {
      expect((await cd.send(new ListApplicationsCommand({}))).applications).toEqual([]);
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'errors',
          MetricName: '5xx',
          Namespace: 'app',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      );
      cloud.faults.setAlarmState('errors', 'ALARM', 'injected');
      const alarms = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }));
      expect(alarms.MetricAlarms![0]).toMatchObject({
        AlarmName: 'errors',
        StateValue: 'ALARM',
        StateReason: 'injected',
      });
      await fetch(`${cloud.endpoint}/_local-cloud/faults`, {
        method: 'POST',
        body: JSON.stringify({ alarm: { name: 'errors', state: 'OK', reason: 'recovered' } }),
      });
      expect((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }))).MetricAlarms![0]!.StateValue).toBe(
        'OK',
      );
    } finally {
      cd.destroy();
      cw.destroy();
    }
  });

  it('runs CodeDeploy time faster by the time scale', () => {
    expect(cloud.time.timeScale).toBe(60);
    expect(cloud.time.scaled(60_000)).toBe(1_000);
  });
});

describe('command line', () => {
  it('prints the endpoint, serves, and stops cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'up', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(chunk);
        if (m) resolve(m[0]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const health = (await (await fetch(`${endpoint}/_local-cloud/health`)).json()) as { status: string };
    expect(health.status).toBe('running');
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses a bad port with exit code 2', async () => {
    const { runLocalCloudCli } = await import('./cli');
    const errors: string[] = [];
    expect(await runLocalCloudCli(['up', '--port', 'x'], { out: () => {}, err: (l) => errors.push(l) })).toBe(2);
    expect(errors[0]).toBe('local-cloud: expected --port to be 0-65535, found "x"');
  });
});
