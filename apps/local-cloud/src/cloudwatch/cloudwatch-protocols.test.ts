// #11 item 23: CloudWatch over every protocol a client can pick: AWS JSON 1.0 (the JS SDK's default), the Query
// protocol (the AWS CLI v2's, which got InvalidAction for every call), and Smithy RPC v2 CBOR (which the installed
// SDK, like botocore, can select: CloudWatch's model lists all three).
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { decodeCbor, encodeCbor } from '../server/cbor';
import { expectWallClock, testCredentials } from '../test-support';

let cloud: LocalCloud;
// Time scale 600: alarm timestamps must still be wall-clock time (#11 item 25).
beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, timeScale: 600 });
});
afterAll(async () => {
  await cloud?.close();
});

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=test/20261201/us-east-1/monitoring/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd';
const XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** A Query request as the AWS CLI v2 sends it to CloudWatch. */
async function query(params: Record<string, string>) {
  const res = await fetch(cloud.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: SIGNED },
    body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
  });
  return { status: res.status, xml: await res.text() };
}

/** The texts of every `<name>` element, in order. */
const texts = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

const jsonClient = () =>
  new CloudWatchClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });

describe('CloudWatch over the Query protocol, as the AWS CLI v2 sends it (#11.23)', () => {
  it('PutMetricAlarm with lists and numbers, then DescribeAlarms by names answers the alarm in XML', async () => {
    const put = await query({
      Action: 'PutMetricAlarm',
      AlarmName: 'q-5xx',
      AlarmDescription: '5xx <on> web & api',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Period: '60',
      EvaluationPeriods: '3',
      DatapointsToAlarm: '2',
      Threshold: '5.5',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ActionsEnabled: 'false',
      'AlarmActions.member.1': 'arn:aws:sns:us-east-1:000000000000:page',
      'Dimensions.member.1.Name': 'LoadBalancer',
      'Dimensions.member.1.Value': 'app/web/1',
      'Dimensions.member.2.Name': 'TargetGroup',
      'Dimensions.member.2.Value': 'targetgroup/blue/2',
    });
    expect(put.status).toBe(200);
    expect(put.xml).toContain(`<PutMetricAlarmResponse xmlns="${XMLNS}">`);
    expect(texts(put.xml, 'RequestId')).toHaveLength(1);

    const described = await query({ Action: 'DescribeAlarms', 'AlarmNames.member.1': 'q-5xx' });
    expect(described.status).toBe(200);
    expect(described.xml).toContain(
      `<DescribeAlarmsResponse xmlns="${XMLNS}"><DescribeAlarmsResult><MetricAlarms><member>`,
    );
    expect(texts(described.xml, 'AlarmName')).toEqual(['q-5xx']);
    expect(texts(described.xml, 'AlarmDescription')).toEqual(['5xx &lt;on&gt; web &amp; api']);
    expect(texts(described.xml, 'Threshold')).toEqual(['5.5']);
    expect(texts(described.xml, 'EvaluationPeriods')).toEqual(['3']);
    expect(texts(described.xml, 'ActionsEnabled')).toEqual(['false']);
    expect(texts(described.xml, 'Name')).toEqual(['LoadBalancer', 'TargetGroup']);
    expect(described.xml).toContain(
      '<AlarmActions><member>arn:aws:sns:us-east-1:000000000000:page</member></AlarmActions>',
    );
    expect(texts(described.xml, 'StateValue')).toEqual(['INSUFFICIENT_DATA']);
    expect(texts(described.xml, 'StateUpdatedTimestamp')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // The same alarm, read over JSON 1.0: one store, typed members.
    const cw = jsonClient();
    const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['q-5xx'] }))).MetricAlarms?.[0];
    cw.destroy();
    expect(alarm).toMatchObject({
      Threshold: 5.5,
      Period: 60,
      DatapointsToAlarm: 2,
      ActionsEnabled: false,
      AlarmDescription: '5xx <on> web & api',
      Dimensions: [
        { Name: 'LoadBalancer', Value: 'app/web/1' },
        { Name: 'TargetGroup', Value: 'targetgroup/blue/2' },
      ],
    });
  });

  it('pages DescribeAlarms with MaxRecords and NextToken, filters by state, and deletes', async () => {
    for (const name of ['p-c', 'p-a', 'p-b'])
      await query({
        Action: 'PutMetricAlarm',
        AlarmName: name,
        MetricName: 'M',
        Namespace: 'N',
        Statistic: 'Sum',
        Period: '60',
        EvaluationPeriods: '1',
        Threshold: '1',
        ComparisonOperator: 'GreaterThanThreshold',
      });
    const first = await query({ Action: 'DescribeAlarms', AlarmNamePrefix: 'p-', MaxRecords: '2' });
    expect(texts(first.xml, 'AlarmName')).toEqual(['p-a', 'p-b']);
    const [token] = texts(first.xml, 'NextToken');
    expect(token).toBeTruthy();
    const second = await query({ Action: 'DescribeAlarms', AlarmNamePrefix: 'p-', MaxRecords: '2', NextToken: token! });
    expect(texts(second.xml, 'AlarmName')).toEqual(['p-c']);
    expect(texts(second.xml, 'NextToken')).toEqual([]);

    const set = await query({
      Action: 'SetAlarmState',
      AlarmName: 'p-b',
      StateValue: 'ALARM',
      StateReason: 'query test',
    });
    expect(set.status).toBe(200);
    const inAlarm = await query({ Action: 'DescribeAlarms', AlarmNamePrefix: 'p-', StateValue: 'ALARM' });
    expect(texts(inAlarm.xml, 'AlarmName')).toEqual(['p-b']);
    expect(texts(inAlarm.xml, 'StateReason')).toEqual(['query test']);

    const deleted = await query({ Action: 'DeleteAlarms', 'AlarmNames.member.1': 'p-a', 'AlarmNames.member.2': 'p-c' });
    expect(deleted.status).toBe(200);
    const rest = await query({ Action: 'DescribeAlarms', AlarmNamePrefix: 'p-' });
    expect(texts(rest.xml, 'AlarmName')).toEqual(['p-b']);
  });

  it('answers errors as <ErrorResponse> with the legacy code JSON reports in x-amzn-query-error', async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{ Action: 'SetAlarmState', AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' }, 404, 'ResourceNotFound'],
      [{ Action: 'DeleteAlarms', 'AlarmNames.member.1': 'ghost' }, 404, 'ResourceNotFound'],
      [{ Action: 'DescribeAlarms', MaxRecords: 'many' }, 400, 'InvalidParameterValue'],
      [{ Action: 'DescribeAlarms', NextToken: '!!' }, 400, 'InvalidNextToken'],
      [
        {
          Action: 'PutMetricAlarm',
          AlarmName: 'x',
          EvaluationPeriods: '1',
          ComparisonOperator: 'GreaterThanThreshold',
          MetricName: 'M',
          Namespace: 'N',
          Period: '60',
          Threshold: '1',
        },
        400,
        'MissingParameter',
      ],
      [{ Action: 'LaunchRockets' }, 400, 'InvalidAction'],
    ];
    for (const [params, status, code] of cases) {
      const res = await query(params);
      expect([res.status, texts(res.xml, 'Code'), texts(res.xml, 'Type')], JSON.stringify(params)).toEqual([
        status,
        [code],
        ['Sender'],
      ]);
      expect(res.xml).toContain(`<ErrorResponse xmlns="${XMLNS}"><Error>`);
    }
    // The JSON protocol's query-compatible header names the same legacy code.
    const json = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.SetAlarmState',
        authorization: SIGNED,
      },
      body: JSON.stringify({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' }),
    });
    expect([json.status, json.headers.get('x-amzn-query-error')]).toEqual([404, 'ResourceNotFound;Sender']);
  });
});

describe('CloudWatch behaves the same whichever protocol the installed SDK selects (#11.23)', () => {
  const protocols = {
    json: undefined,
    query: AwsQueryProtocol,
    cbor: AwsSmithyRpcV2CborProtocol,
  } as const;

  // One scenario, run through each protocol on its own alarm names; what it saw must be the same for all.
  async function scenario(kind: keyof typeof protocols) {
    const protocol = protocols[kind];
    const cw = new CloudWatchClient({
      endpoint: cloud.endpoint,
      region: 'us-east-1',
      credentials: testCredentials,
      maxAttempts: 1,
      ...(protocol ? { protocol } : {}),
    });
    const prefix = `${kind}-`;
    const started = Date.now();
    for (const n of [3, 1, 2])
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: `${prefix}${n}`,
          MetricName: 'TargetResponseTime',
          Namespace: 'AWS/ApplicationELB',
          ExtendedStatistic: 'p99',
          Period: 60,
          EvaluationPeriods: 2,
          Threshold: 0.25 * n,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          Dimensions: [{ Name: 'LoadBalancer', Value: `app/${kind}/1` }],
        }),
      );
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: `${prefix}2`,
        StateValue: 'ALARM',
        StateReason: 'p99 high',
        StateReasonData: '{"v":1}',
      }),
    );
    const pages: MetricAlarm[][] = [];
    let token: string | undefined;
    do {
      const out = await cw.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, MaxRecords: 2, NextToken: token }),
      );
      pages.push(out.MetricAlarms ?? []);
      token = out.NextToken;
    } while (token);
    const byName = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [`${prefix}2`] }));
    const errors = await Promise.all(
      [
        cw.send(new SetAlarmStateCommand({ AlarmName: `${prefix}ghost`, StateValue: 'OK', StateReason: 'r' })),
        cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })),
        cw.send(new SetAlarmStateCommand({ AlarmName: `${prefix}1`, StateValue: 'RED' as 'OK', StateReason: 'r' })),
      ].map((p) =>
        p.then(
          () => 'no error',
          (e: { name: string; $metadata: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata.httpStatusCode}`,
        ),
      ),
    );
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: [`${prefix}1`, `${prefix}3`] }));
    const left = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix }));
    cw.destroy();
    // Names and timestamps differ by protocol by construction; everything else must not.
    const strip = (a: MetricAlarm) => {
      // Wall-clock time, and seconds read as seconds: either way wrong lands far from the scenario's run.
      expectWallClock('StateUpdatedTimestamp', a.StateUpdatedTimestamp, started);
      expectWallClock('AlarmConfigurationUpdatedTimestamp', a.AlarmConfigurationUpdatedTimestamp, started);
      const {
        AlarmName,
        AlarmArn,
        StateUpdatedTimestamp: _updated,
        StateTransitionedTimestamp: _transitioned,
        AlarmConfigurationUpdatedTimestamp: _configured,
        Dimensions,
        ...rest
      } = a;
      return {
        ...rest,
        name: AlarmName?.slice(prefix.length),
        arnEndsWithName: AlarmArn?.endsWith(`:alarm:${AlarmName}`),
        dimensions: Dimensions?.map((d) => d.Name),
      };
    };
    return {
      pages: pages.map((p) => p.map(strip)),
      byName: byName.MetricAlarms?.map(strip),
      errors,
      left: left.MetricAlarms?.map((a) => a.AlarmName?.slice(prefix.length)),
    };
  }

  it('JSON 1.0, Query and RPC v2 CBOR: same pages, states, errors and deletions', async () => {
    const json = await scenario('json');
    expect(json.pages.map((p) => p.map((a) => a.name))).toEqual([['1', '2'], ['3']]);
    expect(json.byName).toEqual([
      expect.objectContaining({
        name: '2',
        StateValue: 'ALARM',
        StateReason: 'p99 high',
        StateReasonData: '{"v":1}',
        Threshold: 0.5,
        ExtendedStatistic: 'p99',
        Period: 60,
        EvaluationPeriods: 2,
        TreatMissingData: 'notBreaching',
        arnEndsWithName: true,
        dimensions: ['LoadBalancer'],
      }),
    ]);
    expect(json.errors).toEqual([
      'ResourceNotFound 404',
      'InvalidParameterCombinationException 400',
      'InvalidParameterValueException 400',
    ]);
    expect(json.left).toEqual(['2']);
    expect(await scenario('query')).toEqual(json);
    expect(await scenario('cbor')).toEqual(json);
  });
});

describe('Smithy RPC v2 CBOR front end (#11.23)', () => {
  const post = (operation: string, body: Uint8Array, signed = true) =>
    fetch(`${cloud.endpoint}/service/GraniteServiceVersion20100801/operation/${operation}`, {
      method: 'POST',
      headers: {
        'smithy-protocol': 'rpc-v2-cbor',
        'content-type': 'application/cbor',
        accept: 'application/cbor',
        ...(signed ? { authorization: SIGNED } : {}),
      },
      body,
    });

  it('answers with smithy-protocol: rpc-v2-cbor, tag-1 timestamps, and errors with __type and x-amzn-query-error', async () => {
    const ok = await post('DescribeAlarms', encodeCbor({ AlarmNamePrefix: 'none-such' }));
    expect([ok.status, ok.headers.get('smithy-protocol'), ok.headers.get('content-type')]).toEqual([
      200,
      'rpc-v2-cbor',
      'application/cbor',
    ]);
    expect(decodeCbor(new Uint8Array(await ok.arrayBuffer()))).toEqual({ MetricAlarms: [], CompositeAlarms: [] });

    const missing = await post('SetAlarmState', encodeCbor({ AlarmName: 'ghost', StateValue: 'OK', StateReason: 'r' }));
    expect([missing.status, missing.headers.get('x-amzn-query-error')]).toEqual([404, 'ResourceNotFound;Sender']);
    expect(decodeCbor(new Uint8Array(await missing.arrayBuffer()))).toEqual({
      __type: 'com.amazonaws.cloudwatch#ResourceNotFound',
      message: 'Alarm ghost not found',
    });

    const unknown = await post('LaunchRockets', encodeCbor({}));
    expect(decodeCbor(new Uint8Array(await unknown.arrayBuffer()))).toMatchObject({
      __type: 'com.amazonaws.cloudwatch#UnknownOperationException',
    });
    const broken = await post('DescribeAlarms', Uint8Array.of(0xbf, 0x61));
    expect([broken.status, decodeCbor(new Uint8Array(await broken.arrayBuffer()))]).toEqual([
      400,
      expect.objectContaining({ __type: 'com.amazonaws.cloudwatch#SerializationException' }),
    ]);
    const unsigned = await post('DescribeAlarms', encodeCbor({}), false);
    expect(decodeCbor(new Uint8Array(await unsigned.arrayBuffer()))).toMatchObject({
      __type: 'com.amazonaws.cloudwatch#MissingAuthenticationTokenException',
    });
  });
});
