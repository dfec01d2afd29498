/**
 * Time to restore on both rollback paths, for each deployment controller, against local-cloud, next to the
 * floor local-cloud allows for that controller's mechanism, measured in the same run:
 *  - fast path vs. one traffic change of the controller's kind (CodeDeploy: ModifyListener; ECS-native:
 *    ModifyRule), confirmed by probes;
 *  - redeploy path vs. the health-check floor (task start + healthy threshold × interval) plus that change.
 *   npx tsx libs/rollback/bench/rollback.bench.ts        (npm run bench -- rollback)
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
// A benchmark wires the library to the local cloud, as tools do; the library itself never imports it.
import { startLocalCloud } from '@shipgate/local-cloud';
import { formatDuration } from '@shipgate/model';
import { measureController, type ControllerFigures } from './rollback-scenario';

const port = 23000 + ((process.pid * 7) % 3000) * 2;
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
  const probeDir = join(dir, 'probe');
  await mkdir(probeDir, { recursive: true });
  await writeFile(
    join(probeDir, 'server.cjs'),
    "require('node:http').createServer((q, s) => s.end()).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));",
  );
  const taskStartMs = await measureTaskStart(probeDir);
  const figures: ControllerFigures[] = [];
  // One after the other on the same cloud: each has its own project, listeners and services.
  for (const [i, controller] of (['codedeploy', 'ecs'] as const).entries())
    figures.push(await measureController({ controller, cloud, clients, dir, port: port + i * 4, taskStartMs }));

  const cell = (ms: number) => formatDuration(ms).padStart(8);
  console.log(
    `rollback time to restore on local-cloud (timeScale 60, health checks every 1s, healthy after 2; task start ${formatDuration(taskStartMs)})`,
  );
  console.log(
    `${'controller'.padEnd(11)}${'path'.padEnd(10)}${'restore'.padStart(8)}   ${'floor (same run)'.padEnd(58)}${'floor'.padStart(8)}   ratio`,
  );
  for (const f of figures) {
    const change =
      f.controller === 'ecs' ? 'one listener-rule change (ModifyRule)' : 'one listener change (ModifyListener)';
    console.log(
      `${f.controller.padEnd(11)}${'fast'.padEnd(10)}${cell(f.fastMs)}   ${`${change}, confirmed by probes`.padEnd(58)}${cell(f.trafficChangeMs)}   ${(f.fastMs / f.trafficChangeMs).toFixed(2)}×`,
    );
    console.log(
      `${f.controller.padEnd(11)}${'redeploy'.padEnd(10)}${cell(f.redeployMs)}   ${'task start + 2 × 1s + that change'.padEnd(58)}${cell(f.healthFloorMs)}   ${(f.redeployMs / f.healthFloorMs).toFixed(2)}×`,
    );
  }
  for (const c of Object.values(clients)) c.destroy();
} finally {
  await cloud.close();
  await rm(dir, { recursive: true, force: true });
}

/** Spawn to listening of one task's process: the first term of the health-check floor. */
async function measureTaskStart(imageDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['server.cjs'], {
    cwd: imageDir,
    env: { PORT: '0' },
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
