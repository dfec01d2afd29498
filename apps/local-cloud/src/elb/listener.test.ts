import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type CreateTargetGroupCommandInput,
  type ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { createFastTargetGroup, sdkClients, waitFor } from '../test-support';

let cloud: LocalCloud;
let elb: ElasticLoadBalancingV2Client;
let lbArn: string;
const servers: Server[] = [];

/** A target: answers `name` on any path, `/health` with `healthStatus()`; `/slow` after `ms`. */
async function target(name: string, healthStatus: () => number | 'hang' = () => 200): Promise<number> {
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      const status = healthStatus();
      if (status === 'hang') return;
      return void res.writeHead(status).end();
    }
    const ms = req.url?.startsWith('/slow') ? 1500 : 0;
    setTimeout(() => res.end(JSON.stringify({ name, xff: req.headers['x-forwarded-for'] })), ms);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function group(name: string, extra: Partial<CreateTargetGroupCommandInput> = {}): Promise<string> {
  return createFastTargetGroup(elb, name, { Port: 80, ...extra });
}

async function health(tgArn: string): Promise<TargetHealthDescription[]> {
  return (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;
}

async function listenerFor(
  port: number,
  forward: { tg: string; weight: number }[],
): Promise<{ arn: string; url: string }> {
  const l = await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Port: port,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: forward.map((f) => ({ TargetGroupArn: f.tg, Weight: f.weight })) },
        },
      ],
    }),
  );
  const arn = l.Listeners![0]!.ListenerArn!;
  return { arn, url: cloud.listenerUrl(arn)! };
}

const allState = (state: string) => async (tg: string) => {
  const h = await health(tg);
  return h.length > 0 && h.every((d) => d.TargetHealth!.State === state) ? h : undefined;
};

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, allowFastHealthChecks: true, listenerPortOffset: 21000, seed: 7 });
  elb = sdkClients(cloud.endpoint).elb;
  lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'traffic', Subnets: ['subnet-a'] }))).LoadBalancers![0]!
    .LoadBalancerArn!;
});
afterAll(async () => {
  elb?.destroy();
  await cloud?.close();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('listener traffic', () => {
  it('splits requests by target-group weight (90/10 over 400 requests) and adds X-Forwarded-For', async () => {
    const blue = await group('w-blue');
    const green = await group('w-green');
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: blue, Targets: [{ Id: '127.0.0.1', Port: await target('blue') }] }),
    );
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: green,
        Targets: [{ Id: '127.0.0.1', Port: await target('green') }],
      }),
    );
    const { arn, url } = await listenerFor(80, [
      { tg: blue, weight: 90 },
      { tg: green, weight: 10 },
    ]);
    await waitFor('blue healthy', () => allState('healthy')(blue));
    await waitFor('green healthy', () => allState('healthy')(green));
    const count = async (n: number) => {
      const seen: Record<string, number> = { blue: 0, green: 0 };
      for (let i = 0; i < n; i++) {
        const body = (await (await fetch(url)).json()) as { name: string; xff: string };
        expect(body.xff).toBe('127.0.0.1');
        seen[body.name]!++;
      }
      return seen;
    };
    const split = await count(400);
    expect(split.blue! + split.green!).toBe(400);
    expect(split.green! / 400).toBeGreaterThan(0.05);
    expect(split.green! / 400).toBeLessThan(0.15);
    await elb.send(
      new ModifyListenerCommand({ ListenerArn: arn, DefaultActions: [{ Type: 'forward', TargetGroupArn: green }] }),
    );
    expect(await count(20)).toEqual({ blue: 0, green: 20 });
  });

  it('answers 503 when the group has no routable target and 502 when the target refuses the connection', async () => {
    const empty = await group('empty');
    const { url } = await listenerFor(81, [{ tg: empty, weight: 1 }]);
    const res = await fetch(url);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('503 Service Temporarily Unavailable');
    // A closed port: health checks fail, the group fails open (all unhealthy → route to all), the connection is refused.
    const closedPort = await target('gone');
    servers.pop()!.close();
    await elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: empty, Targets: [{ Id: '127.0.0.1', Port: closedPort }] }),
    );
    const h = await waitFor('unhealthy', () => allState('unhealthy')(empty));
    expect(h[0]!.TargetHealth).toMatchObject({ State: 'unhealthy', Reason: 'Target.FailedHealthChecks' });
    expect((await fetch(url)).status).toBe(502);
  });
});

describe('request forwarding', () => {
  it('streams request bodies to the target and appends to an existing X-Forwarded-For', async () => {
    const server = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () =>
        res.end(JSON.stringify({ bytes, xff: req.headers['x-forwarded-for'], port: req.headers['x-forwarded-port'] })),
      );
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const tg = await group('stream', { HealthCheckPath: '/' });
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: tg,
        Targets: [{ Id: '127.0.0.1', Port: (server.address() as AddressInfo).port }],
      }),
    );
    const { url } = await listenerFor(85, [{ tg, weight: 1 }]);
    await waitFor('healthy', () => allState('healthy')(tg));
    const body = new Uint8Array(3 * 1024 * 1024).fill(7);
    const res = await fetch(url, { method: 'POST', body, headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(await res.json()).toEqual({ bytes: body.length, xff: '203.0.113.9, 127.0.0.1', port: '85' });
  });
});

describe('health checks', () => {
  it('go initial → healthy → unhealthy (ResponseCodeMismatch) → healthy, and time out hanging targets', async () => {
    let status: number | 'hang' = 200;
    const tg = await group('health');
    const port = await target('h', () => status);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: port }] }));
    await listenerFor(82, [{ tg, weight: 1 }]);
    const first = (await health(tg))[0]!.TargetHealth!;
    expect(first.State).toBe('initial');
    expect(['Elb.RegistrationInProgress', 'Elb.InitialHealthChecking']).toContain(first.Reason);
    await waitFor('healthy', () => allState('healthy')(tg));
    status = 503;
    const unhealthy = await waitFor('unhealthy', () => allState('unhealthy')(tg));
    expect(unhealthy[0]!.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [503]',
    });
    status = 200;
    await waitFor('healthy again', () => allState('healthy')(tg));
    status = 'hang';
    const timedOut = await waitFor('timeout', () => allState('unhealthy')(tg));
    expect(timedOut[0]!.TargetHealth!.Reason).toBe('Target.Timeout');
  });

  it('honours a matcher range (200-299)', async () => {
    const tg = await group('matcher', { Matcher: { HttpCode: '200-299' } });
    await elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: tg,
        Targets: [{ Id: '127.0.0.1', Port: await target('m', () => 204) }],
      }),
    );
    await listenerFor(83, [{ tg, weight: 1 }]);
    await waitFor('healthy with 204', () => allState('healthy')(tg));
  });
});

describe('deregistration delay', () => {
  it('drains a deregistered target: no new requests, the in-flight one finishes, then it leaves', async () => {
    const tg = await group('drain');
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tg,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }],
      }),
    );
    const oldPort = await target('old');
    const newPort = await target('new');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: oldPort }] }));
    const { url } = await listenerFor(84, [{ tg, weight: 1 }]);
    await waitFor('old healthy', () => allState('healthy')(tg));
    const inFlight = fetch(`${url}/slow`).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { name: string },
    }));
    await new Promise((r) => setTimeout(r, 200));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: newPort }] }));
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: oldPort }] }));
    const draining = (await health(tg)).find((d) => d.Target!.Port === oldPort)!;
    expect(draining.TargetHealth).toMatchObject({ State: 'draining', Reason: 'Target.DeregistrationInProgress' });
    await waitFor('new healthy', async () =>
      (await health(tg)).find((d) => d.Target!.Port === newPort)?.TargetHealth?.State === 'healthy' ? true : undefined,
    );
    const during = (await (await fetch(url)).json()) as { name: string };
    expect(during.name).toBe('new');
    expect(await inFlight).toEqual({ status: 200, body: { name: 'old', xff: '127.0.0.1' } });
    // Idle once its last request finished: it leaves well before the 10 s delay.
    const remaining = await waitFor(
      'old removed',
      async () => {
        const h = await health(tg);
        return h.some((d) => d.Target!.Port === oldPort) ? undefined : h;
      },
      3000,
    );
    expect(remaining.map((d) => d.Target!.Port)).toEqual([newPort]);
  });
});
