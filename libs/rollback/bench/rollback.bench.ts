/**
 * Time to restore on both rollback paths, against local-cloud, next to the floor local-cloud allows:
 *  - fast path vs. one listener change (ModifyListener, then probes confirm the other release answers);
 *  - redeploy path vs. the health-check floor (task start + healthy threshold × interval) plus one
 *    listener change.
 *   npx tsx libs/rollback/bench/rollback.bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  bootstrapEnvironment,
  observeDeployState,
  planDeploy,
  renderTaskDefinition,
  runDeploy,
} from '@shipgate/ecs-deploy';
import { createAwsDeployPorts, createAwsInfra } from '@shipgate/ecs-deploy/aws';
import { FsStateStore, newRecordId, openLedger } from '@shipgate/ledger';
// A benchmark wires the library to the local cloud, as tools do; the library itself never imports it.
import { startLocalCloud } from '@shipgate/local-cloud';
import {
  formatDuration,
  makeRelease,
  parseDuration,
  resolveServiceTarget,
  seededRandom,
  systemClock,
  validateConfigText,
  type Release,
} from '@shipgate/model';
import { createRollbackPorts, gatherRollbackState, planRollback, rollbackDeadlines, runRollback } from '../src/index';

const service = 'sample-service';
const environment = 'production';
const port = 23000 + ((process.pid * 7) % 3000) * 2;
const yaml = `version: 1
project: rbbench
services:
  ${service}: { containerName: app, containerPort: 8080, taskDefinition: taskdef.json, desiredCount: 2 }
environments:
  ${environment}:
    dataPolicy: real
    services:
      ${service}: { productionListenerPort: ${port}, testListenerPort: ${port + 1} }
    deploy:
      deploymentConfig: CodeDeployDefault.ECSAllAtOnce
      terminationWait: 30m
      deregistrationDelay: 1s
      healthCheck: { interval: 1s, timeout: 1s, healthyThreshold: 2, unhealthyThreshold: 2 }
`;
const template = JSON.stringify({
  family: '{{family}}',
  containerDefinitions: [
    {
      name: 'app',
      image: '{{image}}',
      portMappings: [{ containerPort: 8080 }],
      environment: [{ name: 'SHIPGATE_RELEASE', value: '{{release}}' }],
    },
  ],
});
const server = `const http = require('node:http');
const release = process.env.SHIPGATE_RELEASE;
const s = http.createServer((req, res) => { res.setHeader('x-release-id', release); res.end(JSON.stringify({ release })); });
s.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => { s.close(() => process.exit(0)); s.closeIdleConnections(); setTimeout(() => process.exit(0), 3000).unref(); });`;

const parsed = validateConfigText(yaml);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const target = resolveServiceTarget(parsed.config, environment, service);
const dir = await mkdtemp(join(tmpdir(), 'rollback-bench-'));
const cloud = await startLocalCloud({ port: 0, timeScale: 60, allowFastHealthChecks: true });
try {
  const options = {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  };
  const clients = {
    ecs: new ECSClient(options),
    codedeploy: new CodeDeployClient(options),
    elbv2: new ElasticLoadBalancingV2Client(options),
    cloudwatch: new CloudWatchClient(options),
  };
  const ledger = openLedger(new FsStateStore(join(dir, 'state')), { clock: systemClock, random: seededRandom(1) });
  const deployPorts = createAwsDeployPorts(clients, { listenerAddress: (l) => cloud.listenerUrl(l.arn)! });
  const ports = createRollbackPorts(target, {
    deploy: deployPorts,
    elbv2: clients.elbv2,
    ledger,
    clock: systemClock,
    random: seededRandom(2),
    actor: 'bench',
    urlFor: ({ listenerArn }) => cloud.listenerUrl(listenerArn)!,
  });
  const releases: Release[] = [];
  for (const version of ['v1', 'v2', 'v3']) {
    const imageDir = join(dir, version);
    await mkdir(imageDir, { recursive: true });
    await writeFile(join(imageDir, 'server.cjs'), `// ${version}\n${server}`);
    const image = await cloud.buildImage({ dir: imageDir, name: service, cmd: [process.execPath, 'server.cjs'] });
    releases.push(makeRelease({ service, image: image.reference, createdBy: 'bench', createdAt: systemClock.now() }));
  }
  const [v1, v2, v3] = releases as [Release, Release, Release];
  const render = (r: Release) =>
    renderTaskDefinition(
      template,
      { family: target.taskFamily, image: r.image, digest: r.digest, release: r.id, service, environment },
      { containerName: 'app', containerPort: 8080 },
    );
  const record = (
    r: Release,
    fields: { controllerDeploymentId?: string; taskDefinitionArn?: string; outcome: 'succeeded' | 'in-progress' },
  ) =>
    ledger.deployments.start(
      {
        id: newRecordId('dep', systemClock, seededRandom(releases.indexOf(r) + 10)),
        releaseId: r.id,
        service,
        environment,
        digest: r.digest,
        controller: 'codedeploy',
        kind: 'deploy',
        startedBy: 'bench',
        startedAt: systemClock.now().toISOString(),
        ...fields,
      },
      'bench',
    );
  const deploy = async (r: Release) => {
    const plan = planDeploy(await observeDeployState(target, deployPorts), r, target, render(r), {
      wait: 'traffic',
      timeScale: 60,
    });
    const report = await runDeploy(plan, deployPorts, { clock: systemClock, sleep: (ms) => sleep(ms) });
    if (report.outcome !== 'traffic-shifted') throw new Error(`deploy of ${r.id}: ${report.outcome}`);
    await record(r, {
      controllerDeploymentId: report.deploymentId!,
      taskDefinitionArn: report.taskDefinitionArn!,
      outcome: 'in-progress',
    });
    return report.deploymentId!;
  };
  const settle = async () => {
    while (await ports.deploy.controller.inFlight(target)) await sleep(100);
  };

  // Bootstrap with v1; a third listener keeps both target groups in use so that both are health-checked.
  const network = { vpcId: 'vpc-bench', subnets: ['subnet-bench'], securityGroups: ['sg-bench'] };
  await bootstrapEnvironment(target, createAwsInfra(clients), deployPorts.taskDefinitions, {
    dryRun: false,
    local: true,
    initialTaskDefinition: render(v1),
    network,
  });
  const lb = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [target.loadBalancer] })))
    .LoadBalancers![0]!;
  const groups = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: target.targetGroups })))
    .TargetGroups!;
  const spare = (
    await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: port + 2,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: { TargetGroups: groups.map((g) => ({ TargetGroupArn: g.TargetGroupArn, Weight: 1 })) },
          },
        ],
      }),
    )
  ).Listeners![0]!;
  await record(v1, {
    taskDefinitionArn: (await deployPorts.service.describe(target.cluster, target.ecsService))!.taskDefinitionArn!,
    outcome: 'succeeded',
  });
  const taskStartMs = await measureTaskStart(join(dir, 'v1'));

  // Fast path: v2 in its termination wait, rolled back.
  const d2 = await deploy(v2);
  const arnOf = (label: 'Blue' | 'Green', sets: { label: string; targetGroup?: string }[]) =>
    groups.find((g) => g.TargetGroupName === sets.find((t) => t.label === label)?.targetGroup)!.TargetGroupArn!;
  const sets = (await ports.deploy.controller.status(d2)).sides;
  // The floor: one listener change on the spare listener (all to v1's target group), until three probes in a row answer v1.
  const listenerChangeMs = await timeListenerChange(
    spare.ListenerArn!,
    arnOf('Green', sets),
    arnOf('Blue', sets),
    v1.id,
  );
  let started = systemClock.now();
  const fastPlan = planRollback(await gatherRollbackState(target, ports), { actor: 'bench', reason: 'bench' });
  if (!fastPlan.ok || fastPlan.value.path !== 'fast') throw new Error('expected the fast path');
  const fast = await runRollback(fastPlan.value, ports, { clock: systemClock, startedAt: started, pollMs: 25 });
  await settle();

  // Redeploy path: v3 shipped and completed, its recorder died; the last known good (v1) is redeployed.
  const d3 = await deploy(v3);
  await ports.deploy.controller.finishNow(d3, 'bake');
  await settle();
  started = systemClock.now();
  const redeployPlan = planRollback(await gatherRollbackState(target, ports), { actor: 'bench', reason: 'bench' });
  if (!redeployPlan.ok || redeployPlan.value.path !== 'redeploy') throw new Error('expected the redeploy path');
  const redeploy = await runRollback(redeployPlan.value, ports, {
    clock: systemClock,
    startedAt: started,
    pollMs: 25,
    deadlines: rollbackDeadlines(target),
    target,
    timeScale: 60,
    taskStartMs,
  });

  const health = target.deploy.healthCheck;
  const healthFloorMs = taskStartMs + health.healthyThreshold * parseDuration(health.interval) + listenerChangeMs;
  const row = (name: string, ms: number | undefined, floorName: string, floor: number) =>
    `${name.padEnd(15)} time to restore ${formatDuration(ms ?? NaN).padStart(8)}   ${floorName.padEnd(52)} ${formatDuration(floor).padStart(8)}   ratio ${((ms ?? NaN) / floor).toFixed(2)}×`;
  console.log(
    `rollback time to restore on local-cloud (timeScale 60, health checks every ${health.interval}, healthy after ${health.healthyThreshold})`,
  );
  console.log(
    row('fast path', fast.timeToRestoreMs, 'floor: one listener change, confirmed by probes', listenerChangeMs),
  );
  console.log(
    row(
      'redeploy path',
      redeploy.timeToRestoreMs,
      `floor: task start ${formatDuration(taskStartMs)} + ${health.healthyThreshold} × ${health.interval} + listener change`,
      healthFloorMs,
    ),
  );
  if (fast.outcome !== 'restored' || redeploy.outcome !== 'restored')
    throw new Error(`a rollback failed: ${JSON.stringify([fast.failure, redeploy.failure])}`);

  /** ModifyListener to all-`to`, then probes through that listener until three in a row answer `release`. */
  async function timeListenerChange(listenerArn: string, from: string, to: string, release: string): Promise<number> {
    const url = cloud.listenerUrl(listenerArn)!;
    const t0 = performance.now();
    await clients.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listenerArn,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: to, Weight: 1 },
                { TargetGroupArn: from, Weight: 0 },
              ],
            },
          },
        ],
      }),
    );
    for (let streak = 0; streak < 3;) {
      if (performance.now() - t0 > 30_000) throw new Error(`${url} never answered as ${release}`);
      const answer = await ports.probe.whoAnswers(url);
      streak = answer.releaseId === release ? streak + 1 : 0;
      if (streak < 3 && answer.releaseId !== release) await sleep(25);
    }
    return performance.now() - t0;
  }
} finally {
  await cloud.close();
  await rm(dir, { recursive: true, force: true });
}

/** Spawn to listening of one task's process: the first term of the health-check floor. */
async function measureTaskStart(imageDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['server.cjs'], {
    cwd: imageDir,
    env: { PORT: '0', SHIPGATE_RELEASE: 'probe' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  const ms = performance.now() - t0;
  child.kill('SIGKILL');
  return ms;
}
