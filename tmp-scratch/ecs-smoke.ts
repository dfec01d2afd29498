import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { bootstrapEnvironment, renderTaskDefinition } from '@shipgate/ecs-deploy';
import { createAwsInfra, EcsTaskDefinitions } from '@shipgate/ecs-deploy/aws';
import { EcsNativeBlueGreen } from '../libs/ecs-deploy/src/adapters/ecs-native-blue-green';
import { startLocalCloud } from '@shipgate/local-cloud';
import { makeRelease, resolveServiceTarget, systemClock, validateConfigText } from '@shipgate/model';

const port = 24000 + (process.pid % 500) * 2;
const yaml = `version: 1
project: ecssmoke
services:
  svc: { containerName: app, containerPort: 8080, taskDefinition: taskdef.json, desiredCount: 2 }
environments:
  production:
    dataPolicy: real
    services:
      svc: { productionListenerPort: ${port}, testListenerPort: ${port + 1} }
    deploy:
      deploymentConfig: CodeDeployDefault.ECSAllAtOnce
      terminationWait: 30m
      deregistrationDelay: 1s
      healthCheck: { interval: 1s, timeout: 1s, healthyThreshold: 2, unhealthyThreshold: 2 }
`;
const server = `const http = require('node:http');
const release = process.env.SHIPGATE_RELEASE;
const s = http.createServer((req, res) => { res.setHeader('x-release-id', release); res.end(JSON.stringify({ release })); });
s.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => { s.close(() => process.exit(0)); s.closeIdleConnections(); setTimeout(() => process.exit(0), 3000).unref(); });`;
const parsed = validateConfigText(yaml);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const base = resolveServiceTarget(parsed.config, 'production', 'svc');
const target = { ...base, deploy: { ...base.deploy, controller: 'ecs' } } as typeof base;
const dir = await mkdtemp(join(tmpdir(), 'ecs-smoke-'));
const cloud = await startLocalCloud({ port: 0, timeScale: 60, allowFastHealthChecks: true });
const o = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
const clients = { ecs: new ECSClient(o), codedeploy: new CodeDeployClient(o), elbv2: new ElasticLoadBalancingV2Client(o), cloudwatch: new CloudWatchClient(o) };
try {
  const rels = [];
  for (const v of ['v1', 'v2']) {
    const d = join(dir, v); await mkdir(d, { recursive: true }); await writeFile(join(d, 'server.cjs'), `// ${v}\n${server}`);
    const image = await cloud.buildImage({ dir: d, name: 'svc', cmd: [process.execPath, 'server.cjs'] });
    rels.push(makeRelease({ service: 'svc', image: image.reference, createdBy: 'x', createdAt: new Date() }));
  }
  const template = JSON.stringify({ family: '{{family}}', containerDefinitions: [{ name: 'app', image: '{{image}}', portMappings: [{ containerPort: 8080 }], environment: [{ name: 'SHIPGATE_RELEASE', value: '{{release}}' }] }] });
  const render = (r: any) => renderTaskDefinition(template, { family: target.taskFamily, image: r.image, digest: r.digest, release: r.id, service: 'svc', environment: 'production' }, { containerName: 'app', containerPort: 8080 });
  const tds = new EcsTaskDefinitions(clients.ecs);
  const infra = createAwsInfra(clients);
  const dry = await bootstrapEnvironment(target, infra, tds, { dryRun: true, local: true, initialTaskDefinition: render(rels[0]), network: { vpcId: 'vpc-1' } });
  console.log('DRY', dry.steps.map((s) => `${s.resource} ${s.action} ${s.name}`).join('\n'));
  const boot = await bootstrapEnvironment(target, infra, tds, { dryRun: false, local: true, initialTaskDefinition: render(rels[0]), network: { vpcId: 'vpc-1' } });
  console.log('BOOT', boot.complete, boot.steps.map((s) => `${s.resource} ${s.action} ${s.name} ${s.note ?? ''}`).join('\n'));
  const again = await bootstrapEnvironment(target, infra, tds, { dryRun: false, local: true, initialTaskDefinition: render(rels[0]), network: { vpcId: 'vpc-1' } });
  console.log('AGAIN', again.steps.filter((s) => s.action !== 'unchanged').map((s) => `${s.resource} ${s.action} ${s.changes} ${s.note ?? ''}`));
  const url = (cloud.listeners().find((l: any) => l.port === port) as any).url;
  const who = async () => (await fetch(url + '/release').then((r) => r.headers.get('x-release-id')).catch((e) => 'ERR ' + e.message));
  for (let i = 0; i < 100 && (await who()) !== rels[0].id; i++) await sleep(200);
  console.log('serving', await who(), rels[0].id);
  const bg = new EcsNativeBlueGreen(clients, target);
  for (let i = 0; i < 200 && (await bg.inFlight()); i++) await sleep(100);
  const td = await tds.register(render(rels[1]));
  const id = await bg.start({ application: '', deploymentGroup: '', taskDefinitionArn: td.arn, appSpec: '', description: 'x' });
  console.log('started', id);
  let last = '';
  for (let i = 0; i < 300; i++) {
    const s = await bg.status(id);
    const line = `${s.status} ${s.lifecycleEvents.find((e) => e.status === 'InProgress')?.name} ${s.taskSets.map((t) => `${t.label}:${t.trafficWeight}:${t.targetGroup}`).join(',')} tw=${s.terminationWaitStarted}`;
    if (line !== last) console.log(line, await who());
    last = line;
    if (s.status === 'Ready') await bg.continue(id, 'ready');
    if (s.status === 'Baking' && s.terminationWaitStarted) { console.log('in flight:', await bg.inFlight()); await bg.continue(id, 'termination'); }
    if (['Succeeded', 'Failed', 'Stopped'].includes(s.status)) break;
    await sleep(100);
  }
  console.log('final serving', await who(), rels[1].id, 'in flight:', await bg.inFlight());
} finally { await cloud.close(); }
