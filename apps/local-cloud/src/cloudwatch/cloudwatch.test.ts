import { describe, expect, it } from 'vitest';
import { ManualCloudTime } from '../codedeploy/testing';
import type { AwsError } from '../contract';
import { cloudWatchLegacyErrorCode, createCloudWatch } from './index';

const alarm = (name: string, over: Record<string, unknown> = {}) => ({
  AlarmName: name,
  MetricName: 'HTTPCode_Target_5XX_Count',
  Namespace: 'AWS/ApplicationELB',
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 2,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  ...over,
});

function setup() {
  const time = new ManualCloudTime('2026-03-01T00:00:00Z');
  const cw = createCloudWatch({ region: 'eu-west-1', accountId: '123456789012', time });
  const call = async (op: string, input: Record<string, unknown>) => cw.api[op]!(input);
  return { time, cw, call };
}

describe('CloudWatch metric alarms', () => {
  it('creates alarms in INSUFFICIENT_DATA and describes them with ARN, state and timestamps', async () => {
    const { call } = setup();
    expect(await call('PutMetricAlarm', alarm('web-5xx', { AlarmDescription: '5xx on web' }))).toEqual({});
    const out = (await call('DescribeAlarms', { AlarmNames: ['web-5xx'] })) as {
      MetricAlarms: Record<string, unknown>[];
    };
    expect(out.MetricAlarms).toHaveLength(1);
    expect(out.MetricAlarms[0]).toMatchObject({
      AlarmName: 'web-5xx',
      AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-5xx',
      AlarmDescription: '5xx on web',
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: new Date('2026-03-01T00:00:00Z'),
      EvaluationPeriods: 2,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ActionsEnabled: true,
    });
  });

  it('SetAlarmState changes the state CodeDeploy sees, and updates the timestamps', async () => {
    const { call, cw, time } = setup();
    await call('PutMetricAlarm', alarm('a'));
    await call('PutMetricAlarm', alarm('b'));
    expect(cw.alarms.alarmsInAlarm(['a', 'b', 'missing'])).toEqual([]);
    await time.advance(90_000);
    await call('SetAlarmState', { AlarmName: 'b', StateValue: 'ALARM', StateReason: 'testing' });
    expect(cw.alarms.alarmsInAlarm(['a', 'b', 'missing'])).toEqual(['b']);
    const inAlarm = (await call('DescribeAlarms', { StateValue: 'ALARM' })) as {
      MetricAlarms: Record<string, unknown>[];
    };
    expect(inAlarm.MetricAlarms.map((a) => [a['AlarmName'], a['StateReason'], a['StateUpdatedTimestamp']])).toEqual([
      ['b', 'testing', new Date('2026-03-01T00:01:30Z')],
    ]);
    cw.setAlarmState('b', 'OK', 'recovered');
    expect(cw.alarms.alarmsInAlarm(['b'])).toEqual([]);
    // Updating the configuration keeps the state.
    cw.setAlarmState('a', 'ALARM', 'firing');
    await call('PutMetricAlarm', alarm('a', { Threshold: 50 }));
    expect(cw.alarms.alarmsInAlarm(['a'])).toEqual(['a']);
  });

  it('validates input and answers unknown alarms with ResourceNotFound', async () => {
    const { call } = setup();
    const cases: [Record<string, unknown>, string][] = [
      [alarm('', {}), 'ValidationException'],
      [alarm('x', { EvaluationPeriods: undefined }), 'ValidationException'],
      [alarm('x', { EvaluationPeriods: 0 }), 'InvalidParameterValueException'],
      [alarm('x', { ComparisonOperator: undefined }), 'ValidationException'],
      [alarm('x', { ComparisonOperator: 'Bigger' }), 'InvalidParameterValueException'],
      [alarm('x', { Threshold: undefined }), 'MissingRequiredParameterException'],
      [alarm('x', { Statistic: undefined }), 'MissingRequiredParameterException'],
      [alarm('x', { Period: 45 }), 'InvalidParameterValueException'],
      [alarm('x', { DatapointsToAlarm: 3 }), 'InvalidParameterValueException'],
      [alarm('x', { Metrics: [{ Id: 'm1' }] }), 'InvalidParameterCombinationException'],
    ];
    for (const [input, code] of cases)
      await expect(call('PutMetricAlarm', input), JSON.stringify(input)).rejects.toMatchObject({ code });
    await expect(
      call('SetAlarmState', { AlarmName: 'ghost', StateValue: 'ALARM', StateReason: 'r' }),
    ).rejects.toMatchObject({ code: 'ResourceNotFound', status: 404 });
    await call('PutMetricAlarm', alarm('real'));
    await expect(
      call('SetAlarmState', { AlarmName: 'real', StateValue: 'RED', StateReason: 'r' }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValueException' });
    await expect(call('SetAlarmState', { AlarmName: 'real', StateValue: 'OK' })).rejects.toMatchObject({
      code: 'ValidationException',
    });
    await expect(
      call('SetAlarmState', { AlarmName: 'real', StateValue: 'OK', StateReason: 'r', StateReasonData: '{bad' }),
    ).rejects.toMatchObject({ code: 'InvalidFormatFault' });
    await expect(call('DescribeAlarms', { AlarmNames: ['a'], AlarmNamePrefix: 'a' })).rejects.toMatchObject({
      code: 'InvalidParameterCombinationException',
    });
    const error = await call('SetAlarmState', { AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' }).catch(
      (e: AwsError) => e,
    );
    expect(cloudWatchLegacyErrorCode(error as AwsError)).toBe('ResourceNotFound');
  });

  it('pages DescribeAlarms in name order with MaxRecords and NextToken, and deletes alarms', async () => {
    const { call } = setup();
    for (const name of ['c', 'a', 'e', 'b', 'd']) await call('PutMetricAlarm', alarm(name));
    const names: string[] = [];
    let token: unknown;
    let pages = 0;
    do {
      const out = (await call('DescribeAlarms', { MaxRecords: 2, ...(token ? { NextToken: token } : {}) })) as {
        MetricAlarms: { AlarmName: string }[];
        NextToken?: string;
      };
      names.push(...out.MetricAlarms.map((a) => a.AlarmName));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
    await expect(call('DescribeAlarms', { NextToken: '!!' })).rejects.toMatchObject({ code: 'InvalidNextToken' });
    await call('DeleteAlarms', { AlarmNames: ['a', 'b'] });
    const rest = (await call('DescribeAlarms', { AlarmNamePrefix: '' })) as { MetricAlarms: { AlarmName: string }[] };
    expect(rest.MetricAlarms.map((a) => a.AlarmName)).toEqual(['c', 'd', 'e']);
    await expect(call('DeleteAlarms', { AlarmNames: ['a'] })).rejects.toMatchObject({ code: 'ResourceNotFound' });
  });
});
