import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SmokeAnswer, SmokePort } from '../ports';
import { awsCall, type AwsCallContext } from './aws-errors';

/** Where a listener answers: on AWS the load balancer's DNS name; on local-cloud a loopback port. */
export type ListenerAddressResolver = (listener: {
  arn: string;
  port: number;
  dnsName: string;
  protocol: string;
}) => string | Promise<string>;

/**
 * The base URL of a load-balancer listener: `https://` when the listener's protocol is HTTPS, else
 * `http://`. Every probe of a listener (deploy's verification, rollback, status, qa, stress) builds its
 * URL here, so that an HTTPS listener is asked over TLS by all of them.
 */
export function listenerBaseUrl(listener: { protocol?: string; dnsName: string; port: number }): string {
  return `${listener.protocol === 'HTTPS' ? 'https' : 'http'}://${listener.dnsName}:${listener.port}`;
}

/** AWS: `http(s)://<DNSName>:<port>`. */
export const awsListenerAddress: ListenerAddressResolver = (l) => listenerBaseUrl(l);

/**
 * One GET over HTTP or HTTPS (by the URL's scheme) on a fresh connection, so that the load balancer
 * routes this very request anew. Never throws: a refused connection or a timeout is status 0 with the
 * error as its body.
 */
export function httpGet(url: string, timeoutMs: number, userAgent = 'shipgate'): Promise<SmokeAnswer> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    const req = send(
      url,
      {
        method: 'GET',
        agent: false,
        timeout: timeoutMs,
        headers: { 'user-agent': userAgent, connection: 'close' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 64_000),
          });
        });
        res.on('error', (e) => resolve({ status: 0, headers: {}, body: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: e.message }));
    req.end();
  });
}

/** local-cloud run as a separate process: its listeners bind their own port on loopback. */
export const loopbackListenerAddress: ListenerAddressResolver = (l) => `http://127.0.0.1:${l.port}`;

/** Smoke requests over plain HTTP(S), with fresh connections so each request is routed anew. */
export class HttpSmoke implements SmokePort {
  constructor(
    private readonly elbv2: ElasticLoadBalancingV2Client,
    private readonly resolve: ListenerAddressResolver = awsListenerAddress,
    private readonly context: AwsCallContext = {},
  ) {}

  async listenerUrl(loadBalancer: string, port: number): Promise<string> {
    const lbs = await awsCall('ELBv2 DescribeLoadBalancers', this.context, () =>
      this.elbv2.send(new DescribeLoadBalancersCommand({ Names: [loadBalancer] })),
    );
    const lb = lbs.LoadBalancers?.[0];
    const listeners = await awsCall('ELBv2 DescribeListeners', this.context, () =>
      this.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn })),
    );
    const listener = listeners.Listeners?.find((l) => l.Port === port);
    if (!lb || !listener) throw new Error(`no listener on port ${port} of ${loadBalancer}`);
    return this.resolve({
      arn: listener.ListenerArn ?? '',
      port,
      dnsName: lb.DNSName ?? '',
      protocol: listener.Protocol ?? 'HTTP',
    });
  }

  get(url: string, timeoutMs: number): Promise<SmokeAnswer> {
    return httpGet(url, timeoutMs, 'shipgate-verify');
  }
}
