/**
 * Rollback end to end: local-cloud in-process, the real AWS SDK v3 clients, ecs-deploy for the
 * deploys that need rolling back, the filesystem ledger, and a continuous probe through the production
 * listener that must see zero failed requests. Then the CLI commands and the zx runbook, twice.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  bootstrapEnvironment,
  observeDeployState,
  planDeploy,
  renderTaskDefinition,
  runDeploy,
} from '@shipgate/ecs-deploy';
import { createAwsDeployPorts, createAwsInfra } from '@shipgate/ecs-deploy/aws';
import { FsStateStore, newRecordId, openLedger, type Ledger } from '@shipgate/ledger';
import { startLocalCloud, type LocalCloud } from '@shipgate/local-cloud';
import {
  parseDuration,
  makeRelease,
  resolveServiceTarget,
  seededRandom,
  systemClock,
  validateConfigText,
  type Release,
  type ServiceTarget,
  type ShipgateConfig,
} from '@shipgate/model';
import {
  createRollbackPorts,
  gatherRollbackState,
  isAlreadyRestored,
  planRollback,
  rollbackDeadlines,
  runRollback,
  type RollbackPorts,
} from '@shipgate/rollback';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const service = 'sample-service';
const environment = 'production';
const actor = 'oncall@example.com';
// Listener ports: local-cloud binds them on loopback, where the CLI reaches them; picked free at start.
let basePort: number;

let dir: string;
let cloud: LocalCloud;
let config: ShipgateConfig;
let target: ServiceTarget;
let ledger: Ledger;
let taskStartMs: number;
let cli: string;
let clients: {
  ecs: ECSClient;
  codedeploy: CodeDeployClient;
  elbv2: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
};
const releases: Release[] = [];
const template = JSON.stringify({
  family: '{{family}}',
  networkMode: 'awsvpc',
  containerDefinitions: [
    {
      name: 'app',
      image: '{{image}}',
      essential: true,
      portMappings: [{ containerPort: 8080 }],
      environment: [{ name: 'SHIPGATE_RELEASE', value: '{{release}}' }],
    },
  ],
});

// A release that says who it is on every response and drains on SIGTERM, as a real service should.
const server = `
const http = require('node:http');
const release = process.env.SHIPGATE_RELEASE || 'unreleased';
const server = http.createServer((req, res) => {
  res.setHeader('x-release-id', release);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ release, path: req.url }));
});
server.keepAliveTimeout = 2000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening ' + release));
process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeIdleConnections(); setTimeout(() => process.exit(0), 4000).unref(); });
`;

function configText(): string {
  return `version: 1
project: rbtest
services:
  ${service}:
    containerName: app
    containerPort: 8080
    taskDefinition: taskdef.json
    desiredCount: 2
environments:
  ${environment}:
    dataPolicy: real
    services:
      ${service}: { productionListenerPort: ${basePort}, testListenerPort: ${basePort + 1} }
    deploy:
      deploymentConfig: CodeDeployDefault.ECSAllAtOnce
      readinessWait: 10m
      terminationWait: 30m
      deregistrationDelay: 1s
      healthCheck: { interval: 1s, timeout: 1s, healthyThreshold: 2, unhealthyThreshold: 2 }
`;
}

function rollbackPorts(): RollbackPorts {
  return createRollbackPorts(target, {
    deploy: deployPorts(),
    elbv2: clients.elbv2,
    ledger,
    clock: systemClock,
    random: seededRandom(7),
    actor,
    urlFor: ({ listenerArn }) => cloud.listenerUrl(listenerArn)!,
  });
}

const deployPorts = () => createAwsDeployPorts(clients, { listenerAddress: (l) => cloud.listenerUrl(l.arn)! });

/** Deploys a release with ecs-deploy and records it in the ledger as the deploy command would. */
async function deploy(release: Release, wait: 'traffic' | 'complete', recordAs: 'succeeded' | 'in-progress') {
  const ports = deployPorts();
  const definition = renderTaskDefinition(
    template,
    {
      family: target.taskFamily,
      image: release.image,
      digest: release.digest,
      release: release.id,
      service,
      environment,
    },
    { containerName: 'app', containerPort: 8080 },
  );
  const plan = planDeploy(await observeDeployState(target, ports), release, target, definition, {
    wait,
    timeScale: cloud.time.timeScale,
  });
  const startedAt = systemClock.now().toISOString();
  const report = await runDeploy(plan, ports, { clock: systemClock, sleep: (ms) => sleep(ms) });
  expect(report.outcome, JSON.stringify(report.failure)).toBe(wait === 'traffic' ? 'traffic-shifted' : 'succeeded');
  await ledger.deployments.start(
    {
      id: newRecordId('dep', systemClock, seededRandom(releases.indexOf(release) + 100)),
      releaseId: release.id,
      service,
      environment,
      digest: release.digest,
      controller: 'codedeploy',
      controllerDeploymentId: report.deploymentId!,
      taskDefinitionArn: report.taskDefinitionArn!,
      kind: 'deploy',
      startedBy: 'dev@example.com',
      startedAt,
      outcome: recordAs,
      ...(recordAs === 'succeeded' ? { finishedAt: report.finishedAt, durationMs: report.durationMs } : {}),
    },
    'dev@example.com',
  );
  return report;
}

/**
 * Both target groups must be in use by some listener for the load balancer to health-check the
 * replacement task set (a target group no listener uses reports its targets `unused`). Bootstrap
 * points both listeners at blue, so a third listener outside the deployment group keeps green in use.
 */
async function keepBothTargetGroupsInUse() {
  const { CreateListenerCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } =
    await import('@aws-sdk/client-elastic-load-balancing-v2');
  const lb = (await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [target.loadBalancer] })))
    .LoadBalancers![0]!;
  const groups = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: target.targetGroups })))
    .TargetGroups!;
  await clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancerArn,
      Protocol: 'HTTP',
      Port: basePort + 2,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: groups.map((g) => ({ TargetGroupArn: g.TargetGroupArn, Weight: 1 })) },
        },
      ],
    }),
  );
}

/** Waits until the deployment group has nothing in flight (CodeDeploy's own rollback deployment included). */
async function settled(ports: RollbackPorts, deadlineMs = 20_000) {
  const until = performance.now() + deadlineMs;
  while (await ports.deploy.controller.inFlight(target)) {
    if (performance.now() > until) throw new Error('deployment group still busy');
    await sleep(100);
  }
}

/** Requests through the production listener, continuously, counting every failure. */
function startProbe(url: string, concurrency = 4) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const stats = { total: 0, failures: 0, errors: [] as string[], releases: new Map<string, number>() };
  let stopping = false;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = get(`${url}/release`, { agent, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          stats.total++;
          const release = String(res.headers['x-release-id']);
          stats.releases.set(release, (stats.releases.get(release) ?? 0) + 1);
          if (res.statusCode !== 200) {
            stats.failures++;
            stats.errors.push(`status ${res.statusCode}`);
          }
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => {
        stats.total++;
        stats.failures++;
        stats.errors.push(error.message);
        resolve();
      });
    });
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopping) await one();
  });
  return {
    stats,
    async stopAfter(minimum: number) {
      const until = performance.now() + 30_000;
      while (stats.total < minimum && performance.now() < until) await sleep(20);
      stopping = true;
      await Promise.all(loops);
      agent.destroy();
      return stats;
    },
  };
}

/** How long one task takes from spawn to listening: the first term of the health-check floor. */
async function measureTaskStart(imageDir: string): Promise<number> {
  const { spawn } = await import('node:child_process');
  const started = performance.now();
  const child = spawn(process.execPath, ['server.cjs'], {
    cwd: imageDir,
    env: { PORT: '0', SHIPGATE_RELEASE: 'probe' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`the fixture server exited ${code}`)));
  });
  const ms = performance.now() - started;
  child.kill('SIGKILL');
  return ms;
}

/**
 * The CLI bundled fresh from source as apps/cli/build.mjs does (the bin's dist/ may predate this
 * checkout), npm packages left to the repository's node_modules.
 */
async function buildCli(): Promise<string> {
  const { build } = await import('esbuild');
  const { symlink } = await import('node:fs/promises');
  const out = join(dir, 'cli');
  await mkdir(out, { recursive: true });
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const entry = join(out, 'entry.ts');
  await writeFile(
    entry,
    `import { main } from ${JSON.stringify(join(root, 'apps/cli/src/main.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  await build({
    entryPoints: { shipgate: entry },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    define: { SHIPGATE_VERSION: JSON.stringify('0.0.0-test') },
    plugins: [
      {
        name: 'external-npm',
        setup: (b) =>
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@shipgate/') ? undefined : { path: args.path, external: true },
          ),
      },
    ],
  });
  return join(out, 'shipgate.js');
}

/** Runs the built CLI (`--json`) against the in-process local-cloud; the exit code travels with the output. */
async function shipgate(args: string[], options: { state?: string; endpoint?: string } = {}) {
  const argv = [
    cli,
    ...args,
    '--config',
    join(dir, 'shipgate.yaml'),
    '--state',
    options.state ?? join(dir, 'state'),
    '--as',
    actor,
    '--json',
  ];
  const env = { ...process.env, AWS_ENDPOINT_URL: options.endpoint ?? cloud.endpoint };
  const out = await run(process.execPath, argv, { cwd: dir, env, timeout: 30_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  return { ...out, json: JSON.parse(out.stdout) as Record<string, unknown> };
}

/** A port with its two neighbours free right now (the production, test and spare listeners). */
async function freePortRun(): Promise<number> {
  const { createServer } = await import('node:net');
  const taken = (port: number) =>
    new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(true));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + ((process.pid * 31 + attempt * 997) % 20000);
    if (!(await taken(base)) && !(await taken(base + 1)) && !(await taken(base + 2))) return base;
  }
  throw new Error('no three consecutive free ports found');
}

beforeAll(async () => {
  basePort = await freePortRun();
  dir = await mkdtemp(join(tmpdir(), 'shipgate-rollback-'));
  cloud = await startLocalCloud({ port: 0, timeScale: 60, allowFastHealthChecks: true, stateDir: join(dir, 'cloud') });
  const parsed = validateConfigText(configText());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  config = parsed.config;
  await writeFile(join(dir, 'shipgate.yaml'), configText());
  await writeFile(join(dir, 'taskdef.json'), template);
  target = resolveServiceTarget(config, environment, service);
  const options = {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local-cloud', secretAccessKey: 'local-cloud' },
  };
  clients = {
    ecs: new ECSClient(options),
    codedeploy: new CodeDeployClient(options),
    elbv2: new ElasticLoadBalancingV2Client(options),
    cloudwatch: new CloudWatchClient(options),
  };
  ledger = openLedger(new FsStateStore(join(dir, 'state')), { clock: systemClock, random: seededRandom(1) });
  for (const version of ['v1', 'v2', 'v3']) {
    const imageDir = join(dir, 'images', version);
    await mkdir(imageDir, { recursive: true });
    await writeFile(join(imageDir, 'server.cjs'), `// ${version}\n${server}`);
    const image = await cloud.buildImage({
      dir: imageDir,
      name: 'sample-service',
      cmd: [process.execPath, 'server.cjs'],
    });
    releases.push(makeRelease({ service, image: image.reference, createdBy: 'ci', createdAt: systemClock.now() }));
  }
  for (const release of releases) await ledger.releases.create(release, 'ci');
  taskStartMs = await measureTaskStart(join(dir, 'images', 'v1'));
  cli = await buildCli();
  // Bootstrap with v1 running, and record v1 as deployed (the last known good to come back to).
  const [v1] = releases;
  const initial = renderTaskDefinition(
    template,
    { family: target.taskFamily, image: v1!.image, digest: v1!.digest, release: v1!.id, service, environment },
    { containerName: 'app', containerPort: 8080 },
  );
  const ecsPorts = deployPorts();
  const boot = await bootstrapEnvironment(target, createAwsInfra(clients), ecsPorts.taskDefinitions, {
    dryRun: false,
    local: true,
    initialTaskDefinition: initial,
    network: { vpcId: 'vpc-local', subnets: ['subnet-local'], securityGroups: ['sg-local'] },
  });
  expect(boot.complete).toBe(true);
  await keepBothTargetGroupsInUse();
  // The CLI reaches local-cloud's listeners on their configured ports: they must have got them.
  expect(cloud.listeners().map((l) => l.localPort === l.port)).toEqual([true, true, true]);
  const running = await ecsPorts.service.describe(target.cluster, target.ecsService);
  await ledger.deployments.start(
    {
      id: newRecordId('dep', systemClock, seededRandom(99)),
      releaseId: v1!.id,
      service,
      environment,
      digest: v1!.digest,
      controller: 'codedeploy',
      taskDefinitionArn: running!.taskDefinitionArn!,
      kind: 'deploy',
      startedBy: 'bootstrap',
      startedAt: systemClock.now().toISOString(),
      finishedAt: systemClock.now().toISOString(),
      outcome: 'succeeded',
    },
    'bootstrap',
  );
  // Wait until v1 answers through the production listener.
  const traffic = rollbackPorts();
  const until = performance.now() + 20_000;
  for (;;) {
    const answer = await traffic.probe.whoAnswers((await traffic.traffic.listenerUrls()).production);
    if (answer.ok && answer.releaseId === v1!.id) break;
    if (performance.now() > until) throw new Error(`v1 never answered: ${JSON.stringify(answer)}`);
    await sleep(100);
  }
}, 60_000);

afterAll(async () => {
  await cloud?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rollback against local-cloud', () => {
  it('fast path: during the termination wait, restores all production traffic in under 5 s with zero failed requests', async () => {
    const [v1, v2] = releases;
    await deploy(v2!, 'traffic', 'in-progress');
    const ports = rollbackPorts();
    const probe = startProbe((await ports.traffic.listenerUrls()).production);
    await sleep(200);
    const startedAt = systemClock.now();
    const state = await gatherRollbackState(target, ports);
    const planned = planRollback(state, { actor, reason: 'error rate after v2' });
    if (!planned.ok) throw new Error(planned.error.message);
    expect(planned.value.path).toBe('fast');
    const report = await runRollback(planned.value, ports, { clock: systemClock, startedAt, pollMs: 25 });
    const stats = await probe.stopAfter(2000);

    expect(report.outcome, JSON.stringify(report.failure)).toBe('restored');
    expect(report.restoredReleaseId).toBe(v1!.id);
    expect(report.timeToRestoreMs).toBeLessThan(5000);
    expect(stats.total).toBeGreaterThanOrEqual(2000);
    expect(stats.failures, stats.errors.slice(0, 5).join('; ')).toBe(0);
    expect(stats.releases.get(v1!.id)).toBeGreaterThan(0);
    expect(stats.releases.get(v2!.id)).toBeGreaterThan(0);

    const records = await ledger.deployments.list({ service, environment });
    expect(records.find((r) => r.releaseId === v2!.id)!.outcome).toBe('rolled-back');
    const rollback = records.find((r) => r.kind === 'rollback')!;
    expect(rollback).toMatchObject({
      releaseId: v1!.id,
      outcome: 'succeeded',
      timeToRestoreMs: report.timeToRestoreMs,
      reason: 'error rate after v2',
      startedBy: actor,
    });
    const audit = (await ledger.audit.list({ action: 'rollback' })).at(-1)!;
    expect(audit.actor).toBe(actor);
    expect(audit.details).toMatchObject({
      path: 'fast',
      reason: 'error rate after v2',
      reasonGiven: true,
      timeToRestoreMs: report.timeToRestoreMs,
    });
    console.log(
      `fast path: time to restore ${report.timeToRestoreMs} ms; probe ${stats.total} requests, ${stats.failures} failed`,
    );
    await settled(ports);
  }, 60_000);
  it('redeploy path: redeploys the last known good release (skipping the rolled-back one) within the health-check floor + 10 s, zero failed requests', async () => {
    const [v1, v2, v3] = releases;
    const ports = rollbackPorts();
    // v3 ships and completes, but its recorder dies: the ledger never hears that it succeeded.
    const shipped = await deploy(v3!, 'traffic', 'in-progress');
    await ports.deploy.controller.finishNow(shipped.deploymentId!, 'bake');
    await settled(ports);
    const probe = startProbe((await ports.traffic.listenerUrls()).production);
    await sleep(200);
    const startedAt = systemClock.now();
    const planned = planRollback(await gatherRollbackState(target, ports), { actor, reason: 'v3 corrupts carts' });
    if (!planned.ok) throw new Error(planned.error.message);
    expect(planned.value.path).toBe('redeploy');
    // v2 is the previous revision, but it was rolled back: the last known good is v1.
    expect(planned.value.restore.releaseId).toBe(v1!.id);
    expect(planned.value.restore.releaseId).not.toBe(v2!.id);
    const report = await runRollback(planned.value, ports, {
      clock: systemClock,
      startedAt,
      pollMs: 50,
      deadlines: rollbackDeadlines(target),
      target,
      timeScale: cloud.time.timeScale,
      taskStartMs,
    });
    const stats = await probe.stopAfter(2000);

    const health = target.deploy.healthCheck;
    const floorMs = taskStartMs + health.healthyThreshold * parseDuration(health.interval);
    expect(report.outcome, JSON.stringify(report.failure)).toBe('restored');
    expect(report.restoredReleaseId).toBe(v1!.id);
    expect(report.timeToRestoreMs).toBeLessThan(floorMs + 10_000);
    expect(stats.total).toBeGreaterThanOrEqual(2000);
    expect(stats.failures, stats.errors.slice(0, 5).join('; ')).toBe(0);
    const records = await ledger.deployments.list({ service, environment });
    expect(records.find((r) => r.controllerDeploymentId === shipped.deploymentId)!.outcome).toBe('rolled-back');
    expect(records[0]).toMatchObject({
      kind: 'rollback',
      releaseId: v1!.id,
      outcome: 'succeeded',
      controllerDeploymentId: report.controllerDeploymentId,
      timeToRestoreMs: report.timeToRestoreMs,
    });
    console.log(
      `redeploy path: time to restore ${report.timeToRestoreMs} ms (floor ${Math.round(floorMs)} ms); probe ${stats.total} requests, ${stats.failures} failed`,
    );

    // A second run right away finds the rollback itself in its termination wait: nothing to do.
    const again = planRollback(await gatherRollbackState(target, ports), { actor });
    expect(!again.ok && again.error.situation).toBe('rollback-in-progress');
    expect(!again.ok && isAlreadyRestored(again.error)).toBe(true);
  }, 60_000);

  it('CLI: nothing to roll back is exit 1 with a clear message, and is audited', async () => {
    const ports = rollbackPorts();
    const inFlight = await ports.deploy.controller.inFlight(target);
    if (inFlight) await ports.deploy.controller.finishNow(inFlight, 'bake');
    await settled(ports);
    const empty = join(dir, 'empty-state');
    const out = await shipgate(['rollback', environment, '--service', service, '--reason', 'checking'], {
      state: empty,
    });
    expect(out.code).toBe(1);
    expect(out.json).toMatchObject({
      outcome: 'nothing-to-roll-back',
      code: 'NOTHING_TO_ROLL_BACK',
      situation: 'no-history',
      alreadyRestored: false,
    });
    expect(out.json.message).toContain(
      'nothing to roll back: no deployment of sample-service in production is in flight, and there is no last known good release',
    );
    const human = await run(
      process.execPath,
      [
        cli,
        'rollback',
        environment,
        '--service',
        service,
        '--config',
        join(dir, 'shipgate.yaml'),
        '--state',
        empty,
        '--as',
        actor,
      ],
      { cwd: dir, env: { ...process.env, AWS_ENDPOINT_URL: cloud.endpoint } },
    ).catch((e: { code: number; stdout: string }) => e);
    expect('code' in human && human.code).toBe(1);
    expect(human.stdout).toMatch(/^NOTHING_TO_ROLL_BACK: nothing to roll back/);
    const audit = await openLedger(new FsStateStore(empty), { clock: systemClock, random: seededRandom(3) }).audit.list(
      {},
    );
    expect(audit.map((e) => [e.action, e.actor, e.details.reason])).toEqual([
      ['rollback.refused', actor, 'checking'],
      ['rollback.refused', actor, 'not given'],
    ]);
  });

  it('CLI: history lists deployments newest first with outcome, duration and who; status shows the live release', async () => {
    const history = await shipgate(['history', environment, '--service', service, '--limit', '3']);
    const rows = (
      history.json as {
        deployments: { kind: string; outcome: string; startedBy: string; durationMs?: number; reason?: string }[];
        total: number;
      }
    ).deployments;
    expect(history.json.total).toBe(5);
    expect(rows.map((r) => [r.kind, r.outcome])).toEqual([
      ['rollback', 'succeeded'],
      ['deploy', 'rolled-back'],
      ['rollback', 'succeeded'],
    ]);
    expect(rows[0]).toMatchObject({ startedBy: actor, reason: 'v3 corrupts carts' });
    expect(rows[0]!.durationMs).toBeGreaterThan(0);
    const status = await shipgate(['status', environment, '--service', service]);
    const [row] = (
      status.json as {
        services: {
          live: { reachable: boolean; servingReleaseId?: string };
          ledger: { lastKnownGood?: { releaseId: string } };
        }[];
      }
    ).services;
    expect(row!.live).toMatchObject({ reachable: true, servingReleaseId: releases[0]!.id });
    expect(row!.ledger.lastKnownGood?.releaseId).toBe(releases[0]!.id);

    // AWS unreachable: status says so, and still shows what the ledger knows.
    const offline = await shipgate(['status', environment, '--service', service], { endpoint: 'http://127.0.0.1:9' });
    expect(offline.code).toBe(0);
    const [ledgerOnly] = (
      offline.json as {
        services: { live: { reachable: boolean; error?: string }; ledger: { current?: { releaseId: string } } }[];
      }
    ).services;
    expect(ledgerOnly!.live.reachable).toBe(false);
    expect(ledgerOnly!.live.error).toMatch(/could not reach the AWS endpoint/);
    expect(ledgerOnly!.ledger.current?.releaseId).toBe(releases[0]!.id);
  });
  it('runbook: one line rolls back, checks the production listener and shows the audit entry; run twice, the second says so and exits 0', async () => {
    const [v1, v2] = releases;
    await deploy(v2!, 'traffic', 'in-progress');
    const env = { ...process.env, AWS_ENDPOINT_URL: cloud.endpoint, SHIPGATE_CLI: cli };
    const args = [
      join(root, 'tools/rollback.mjs'),
      environment,
      service,
      'v2 again: 5xx; "quoted" $(not a shell)',
      '--config',
      join(dir, 'shipgate.yaml'),
      '--state',
      join(dir, 'state'),
      '--as',
      actor,
    ];
    const runbook = () =>
      run(process.execPath, args, { cwd: dir, env, timeout: 60_000 }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );

    const rollbacksBefore = (await ledger.deployments.list({ service, environment })).filter(
      (d) => d.kind === 'rollback',
    ).length;
    const first = await runbook();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`in flight: `);
    // The status before says what the rollback is about to restore, by rollback's own rule (#11.21).
    expect(first.stdout).toContain(`rollback would restore: ${v1!.id} (stop `);
    expect(first.stdout).toMatch(new RegExp(`fast path: ${v1!.id} restored in \\d+\\.\\d s`));
    expect(first.stdout).toContain(`the production listener answers as ${v1!.id}`);
    expect(first.stdout).toContain(`${actor} rollback: reason "v2 again: 5xx; "quoted" $(not a shell)"`);

    const second = await runbook();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('nothing to do: production already runs the last known good release');
    expect(second.stdout).toMatch(/rollback would restore: nothing \((already-restored|rollback-in-progress)\)/);
    expect(second.stdout).toContain(`the production listener answers as ${v1!.id}`);
    expect(second.stdout).toContain('rollback.refused');
    // One rollback recorded by the two runs: the second redeployed nothing.
    const rollbacks = (await ledger.deployments.list({ service, environment })).filter((d) => d.kind === 'rollback');
    expect(rollbacks).toHaveLength(rollbacksBefore + 1);
  }, 60_000);
});
