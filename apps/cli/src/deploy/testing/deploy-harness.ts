import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { openLedger, FsStateStore, type Ledger } from '@shipgate/ledger';
import { startLocalCloud, type LocalCloud } from '@shipgate/local-cloud';
import { makeRelease, seededRandom, systemClock, type Release } from '@shipgate/model';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));

/** The sample service's task-definition template, as shipped. */
export const sampleTemplate = join(repo, 'apps/sample-service/taskdef.json');

/** Options of the test environment. */
export interface HarnessOptions {
  /** First listener port; each environment takes two from here. */
  basePort: number;
  timeScale?: number;
  /** Extra keys of the test and production deploy settings. */
  deploy?: Record<string, unknown>;
}

/** local-cloud in-process, the sample service's three images as releases in a fresh ledger, a config file. */
export interface DeployHarness {
  cloud: LocalCloud;
  dir: string;
  configFile: string;
  stateDir: string;
  ledger: Ledger;
  releases: { v1: Release; v2: Release; v3: Release; other: Release };
  env: NodeJS.ProcessEnv;
  clients: {
    ecs: ECSClient;
    codedeploy: CodeDeployClient;
    elbv2: ElasticLoadBalancingV2Client;
    cloudwatch: CloudWatchClient;
  };
  close(): Promise<void>;
}

/** Builds the harness. Bundles the sample service with its own build script (a child process: apps do not import apps). */
export async function startDeployHarness(options: HarnessOptions): Promise<DeployHarness> {
  const timeScale = options.timeScale ?? 60;
  const dir = await mkdtemp(join(tmpdir(), 'shipgate-deploy-'));
  const cloud = await startLocalCloud({
    port: 0,
    timeScale,
    allowFastHealthChecks: true,
    stateDir: join(dir, 'cloud'),
  });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(repo, 'apps/sample-service/build-image.ts'), '--out', join(dir, 'bundles')],
    { cwd: repo },
  );
  const bundles = JSON.parse(stdout) as { version: string; dir: string; cmd: string[] }[];
  const images = await Promise.all(
    bundles.map((b) => cloud.buildImage({ dir: b.dir, name: 'sample-service', cmd: b.cmd })),
  );
  const stateDir = join(dir, 'state');
  const ledger = openLedger(new FsStateStore(stateDir), { clock: systemClock, random: seededRandom(7) });
  // Signed as `release create` signs under the local-rehearsal profile (the rehearsal key of this
  // state directory stands in for the build identity), so that approvals for them count.
  const trust = await import('@shipgate/trust');
  const buildKey = await trust.generateRehearsalKey(stateDir);
  const make = async (service: string, image: string, gitSha: string) =>
    (
      await ledger.releases.create(
        await trust.signRecord(
          makeRelease({ service, image, gitSha, createdBy: 'ci', createdAt: new Date() }),
          trust.releaseCodec,
          [buildKey],
        ),
        'ci',
      )
    ).release;
  const releases = {
    v1: await make('sample-service', images[0]!.reference, 'aaaaaaa'),
    v2: await make('sample-service', images[1]!.reference, 'bbbbbbb'),
    v3: await make('sample-service', images[2]!.reference, 'ccccccc'),
    other: await make('other-service', images[0]!.reference, 'ddddddd'),
  };
  await writeFile(join(dir, 'taskdef.json'), await (await import('node:fs/promises')).readFile(sampleTemplate, 'utf8'));
  const p = options.basePort;
  const deploy = {
    readinessWait: '10m',
    terminationWait: '1m',
    deregistrationDelay: '1s',
    verifyRequests: 10,
    healthCheck: { interval: '1s', timeout: '1s', healthyThreshold: 2, unhealthyThreshold: 2 },
    ...options.deploy,
  };
  const config = {
    version: 1,
    project: 'sg',
    localCloud: { timeScale, port: 4566 },
    services: {
      'sample-service': { containerName: 'app', containerPort: 8080, taskDefinition: 'taskdef.json', desiredCount: 2 },
      'other-service': { containerName: 'app', containerPort: 8080, taskDefinition: 'taskdef.json', desiredCount: 1 },
    },
    environments: {
      test: {
        dataPolicy: 'synthetic',
        services: {
          'sample-service': { productionListenerPort: p, testListenerPort: p + 1 },
          'other-service': { productionListenerPort: p + 2, testListenerPort: p + 3 },
        },
        deploy: { deploymentConfig: 'CodeDeployDefault.ECSAllAtOnce', ...deploy },
      },
      production: {
        dataPolicy: 'real',
        services: { 'sample-service': { productionListenerPort: p + 4, testListenerPort: p + 5 } },
        deploy: {
          deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
          alarms: ['sg-production-5xx'],
          ...deploy,
        },
      },
    },
  };
  const configFile = join(dir, 'shipgate.yaml');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const sdk = {
    endpoint: cloud.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const clients = {
    ecs: new ECSClient(sdk),
    codedeploy: new CodeDeployClient(sdk),
    elbv2: new ElasticLoadBalancingV2Client(sdk),
    cloudwatch: new CloudWatchClient(sdk),
  };
  return {
    cloud,
    dir,
    configFile,
    stateDir,
    ledger,
    releases,
    env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: cloud.endpoint, AWS_REGION: 'us-east-1' },
    clients,
    async close() {
      for (const c of Object.values(clients)) c.destroy();
      await cloud.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
