import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { parseQueryParams } from './query-params';

let cloud: LocalCloud;
const signed = (service: string, region = 'us-east-1') =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd`;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0 });
});
afterAll(async () => {
  await cloud?.close();
});

async function postJson(target: string | undefined, body: string, auth: string | null = signed('ecs')) {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target) headers['x-amz-target'] = target;
  if (auth) headers.authorization = auth;
  const res = await fetch(cloud.endpoint, { method: 'POST', headers, body });
  return {
    status: res.status,
    errorType: res.headers.get('x-amzn-errortype'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function postQuery(body: string, auth: string | null = signed('elasticloadbalancing')) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth) headers.authorization = auth;
  const res = await fetch(cloud.endpoint, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

describe('AWS JSON 1.1 front end', () => {
  it('rejects an unsigned request with MissingAuthenticationTokenException', async () => {
    const res = await postJson('AmazonEC2ContainerServiceV20141113.ListClusters', '{}', null);
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe('MissingAuthenticationTokenException');
    expect(res.errorType?.split(':')[0]).toBe('MissingAuthenticationTokenException');
  });

  it('rejects a malformed Authorization header with IncompleteSignatureException', async () => {
    const res = await postJson('AmazonEC2ContainerServiceV20141113.ListClusters', '{}', 'Bearer nope');
    expect(res.body.__type).toBe('IncompleteSignatureException');
  });

  it('answers malformed JSON with SerializationException', async () => {
    const res = await postJson('AmazonEC2ContainerServiceV20141113.ListClusters', '{"cluster": ');
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe('SerializationException');
  });

  it('answers a JSON array body with SerializationException', async () => {
    expect((await postJson('AmazonEC2ContainerServiceV20141113.ListClusters', '[1]')).body.__type).toBe(
      'SerializationException',
    );
  });

  it('answers a member of the wrong type with SerializationException, as Coral does', async () => {
    const res = await postJson('AmazonEC2ContainerServiceV20141113.CreateCluster', '{"clusterName": 42}');
    expect(res.body).toMatchObject({
      __type: 'SerializationException',
      message: 'NUMBER_VALUE can not be converted to a String',
    });
  });

  it('answers a missing or unknown X-Amz-Target with UnknownOperationException', async () => {
    expect((await postJson(undefined, '{}')).body.__type).toBe('UnknownOperationException');
    expect((await postJson('AmazonEC2ContainerServiceV20141113.LaunchRockets', '{}')).body.__type).toBe(
      'UnknownOperationException',
    );
    expect((await postJson('NoSuchService_20200101.ListThings', '{}')).body.__type).toBe('UnknownOperationException');
    expect((await postJson('AmazonEC2ContainerServiceV20141113.toString', '{}')).body.__type).toBe(
      'UnknownOperationException',
    );
  });

  it('serves a signed call and stamps ARNs with the region of the credential scope', async () => {
    const res = await postJson(
      'AmazonEC2ContainerServiceV20141113.CreateCluster',
      '{"clusterName":"scoped"}',
      signed('ecs', 'ap-southeast-2'),
    );
    expect(res.status).toBe(200);
    expect((res.body.cluster as { clusterArn: string }).clusterArn).toBe(
      'arn:aws:ecs:ap-southeast-2:000000000000:cluster/scoped',
    );
  });
});

describe('AWS Query front end', () => {
  it('rejects an unsigned request with 403 MissingAuthenticationToken in an ErrorResponse', async () => {
    const res = await postQuery('Action=DescribeLoadBalancers&Version=2015-12-01', null);
    expect(res.status).toBe(403);
    expect(res.body).toContain(
      '<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>',
    );
    expect(res.body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });

  it('answers an unknown action with InvalidAction', async () => {
    const res = await postQuery('Action=LaunchRockets&Version=2015-12-01');
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>InvalidAction</Code>');
  });

  it('answers a malformed number with ValidationError', async () => {
    const res = await postQuery('Action=CreateTargetGroup&Version=2015-12-01&Name=x&Protocol=HTTP&Port=eighty&VpcId=v');
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>ValidationError</Code>');
    expect(res.body).toContain("Value 'eighty' at 'port' failed to satisfy constraint: Member must be an integer");
  });

  it('wraps results in <ActionResponse><ActionResult> with ResponseMetadata', async () => {
    const res = await postQuery('Action=DescribeLoadBalancers&Version=2015-12-01');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(
      /<DescribeLoadBalancersResponse xmlns="http:\/\/elasticloadbalancing.amazonaws.com\/doc\/2015-12-01\/"><DescribeLoadBalancersResult><LoadBalancers><\/LoadBalancers><\/DescribeLoadBalancersResult><ResponseMetadata><RequestId>/,
    );
  });
});

describe('parseQueryParams', () => {
  it('nests member lists and structures, compacting sparse lists', () => {
    const params = parseQueryParams(
      'Action=ModifyListener&DefaultActions.member.1.Type=forward&DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=a' +
        '&DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight=90&DefaultActions.member.1.ForwardConfig.TargetGroups.member.3.TargetGroupArn=b&Names=',
    );
    expect(params).toEqual({
      Action: 'ModifyListener',
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'a', Weight: '90' }, { TargetGroupArn: 'b' }] },
        },
      ],
      Names: '',
    });
  });
});

describe('control endpoint', () => {
  it('reports listeners and faults to loopback callers', async () => {
    const listeners = (await (await fetch(`${cloud.endpoint}/_local-cloud/listeners`)).json()) as {
      listeners: unknown[];
    };
    expect(listeners.listeners).toEqual([]);
    const added = await fetch(`${cloud.endpoint}/_local-cloud/faults`, {
      method: 'POST',
      body: JSON.stringify({ api: { service: 'ecs', operation: 'ListClusters', kind: 'throttle', count: 1 } }),
    });
    expect(((await added.json()) as { api: unknown[] }).api).toHaveLength(1);
    const throttled = await postJson('AmazonEC2ContainerServiceV20141113.ListClusters', '{}');
    expect(throttled.body).toMatchObject({ __type: 'ThrottlingException', message: 'Rate exceeded' });
    expect((await postJson('AmazonEC2ContainerServiceV20141113.ListClusters', '{}')).status).toBe(200);
    await fetch(`${cloud.endpoint}/_local-cloud/faults`, { method: 'DELETE' });
  });
});
