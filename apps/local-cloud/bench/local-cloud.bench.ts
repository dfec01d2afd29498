/**
 * local-cloud benchmark: listener throughput and p99 versus the same task reached directly, API call
 * latency through the SDK versus a bare HTTP round trip, and task start-to-healthy time.
 * Run: npx tsx apps/local-cloud/bench/local-cloud.bench.ts
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
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const echoDir = fileURLToPath(new URL('../src/__fixtures__/echo-server', import.meta.url));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServer(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
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
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// The naive way, for scale: a bare node:http reverse proxy (no routing, health or draining) in its own process.
const BARE_PROXY = `const http=require('node:http');const agent=new http.Agent({keepAlive:true,maxSockets:256});const [port,target]=process.argv.slice(1).map(Number);
http.createServer((req,res)=>{const up=http.request({host:'127.0.0.1',port:target,method:req.method,path:req.url,headers:req.headers,agent},(r)=>{res.writeHead(r.statusCode,r.headers);r.pipe(res);});req.pipe(up);}).listen(port,'127.0.0.1',()=>console.log('ready'));`;

async function startBareProxy(targetPort: number): Promise<{ url: string; stop: () => void }> {
  const port = 30000 + (targetPort % 20000);
  const child = spawn(process.execPath, ['-e', BARE_PROXY, String(port), String(targetPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function cannon(url: string): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, pipelining: 1 });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
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

    await cannon(directUrl); // warm up both paths' keep-alive pools and JITs
    const direct = await cannon(directUrl);
    const viaListener = await cannon(listenerUrl);
    const bareProxy = await startBareProxy(taskPort);
    const viaBare = await cannon(bareProxy.url).finally(() => bareProxy.stop());

    const f = (n: number) => n.toFixed(1);
    console.log(`local-cloud bench (${DURATION_S}s per run, ${CONNECTIONS} connections, one echo task)`);
    console.log(
      `  direct to task    : ${f(direct.rps)} req/s, p50 ${direct.p50} ms, p99 ${direct.p99} ms, errors ${direct.errors}, non-2xx ${direct.non2xx}`,
    );
    console.log(
      `  through listener  : ${f(viaListener.rps)} req/s, p50 ${viaListener.p50} ms, p99 ${viaListener.p99} ms, errors ${viaListener.errors}, non-2xx ${viaListener.non2xx}`,
    );
    console.log(
      `  bare node:http proxy: ${f(viaBare.rps)} req/s, p50 ${viaBare.p50} ms, p99 ${viaBare.p99} ms (${(viaBare.rps / direct.rps).toFixed(2)}x direct)`,
    );
    console.log(`  listener / direct throughput: ${(viaListener.rps / direct.rps).toFixed(2)}x (goal >= 0.5x)`);
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
