// #11 item 23: the stock AWS CLI against local-cloud's CloudWatch. The CLI v2 (2.9) speaks the Query protocol to
// it, a recent CLI v1 (botocore 1.43) JSON 1.0. Each `aws` on PATH (or in $AWS_CLI, colon-separated) is tried; the
// raw-request tests in cloudwatch-protocols.test.ts cover the same wire without one.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';

const run = promisify(execFile);

function awsClis(): string[] {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  const candidates = process.env['AWS_CLI']?.split(':') ?? dirs.map((d) => join(d, 'aws'));
  return candidates.filter((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

// The same program reached through several PATH entries (a shim, /usr/bin and /bin) is run once.
async function distinctClis(): Promise<{ path: string; version: string }[]> {
  const seen = new Map<string, string>();
  for (const path of awsClis()) {
    const version = await run(path, ['--version'], { timeout: 60_000 }).then(
      (r) => (r.stdout + r.stderr).trim().split(' ')[0] ?? '',
      () => '',
    );
    if (version.startsWith('aws-cli/') && !seen.has(version)) seen.set(version, path);
  }
  return [...seen].map(([version, path]) => ({ path, version }));
}

const clis = await distinctClis();
if (clis.length === 0) {
  // Skipped, and said so: the file still holds a test, that the search for a CLI found none.
  console.warn('cloudwatch-aws-cli.test.ts: skipped: no AWS CLI (`aws`) on PATH or in $AWS_CLI');
  it('finds no AWS CLI to run (#11.23)', () => expect(awsClis().length === 0 || clis.length === 0).toBe(true));
}

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0 });
});
afterAll(async () => {
  await cloud?.close();
});

describe.each(clis)('$version ($path) against local-cloud CloudWatch (#11.23)', ({ path, version }) => {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  const aws = (...args: string[]) =>
    run(path, ['--endpoint-url', cloud.endpoint, '--output', 'json', 'cloudwatch', ...args], {
      env,
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const alarm = `cli-${version.replace(/\W/g, '-')}`;

  it('put-metric-alarm, describe-alarms, set-alarm-state, delete-alarms work, and errors name AWS codes', async () => {
    const put = await aws(
      'put-metric-alarm',
      '--alarm-name',
      alarm,
      '--metric-name',
      'HTTPCode_Target_5XX_Count',
      '--namespace',
      'AWS/ApplicationELB',
      '--statistic',
      'Sum',
      '--period',
      '60',
      '--evaluation-periods',
      '2',
      '--threshold',
      '5.5',
      '--comparison-operator',
      'GreaterThanOrEqualToThreshold',
      '--dimensions',
      'Name=LoadBalancer,Value=app/web/1',
    );
    expect(put, put.stderr).toMatchObject({ code: 0 });
    expect(
      (await aws('set-alarm-state', '--alarm-name', alarm, '--state-value', 'ALARM', '--state-reason', 'cli')).code,
    ).toBe(0);
    const described = await aws('describe-alarms', '--alarm-names', alarm);
    expect(described.code, described.stderr).toBe(0);
    const out = JSON.parse(described.stdout) as { MetricAlarms: Record<string, unknown>[] };
    expect(out.MetricAlarms).toHaveLength(1);
    expect(out.MetricAlarms[0]).toMatchObject({
      AlarmName: alarm,
      Threshold: 5.5,
      EvaluationPeriods: 2,
      StateValue: 'ALARM',
      StateReason: 'cli',
      Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/1' }],
    });
    const ghost = await aws('set-alarm-state', '--alarm-name', 'ghost', '--state-value', 'OK', '--state-reason', 'r');
    expect(ghost.code).not.toBe(0);
    expect(ghost.stderr).toContain('(ResourceNotFound)');
    expect((await aws('delete-alarms', '--alarm-names', alarm)).code).toBe(0);
    const after = JSON.parse((await aws('describe-alarms', '--alarm-names', alarm)).stdout) as {
      MetricAlarms: unknown[];
    };
    expect(after.MetricAlarms).toEqual([]);
  }, 180_000); // a Python CLI takes seconds to start, six times over
});
