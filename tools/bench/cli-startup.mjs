#!/usr/bin/env node
// How fast does `shipgate --version` answer? Compared in the same run with a bare `node -e 0` (the
// floor) and with a process that imports the AWS SDK clients (what the CLI would cost if it loaded
// its dependencies eagerly).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runs = Number(process.env.RUNS ?? 15);

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)] };
}

const { buildCli } = await import('../../apps/cli/build.mjs');
await buildCli({ quiet: true });
const floor = time(['-e', '0']);
const version = time(['apps/cli/bin/shipgate.mjs', '--version']);
const help = time(['apps/cli/bin/shipgate.mjs', '--help']);
const eager = time([
  '--input-type=module',
  '-e',
  "await Promise.all(['@aws-sdk/client-ecs','@aws-sdk/client-codedeploy','@aws-sdk/client-elastic-load-balancing-v2','@aws-sdk/client-cloudwatch'].map((m) => import(m)))",
]);
// `shipgate infra synth` alone loads the CDK; this is what every command would pay if it were eager.
const cdk = time(['--input-type=module', '-e', "await Promise.all(['aws-cdk-lib','cdk-nag'].map((m) => import(m)))"]);

const row = (name, t) =>
  `${name.padEnd(34)} median ${t.median.toFixed(0).padStart(5)} ms   p90 ${t.p90.toFixed(0).padStart(5)} ms   ${(t.median / floor.median).toFixed(2)}× node -e 0`;
console.log(`CLI start-up, ${runs} runs each (${process.version}, ${process.platform})`);
console.log(row('node -e 0 (floor)', floor));
console.log(row('shipgate --version', version));
console.log(row('shipgate --help', help));
console.log(row('import the 4 AWS SDK clients', eager));
console.log(row('import aws-cdk-lib and cdk-nag', cdk));
console.log(
  `shipgate --version: ${version.median < 500 ? 'under' : 'OVER'} the 500 ms goal; lazy loading saves ${(eager.median - version.median).toFixed(0)} ms against eager SDK imports, ${(cdk.median - floor.median).toFixed(0)} ms more against an eager CDK`,
);
