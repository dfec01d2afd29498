import { fileURLToPath } from 'node:url';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  type CreateListenerCommandOutput,
  type CreateTargetGroupCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { expect } from 'vitest';

/** Any credentials do: local-cloud only insists that requests are signed. */
export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The fixture image's directory (an HTTP server answering /health and echoing IDENTITY). */
export const ECHO_SERVER_DIR = fileURLToPath(new URL('./__fixtures__/echo-server', import.meta.url));

/** Real SDK clients pointed at a local-cloud endpoint (no retries unless asked, so errors surface as they are). */
export function sdkClients(
  endpoint: string,
  region = 'us-east-1',
  maxAttempts = 1,
): { ecs: ECSClient; elb: ElasticLoadBalancingV2Client } {
  const config = { endpoint, region, credentials: testCredentials, maxAttempts };
  return { ecs: new ECSClient(config), elb: new ElasticLoadBalancingV2Client(config) };
}

/** Polls until `probe` returns a value other than undefined; throws with `what` after the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Whether a process id is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates an HTTP target group of IP targets that health-checks `/health` every second (1 s timeout,
 * 2 checks to turn healthy or unhealthy; `overrides` changes any of it). Returns its ARN.
 */
export async function createFastTargetGroup(
  elb: ElasticLoadBalancingV2Client,
  name: string,
  overrides: Partial<CreateTargetGroupCommandInput> = {},
  deregistrationDelaySeconds?: number,
): Promise<string> {
  const created = await elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: 'vpc-1',
      TargetType: 'ip',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 1,
      HealthCheckTimeoutSeconds: 1,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      ...overrides,
    }),
  );
  const arn = created.TargetGroups![0]!.TargetGroupArn!;
  if (deregistrationDelaySeconds !== undefined)
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(deregistrationDelaySeconds) }],
      }),
    );
  return arn;
}

/** Registers a task definition of one `web` container running `image` (the echo fixture) as `identity`; returns its ARN. */
export async function registerEchoTaskDefinition(
  ecs: ECSClient,
  family: string,
  identity: string,
  image: string,
): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        {
          name: 'web',
          image,
          portMappings: [{ containerPort: 8080 }],
          environment: [{ name: 'IDENTITY', value: identity }],
          stopTimeout: 5,
        },
      ],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

/** CreateListener on `port` of a load balancer, forwarding everything to one target group. */
export function createForwardingListener(
  elb: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
  port: number,
  targetGroupArn: string,
): Promise<CreateListenerCommandOutput> {
  return elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Port: port,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
}

/**
 * Asserts that a timestamp local-cloud reported is wall-clock time, as a client comparing it with its own clock
 * needs: not before `since` (a real time taken before the call), not after now (#11 item 25).
 */
export function expectWallClock(what: string, date: Date | undefined, since: number): void {
  expect(date, what).toBeInstanceOf(Date);
  expect(date!.getTime(), `${what} ${date?.toISOString()}`).toBeGreaterThanOrEqual(since - 1000);
  expect(date!.getTime(), `${what} ${date?.toISOString()}`).toBeLessThanOrEqual(Date.now() + 1000);
}
