// StopServiceDeployment(ROLLBACK) after the original revision's clean-up began: ECS starts it again before moving
// traffic back (ROLLBACK_SUCCESSFUL), or, when it cannot start, leaves traffic on the new revision (ROLLBACK_FAILED).
import {
  CreateClusterCommand,
  DescribeServicesCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../local-cloud';
import { ECHO_SERVER_DIR, registerEchoTaskDefinition } from '../test-support';
import {
  blueGreenService,
  createBlueGreenInfra,
  createBlueGreenService,
  identity,
  startBlueGreenCloud,
  waitDeployment,
} from './blue-green-test-support';

let cloud: LocalCloud;
let ecs: ECSClient;
let elb: ElasticLoadBalancingV2Client;
let v2: string;
let port = 80;

beforeAll(async () => {
  let image: string;
  // A revision that never gets healthy fails its scale-up after 15 ECS minutes (15 s here).
  ({ cloud, ecs, elb, image } = await startBlueGreenCloud(26000, { ecsDeployments: { scaleUpTimeoutMinutes: 15 } }));
  v2 = await registerEchoTaskDefinition(ecs, 'rb', 'v2', image);
  await ecs.send(new CreateClusterCommand({ clusterName: 'rb' }));
}, 60_000);
afterAll(async () => {
  ecs?.destroy();
  elb?.destroy();
  await cloud?.close();
});

/** A service on its own image (so that a fault can hit the original revision only), updated to v2 and caught in CLEAN_UP. */
async function caughtInCleanUp(name: string) {
  // 10 s deregistration delay and a slow request in flight on the original revision keep CLEAN_UP draining.
  const infra = await createBlueGreenInfra(elb, `rb${name}`, port++, (arn) => cloud.listenerUrl(arn), 10);
  const image = `echo-${name}`;
  const own = (await cloud.buildImage({ dir: ECHO_SERVER_DIR, name: image, cmd: ['node', 'server.cjs'] })).reference;
  const v1 = await registerEchoTaskDefinition(ecs, `rb-${name}`, 'v1', own);
  await createBlueGreenService(ecs, blueGreenService(infra, 'rb', name, v1, { bakeTimeInMinutes: 0 }));
  const slow = fetch(`${infra.url}/slow?ms=8000`).then((r) => r.json() as Promise<{ identity: string }>);
  const arn = (await ecs.send(new UpdateServiceCommand({ cluster: 'rb', service: name, taskDefinition: v2 }))).service!
    .currentServiceDeployment!;
  const cleaning = await waitDeployment(ecs, arn, (d) => d.lifecycleStage === 'CLEAN_UP');
  expect(cleaning.status).toBe('IN_PROGRESS');
  return { infra, image, arn, slow, source: cleaning.sourceServiceRevisions![0]!.arn! };
}

async function split(url: string, n: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const who = await identity(url);
    out[who] = (out[who] ?? 0) + 1;
  }
  return out;
}

describe('a rollback once the original revision is being cleaned up', () => {
  it('starts the original revision again, then moves traffic back to it (ROLLBACK_SUCCESSFUL)', async () => {
    const { infra, arn, slow, source } = await caughtInCleanUp('late');
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const done = await waitDeployment(ecs, arn, (d) => d.status === 'ROLLBACK_SUCCESSFUL', 45_000);
    expect(done.rollback!.serviceRevisionArn).toBe(source);
    expect(await split(infra.url, 10)).toEqual({ v1: 10 });
    // The request in flight when clean-up began was answered by the original revision, not cut off.
    expect((await slow).identity).toBe('v1');
  }, 60_000);

  it('ends ROLLBACK_FAILED, traffic still on the new revision, when the original revision cannot start again', async () => {
    const { infra, image, arn, source } = await caughtInCleanUp('fail');
    cloud.faults.setTaskFault(image, 'crash-on-start');
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const rolling = await waitDeployment(ecs, arn, () => true);
    expect(rolling.status).toBe('ROLLBACK_IN_PROGRESS');
    const done = await waitDeployment(ecs, arn, (d) => d.status === 'ROLLBACK_FAILED', 45_000);
    expect(done.statusReason).toMatch(/The rollback failed: .*did not become healthy within 15 minutes/);
    expect(done.rollback!.serviceRevisionArn).toBe(source);
    expect(await split(infra.url, 10)).toEqual({ v2: 10 });
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'rb', services: ['fail'] }))).services![0]!;
    expect(service.taskDefinition).toBe(v2);
    expect(service.currentServiceRevisions!.map((r) => r.arn)).toEqual([done.targetServiceRevision!.arn]);
  }, 90_000);
});
