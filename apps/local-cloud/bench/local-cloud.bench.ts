/**
 * local-cloud benchmark: listener throughput and p99 versus the same task reached directly, API call
 * latency through the SDK versus a bare HTTP round trip, and task start-to-healthy time.
 * Run: npx tsx apps/local-cloud/bench/local-cloud.bench.ts (or `npm run bench -- local-cloud`).
 * Load comes from wrk when it is installed, else autocannon (see ./load.ts; BENCH_LOADGEN picks one).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from '../src/runtime/free-port';
import { cpuSeconds, pickLoadGenerator, type LoadGenerator, type LoadResult } from './load';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const echoDir = fileURLToPath(new URL('../src/__fixtures__/echo-server', import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServer(): Promise<{ endpoint: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of local-cloud there when it stops.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      fileURLToPath(new URL('../src/main.ts', import.meta.url)),
      'up',
      '--port',
      '0',
      '--fast-health-checks',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const m = /http:\/\/\S+/.exec(chunk);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`local-cloud exited with ${code}`)));
  });
  return {
    endpoint,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// Baselines in their own processes, as the listener is in its own: a bare node:http reverse proxy (the
// obvious way, with no routing, health or draining), and a per-connection TCP relay that parses no HTTP
// at all, which bounds what any per-request proxy written in Node can reach on this machine.
const BARE_PROXY = `const http=require('node:http');const agent=new http.Agent({keepAlive:true,maxSockets:256});const [port,target]=process.argv.slice(1).map(Number);
http.createServer((req,res)=>{const up=http.request({host:'127.0.0.1',port:target,method:req.method,path:req.url,headers:req.headers,agent},(r)=>{res.writeHead(r.statusCode,r.headers);r.pipe(res);});req.pipe(up);}).listen(port,'127.0.0.1',()=>console.log('ready'));`;
const TCP_RELAY = `const net=require('node:net');const [port,target]=process.argv.slice(1).map(Number);
net.createServer({noDelay:true},(c)=>{const u=net.connect({port:target,host:'127.0.0.1',noDelay:true});c.pipe(u);u.pipe(c);c.on('error',()=>u.destroy());u.on('error',()=>c.destroy());}).listen(port,'127.0.0.1',()=>console.log('ready'));`;

async function startBaseline(source: string, targetPort: number): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', source, String(port), String(targetPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

/** Runs the load against `url`, with the CPU the given processes spent per request meanwhile. */
async function measure(
  load: LoadGenerator,
  url: string,
  pids: number[],
): Promise<LoadResult & { cpuMicros: (number | undefined)[] }> {
  const before = pids.map(cpuSeconds);
  const result = await load.run(url, DURATION_S, CONNECTIONS);
  const after = pids.map(cpuSeconds);
  const requests = result.rps * DURATION_S;
  const cpuMicros = pids.map((_, i) =>
    before[i] === undefined || after[i] === undefined ? undefined : ((after[i]! - before[i]!) * 1e6) / requests,
  );
  return { ...result, cpuMicros };
}

async function main(): Promise<void> {
  const server = await startServer();
  const ecs = new ECSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
  const elb = new ElasticLoadBalancingV2Client({ endpoint: server.endpoint, region: 'us-east-1', credentials });
  try {
    const image = (await (
      await fetch(`${server.endpoint}/_local-cloud/images`, {
        method: 'POST',
        body: JSON.stringify({ dir: echoDir, name: 'echo', cmd: ['node', 'server.cjs'] }),
      })
    ).json()) as { reference: string };
    await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'echo',
        containerDefinitions: [
          {
            name: 'web',
            image: image.reference,
            portMappings: [{ containerPort: 8080 }],
            environment: [{ name: 'IDENTITY', value: 'bench' }],
          },
        ],
      }),
    );
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'bench', Subnets: ['s'] }))).LoadBalancers![0]!
      .LoadBalancerArn!;
    const tg = (
      await elb.send(
        new CreateTargetGroupCommand({
          Name: 'bench',
          Protocol: 'HTTP',
          Port: 8080,
          VpcId: 'v',
          TargetType: 'ip',
          HealthCheckPath: '/health',
          HealthCheckIntervalSeconds: 1,
          HealthCheckTimeoutSeconds: 1,
          HealthyThresholdCount: 1,
          UnhealthyThresholdCount: 2,
        }),
      )
    ).TargetGroups![0]!.TargetGroupArn!;
    const listenerArn = (
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb,
          Port: 80,
          Protocol: 'HTTP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
        }),
      )
    ).Listeners![0]!.ListenerArn!;
    const listeners = (await (await fetch(`${server.endpoint}/_local-cloud/listeners`)).json()) as {
      listeners: { listenerArn: string; url: string }[];
    };
    const listenerUrl = listeners.listeners.find((l) => l.listenerArn === listenerArn)!.url;

    // Task start-to-healthy: scale 0 → 1 → … → 5, timing each new target from UpdateService to `healthy`.
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'bench',
        serviceName: 'echo',
        taskDefinition: 'echo',
        desiredCount: 0,
        loadBalancers: [{ targetGroupArn: tg, containerName: 'web', containerPort: 8080 }],
      }),
    );
    const startTimes: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const t0 = performance.now();
      await ecs.send(new UpdateServiceCommand({ cluster: 'bench', service: 'echo', desiredCount: n }));
      for (;;) {
        const h = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions!;
        if (h.filter((d) => d.TargetHealth!.State === 'healthy').length === n) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      startTimes.push(performance.now() - t0);
    }
    await ecs.send(new UpdateServiceCommand({ cluster: 'bench', service: 'echo', desiredCount: 1 }));
    for (;;) {
      const arns = (await ecs.send(new ListTasksCommand({ cluster: 'bench', serviceName: 'echo' }))).taskArns!;
      const h = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions!;
      if (arns.length === 1 && h.length === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const arns = (await ecs.send(new ListTasksCommand({ cluster: 'bench', serviceName: 'echo' }))).taskArns!;
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'bench', tasks: arns }))).tasks![0]!;
    const taskPort = task.containers![0]!.networkBindings![0]!.hostPort!;
    const directUrl = `http://127.0.0.1:${taskPort}`;

    // API latency: DescribeServices through the SDK versus a bare GET on the same endpoint.
    const api: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 50; i++) await ecs.send(new DescribeServicesCommand({ cluster: 'bench', services: ['echo'] }));
    for (let i = 0; i < 500; i++) {
      let t = performance.now();
      await ecs.send(new DescribeServicesCommand({ cluster: 'bench', services: ['echo'] }));
      api.push(performance.now() - t);
      t = performance.now();
      await (await fetch(`${server.endpoint}/_local-cloud/health`)).arrayBuffer();
      bare.push(performance.now() - t);
    }
    api.sort((a, b) => a - b);
    bare.sort((a, b) => a - b);

    const load = pickLoadGenerator();
    const taskPid = ((await (await fetch(directUrl)).json()) as { pid: number }).pid;
    await load.run(directUrl, 2, CONNECTIONS); // warm up the task's JIT
    await load.run(listenerUrl, 2, CONNECTIONS); // and the listener's, with its pool of target connections
    const direct = await measure(load, directUrl, [taskPid]);
    const viaListener = await measure(load, listenerUrl, [server.pid, taskPid]);
    const relay = await startBaseline(TCP_RELAY, taskPort);
    const viaRelay = await measure(load, relay.url, []).finally(() => relay.stop());
    const bareProxy = await startBaseline(BARE_PROXY, taskPort);
    const viaBare = await measure(load, bareProxy.url, []).finally(() => bareProxy.stop());

    const f = (n: number) => n.toFixed(1);
    const rps = (n: number) => Math.round(n).toLocaleString('en-US');
    const cpu = (n: number | undefined) => (n === undefined ? 'n/a' : `${n.toFixed(1)} µs`);
    const line = (r: LoadResult) =>
      `${rps(r.rps)} req/s, p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms, errors ${r.errors}, non-2xx ${r.non2xx}`;
    const ratio = (r: LoadResult) => `${(r.rps / direct.rps).toFixed(2)}x direct`;
    console.log(`local-cloud bench (${load.name}, ${DURATION_S} s per run, ${CONNECTIONS} connections, one echo task)`);
    console.log(`  direct to the task      : ${line(direct)}; task CPU ${cpu(direct.cpuMicros[0])}/request`);
    console.log(`  through the listener    : ${line(viaListener)}`);
    console.log(
      `                            listener CPU ${cpu(viaListener.cpuMicros[0])}/request, task CPU ${cpu(viaListener.cpuMicros[1])}/request`,
    );
    console.log(`  listener / direct throughput: ${(viaListener.rps / direct.rps).toFixed(2)}x (goal >= 0.5x)`);
    if (load.name.startsWith('autocannon'))
      console.log(
        `  note: autocannon shares the 2 cores and costs about what the task does per request; the TCP relay below\n` +
          `        shows the ceiling that leaves. Install wrk for a measurement of the listener (docs/local-cloud.md).`,
      );
    console.log(`  baselines in the same run, each in its own process like the listener:`);
    console.log(`    TCP relay, no HTTP parsing (a ceiling) : ${rps(viaRelay.rps)} req/s (${ratio(viaRelay)})`);
    console.log(`    bare node:http reverse proxy           : ${rps(viaBare.rps)} req/s (${ratio(viaBare)})`);
    console.log(
      `  API DescribeServices via SDK: p50 ${f(percentile(api, 50))} ms, p99 ${f(percentile(api, 99))} ms (500 calls)`,
    );
    console.log(
      `  bare GET same endpoint      : p50 ${f(percentile(bare, 50))} ms, p99 ${f(percentile(bare, 99))} ms; SDK/bare p50 ${(percentile(api, 50) / percentile(bare, 50)).toFixed(2)}x`,
    );
    const sortedStart = [...startTimes].sort((a, b) => a - b);
    console.log(
      `  task start-to-healthy (interval 1 s, healthy threshold 1): ${startTimes.map((t) => t.toFixed(0)).join(', ')} ms; median ${f(percentile(sortedStart, 50))} ms`,
    );
  } finally {
    ecs.destroy();
    elb.destroy();
    await server.stop();
  }
}

await main();
