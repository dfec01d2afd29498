/**
 * One controller's rollback measurement on a running local-cloud: bootstrap with v1, v2 in its termination
 * wait rolled back by the fast path, v3 shipped and finished then rolled back by the redeploy path; beside
 * each, the floor local-cloud allows for that mechanism, measured in the same run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateRuleCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type ElasticLoadBalancingV2Client,
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
import type { LocalCloud } from '@shipgate/local-cloud';
import {
  makeRelease,
  parseDuration,
  resolveServiceTarget,
  seededRandom,
  systemClock,
  validateConfigText,
  type Release,
} from '@shipgate/model';
import { createRollbackPorts, gatherRollbackState, planRollback, rollbackDeadlines, runRollback } from '../src/index';

/** The figures of one controller. */
export interface ControllerFigures {
  controller: 'codedeploy' | 'ecs';
  fastMs: number;
  /** One traffic change of the kind this controller makes (listener for CodeDeploy, listener rule for ECS), confirmed by probes. */
  trafficChangeMs: number;
  redeployMs: number;
  /** Task start + healthy threshold × interval + one traffic change. */
  healthFloorMs: number;
}

const environment = 'production';
const server = `const http = require('node:http');
const release = process.env.SHIPGATE_RELEASE;
const s = http.createServer((req, res) => { res.setHeader('x-release-id', release); res.end(JSON.stringify({ release })); });
s.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => { s.close(() => process.exit(0)); s.closeIdleConnections(); setTimeout(() => process.exit(0), 3000).unref(); });`;
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

/** What a scenario runs on. */
export interface ScenarioInput {
  controller: 'codedeploy' | 'ecs';
  cloud: LocalCloud;
  clients: {
    ecs: ECSClient;
    codedeploy: CodeDeployClient;
    elbv2: ElasticLoadBalancingV2Client;
    cloudwatch: CloudWatchClient;
  };
  dir: string;
  port: number;
  taskStartMs: number;
}

/** Runs both rollback paths for one controller and measures their floors. */
export async function measureController(input: ScenarioInput): Promise<ControllerFigures> {
  const { controller, cloud, clients, port } = input;
  const dir = join(input.dir, controller);
  // Target group names carry environment and service, not the project: one service name per controller.
  const service = `svc-${controller}`;
  const yaml = `version: 1
project: rb${controller === 'ecs' ? 'ecs' : 'cd'}
services:
  ${service}: { containerName: app, containerPort: 8080, taskDefinition: taskdef.json, desiredCount: 2 }
environments:
  ${environment}:
    dataPolicy: real
    services:
      ${service}: { productionListenerPort: ${port}, testListenerPort: ${port + 1} }
    deploy:
      controller: ${controller}
      ${controller === 'ecs' ? 'bakeTime: 24h' : 'terminationWait: 30m'}
      deregistrationDelay: 1s
      healthCheck: { interval: 1s, timeout: 1s, healthyThreshold: 2, unhealthyThreshold: 2 }
`;
  const parsed = validateConfigText(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const target = resolveServiceTarget(parsed.config, environment, service);
  const ledger = openLedger(new FsStateStore(join(dir, 'state')), { clock: systemClock, random: seededRandom(1) });
  const deployPorts = createAwsDeployPorts(clients, {
    listenerAddress: (l) => cloud.listenerUrl(l.arn)!,
    controller,
  });
  const control = deployPorts.controller;
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
    await writeFile(join(imageDir, 'server.cjs'), `// ${controller} ${version}\n${server}`);
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
        controller,
        kind: 'deploy',
        startedBy: 'bench',
        startedAt: systemClock.now().toISOString(),
        ...fields,
      },
      'bench',
    );
  const settle = async () => {
    while (await control.inFlight(target)) await sleep(100);
  };
  const deploy = async (r: Release) => {
    const plan = planDeploy(await observeDeployState(target, deployPorts), r, target, render(r), {
      wait: 'traffic',
      timeScale: 60,
    });
    const report = await runDeploy(plan, deployPorts, { clock: systemClock, sleep: (ms) => sleep(ms) });
    if (report.outcome !== 'traffic-shifted')
      throw new Error(
        `${controller} deploy of ${r.id}: ${report.outcome} ${JSON.stringify(report.failure)} ${JSON.stringify(report.verification)}`,
      );
    await record(r, {
      controllerDeploymentId: report.deploymentId!,
      taskDefinitionArn: report.taskDefinitionArn!,
      outcome: 'in-progress',
    });
    return report.deploymentId!;
  };

  // Bootstrap with v1 (the ECS controller's first deployment must end before the next starts).
  await bootstrapEnvironment(target, createAwsInfra(clients), deployPorts.taskDefinitions, {
    dryRun: false,
    local: true,
    initialTaskDefinition: render(v1),
    network: { vpcId: 'vpc-bench', subnets: ['subnet-bench'], securityGroups: ['sg-bench'] },
  });
  await settle();
  const floor = await spareTraffic(input, target.loadBalancer, target.targetGroups, port + 2, controller);
  await record(v1, {
    taskDefinitionArn: (await deployPorts.service.describe(target.cluster, target.ecsService))!.taskDefinitionArn!,
    outcome: 'succeeded',
  });

  // Fast path: v2 in its termination wait, rolled back.
  const d2 = await deploy(v2);
  const sets = (await control.status(d2)).sides;
  const groupOf = (label: 'Blue' | 'Green') => sets.find((t) => t.label === label)!.targetGroup!;
  const trafficChangeMs = await floor.time(groupOf('Green'), groupOf('Blue'), v1.id, ports.probe.whoAnswers);
  let started = systemClock.now();
  const fastPlan = planRollback(await gatherRollbackState(target, ports), { actor: 'bench', reason: 'bench' });
  if (!fastPlan.ok || fastPlan.value.path !== 'fast') throw new Error(`${controller}: expected the fast path`);
  const fast = await runRollback(fastPlan.value, ports, { clock: systemClock, startedAt: started, pollMs: 25 });
  await settle();

  // Redeploy path: v3 shipped and completed, its recorder died; the last known good (v1) is redeployed.
  const d3 = await deploy(v3);
  await control.finishNow(d3, 'bake');
  await settle();
  started = systemClock.now();
  const redeployPlan = planRollback(await gatherRollbackState(target, ports), { actor: 'bench', reason: 'bench' });
  if (!redeployPlan.ok || redeployPlan.value.path !== 'redeploy')
    throw new Error(`${controller}: expected the redeploy path`);
  const redeploy = await runRollback(redeployPlan.value, ports, {
    clock: systemClock,
    startedAt: started,
    pollMs: 25,
    deadlines: rollbackDeadlines(target),
    target,
    timeScale: 60,
    taskStartMs: input.taskStartMs,
  });
  if (fast.outcome !== 'restored' || redeploy.outcome !== 'restored')
    throw new Error(`${controller}: a rollback failed: ${JSON.stringify([fast.failure, redeploy.failure])}`);
  const health = target.deploy.healthCheck;
  return {
    controller,
    fastMs: fast.timeToRestoreMs!,
    trafficChangeMs,
    redeployMs: redeploy.timeToRestoreMs!,
    healthFloorMs: input.taskStartMs + health.healthyThreshold * parseDuration(health.interval) + trafficChangeMs,
  };
}

/**
 * A spare listener forwarding to both target groups (it also keeps both health-checked): the floor of one
 * traffic change of the controller's own kind. CodeDeploy moves a listener's default action (ModifyListener);
 * ECS-native moves a listener rule's weights (ModifyRule).
 */
async function spareTraffic(
  input: ScenarioInput,
  loadBalancer: string,
  names: [string, string],
  port: number,
  controller: 'codedeploy' | 'ecs',
) {
  const { elbv2 } = input.clients;
  const lb = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: [loadBalancer] }))).LoadBalancers![0]!;
  const groups = (await elbv2.send(new DescribeTargetGroupsCommand({ Names: names }))).TargetGroups!;
  const arnOf = (name: string) => groups.find((g) => g.TargetGroupName === name)!.TargetGroupArn!;
  const both = { TargetGroups: groups.map((g) => ({ TargetGroupArn: g.TargetGroupArn, Weight: 1 })) };
  const listener = (
    await elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: port,
        DefaultActions: [{ Type: 'forward', ForwardConfig: both }],
      }),
    )
  ).Listeners![0]!;
  const rule =
    controller === 'ecs'
      ? (
          await elbv2.send(
            new CreateRuleCommand({
              ListenerArn: listener.ListenerArn,
              Priority: 1,
              Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
              Actions: [{ Type: 'forward', ForwardConfig: both }],
            }),
          )
        ).Rules![0]!
      : undefined;
  const url = input.cloud.listenerUrl(listener.ListenerArn!)!;
  return {
    /** Moves all spare traffic from `from` to `to`, then probes until three answers in a row name `release`. */
    async time(from: string, to: string, release: string, whoAnswers: (u: string) => Promise<{ releaseId?: string }>) {
      const forward = {
        Type: 'forward' as const,
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: arnOf(to), Weight: 1 },
            { TargetGroupArn: arnOf(from), Weight: 0 },
          ],
        },
      };
      const t0 = performance.now();
      if (rule) await elbv2.send(new ModifyRuleCommand({ RuleArn: rule.RuleArn, Actions: [forward] }));
      else
        await elbv2.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, DefaultActions: [forward] }));
      for (let streak = 0; streak < 3;) {
        if (performance.now() - t0 > 30_000) throw new Error(`${url} never answered as ${release}`);
        const answer = await whoAnswers(url);
        streak = answer.releaseId === release ? streak + 1 : 0;
        if (streak < 3 && answer.releaseId !== release) await sleep(25);
      }
      return performance.now() - t0;
    },
  };
}
