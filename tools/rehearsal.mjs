#!/usr/bin/env node
// The rehearsal (`npm start`): the whole pipeline of the example shipgate.yaml, on the embedded
// default, through the real `shipgate` command. It starts local-cloud, builds the sample service into
// images (v1, v2 and a deliberately broken v3), bootstraps test, staging and production, takes v2
// through test and staging (deploy, seed, QA, stress, approval, gate) into production blue/green under
// a continuous probe, shows v3 failing before any traffic reaches it, and rolls production back with
// one command. It exits non-zero if any probe request failed or any stage did not do what it should.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $, chalk } from 'zx';
import { startCloud } from './rehearsal/cloud.mjs';
import { controllersOf, rehearseRollbacks } from './rehearsal/controllers.mjs';
import { dataFor, dataVerified, startDataSteps } from './rehearsal/data.mjs';
import { rehearseParity } from './rehearsal/parity.mjs';
import { startProbe, summariseProbe, waitUntilServing } from './rehearsal/probe.mjs';
import { failing, printDecision, report } from './rehearsal/report.mjs';
import { checkAudit, showTruncationDetected } from './rehearsal/audit-tamper.mjs';
import { writeRehearsalReport } from './rehearsal/report-html.mjs';
import { forgeQaEvidence, makeRehearsalPeople } from './rehearsal/trust.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, '.shipgate', 'rehearsal');
const state = join(work, 'state');
const cli = join(root, 'apps/cli/bin/shipgate.mjs');
const config = join(root, 'shipgate.yaml');
const service = 'sample-service';
const startedAt = Date.now();
const problems = [];
const deployments = [];
let cloud;
let controllers = {};
const probes = {};

$.verbose = false;
$.quiet = true;
$.cwd = root;

const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s`;
const say = (text) => console.log(`${chalk.dim(`[${elapsed()}]`)} ${text}`);
const stage = (title) => console.log(`\n${chalk.bold.cyan('▶ ' + title)}`);

/** Runs `shipgate … --json` as a user would; returns its exit code and parsed JSON. */
async function shipgate(args, { as = 'ci-bot', env = {}, expect = [0], state: stateDir = state } = {}) {
  const full = [
    '--config',
    config,
    '--state',
    stateDir,
    '--policy-profile',
    'local-rehearsal',
    '--as',
    as,
    '--json',
    ...args,
  ];
  const result = await $({
    env: { ...process.env, AWS_ENDPOINT_URL: cloud.endpoint, ...env },
    nothrow: true,
  })`node ${cli} ${full}`;
  let json;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = undefined;
  }
  const code = result.exitCode;
  if (!expect.includes(code)) {
    const message = json?.error
      ? `${json.error.code}: ${json.error.message}${json.error.hint ? `\n    hint: ${json.error.hint}` : ''}`
      : json?.decision?.outcome === 'block' || json?.gate
        ? `gate blocked: ${failing(json.decision ? json : { decision: json.gate?.report ?? json.gate })}`
        : json
          ? JSON.stringify(json).slice(0, 800)
          : result.stderr.trim().split('\n').slice(-8).join('\n    ');
    throw new Error(`shipgate ${args.join(' ')} exited ${code} (expected ${expect.join(' or ')})\n    ${message}`);
  }
  return { code, json, stderr: result.stderr };
}

function check(condition, text) {
  if (condition) say(`${chalk.green('✔')} ${text}`);
  else {
    say(`${chalk.red('✘')} ${text}`);
    problems.push(text);
  }
}

async function deploy(environment, release, name, { expect = [0], promote = false, wait, ifBusy } = {}) {
  const args = promote
    ? ['promote', environment, '--service', service]
    : ['deploy', environment, '--service', service, '--release', release];
  if (wait) args.push('--wait', wait);
  if (ifBusy) args.push('--if-busy', ifBusy);
  const t0 = Date.now();
  const { code, json } = await shipgate(args, { expect });
  const outcome = json?.outcome ?? json?.deployment?.outcome ?? (code === 0 ? 'succeeded' : 'failed');
  const entry = {
    environment,
    release: name,
    command: args.slice(0, 2).join(' '),
    outcome,
    exitCode: code,
    seconds: (Date.now() - t0) / 1000,
    json,
  };
  deployments.push(entry);
  say(`${args.slice(0, 2).join(' ')} ${name}: ${outcome} in ${entry.seconds.toFixed(1)} s (exit ${code})`);
  return entry;
}

async function main() {
  const { buildCli } = await import('../apps/cli/build.mjs');
  await buildCli({ quiet: true });
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  // The release managers' SSH keys, listed where the local-rehearsal profile's allowedSigners points.
  const keys = await makeRehearsalPeople(work);
  const { parse } = await import('yaml');
  const { readFile } = await import('node:fs/promises');
  const timeScale = parse(await readFile(config, 'utf8')).localCloud?.timeScale ?? 60;
  controllers = await controllersOf(config);

  stage('Check the configuration');
  const validate = await $({ nothrow: true })`node ${cli} --config ${config} config validate`;
  say(validate.stdout.trim());
  if (validate.exitCode !== 0) throw new Error(validate.stderr);

  stage(`Start local-cloud (time scale ${timeScale}: one controller minute lasts ${(60 / timeScale).toFixed(1)} s)`);
  cloud = await startCloud({ cli, work, timeScale });
  say(`local-cloud at ${cloud.endpoint}`);

  stage('Build the sample service into images');
  const bundles = JSON.parse(
    (await $`npx tsx apps/sample-service/build-image.ts --out ${join(work, 'bundles')}`).stdout,
  );
  const images = {};
  for (const b of bundles) {
    const image =
      await $`node ${cli} --json local-cloud image --state-dir ${join(work, 'cloud')} --name ${service} --dir ${b.dir} -- ${b.cmd}`;
    images[b.version] = JSON.parse(image.stdout).reference;
    say(`${b.version.padEnd(9)} ${images[b.version]}`);
  }

  stage('Create releases (images pinned by digest)');
  const releases = {};
  const names = {};
  for (const [version, sha] of [
    ['v1', '1111111'],
    ['v2', '2222222'],
    ['v3-broken', '3333333'],
  ]) {
    const { json } = await shipgate([
      'release',
      'create',
      '--service',
      service,
      '--image',
      images[version],
      '--git-sha',
      sha,
      '--author',
      'dev-dana',
    ]);
    releases[version] = json.release.id;
    names[json.release.id] = version;
    // Signed by the build identity (here the rehearsal key): the gate reads the authors only from that signature.
    if (!json.signed) throw new Error(`release ${json.release.id} was recorded unsigned`);
    say(`${version.padEnd(9)} → ${json.release.id} (signed; authors ${json.release.authors?.join(', ') ?? 'none'})`);
  }

  stage('Bootstrap test, staging and production (each starts with v1)');
  for (const environment of ['test', 'staging', 'production']) {
    await shipgate(['bootstrap', environment, '--service', service, '--release', releases.v1], {
      as: 'platform-admin',
    });
    say(`bootstrapped ${environment}`);
  }
  // The synthetic environments' data does not depend on the release: both data steps start now, in the
  // background, and each environment's QA waits for its own (tools/rehearsal/data.mjs).
  const data = startDataSteps(['test', 'staging'], { service, shipgate, say, check });
  say('seeding test and staging in the background (seed 42), each then scanned whole by data verify');
  const urls = await listenerUrls(await readFile(config, 'utf8'));
  // The environments serve once bootstrap's first tasks pass their health checks.
  await Promise.all([urls.production, urls.staging, urls.test].map((url) => waitUntilServing(url)));
  say('test, staging and production serve v1');
  probes.production = startProbe(urls.production);
  probes.staging = startProbe(urls.staging);
  probes.test = startProbe(urls.test);
  say(
    `probing production (${controllers.production}) through ${urls.production}, staging (${controllers.staging}) through ${urls.staging} and test through ${urls.test}`,
  );

  stage("v2 through test: deploy; then, with test's synthetic data in, QA");
  await deploy('test', releases.v2, 'v2');
  await dataFor(data, 'test', say);
  await qa('test');

  stage(`v2 into staging (${controllers.staging}): gate and deploy; then, with staging's data in, QA, stress`);
  await deploy('staging', releases.v2, 'v2', { promote: true });
  await dataFor(data, 'staging', say);
  await qa('staging');
  const stress = await shipgate(
    [
      'stress',
      'staging',
      '--service',
      service,
      '--tool',
      process.env.K6_BINARY || (await hasK6()) ? 'k6' : 'autocannon',
      '--duration',
      '60',
      '--connections',
      '20',
    ],
    { expect: [0, 1] },
  );
  say(`stress: ${stress.json?.evidence?.origin?.tool ?? '?'} recorded ${stress.json?.evidence?.id}`);

  stage('Production: the gate first (no approval yet), then an approval by a release manager');
  await dataVerified(data, say);
  const blocked = await shipgate(['gate', 'production', '--service', service, '--release', releases.v2], {
    expect: [0, 1],
  });
  check(blocked.code === 1, `gate blocks v2 before any approval (${failing(blocked.json)})`);
  const self = await shipgate(
    ['approve', 'production', '--service', service, '--release', releases.v2, '--key', keys['dev-dana']],
    { as: 'dev-dana', expect: [2] },
  );
  check(
    self.json?.error?.code === 'APPROVAL_REFUSED',
    `the author's own approval is refused (${self.json?.error?.code})`,
  );
  await shipgate(
    [
      'approve',
      'production',
      '--service',
      service,
      '--release',
      releases.v2,
      '--comment',
      'QA and stress evidence reviewed',
      '--key',
      keys.carol,
    ],
    { as: 'carol' },
  );
  say('carol (release manager) approved v2 for production, signed with her SSH key');
  const release = (await shipgate(['release', 'show', releases.v2])).json?.release;
  const forged = await forgeQaEvidence(state, release);
  say(`someone with write access to the state directory adds a hand-written QA evidence file (${forged})`);
  let passed = await shipgate(['gate', 'production', '--service', service, '--release', releases.v2], {
    expect: [0, 1],
  });
  const notPassing = (passed.json?.decision?.requirements ?? []).filter((r) => r.status !== 'pass').map((r) => r.id);
  if (passed.code === 1 && notPassing.length === 1 && notPassing[0] === 'freeze') {
    // The rehearsal is running inside the example's freeze window: alice, whom the policy allows,
    // records an emergency override with a reason, as an on-call release manager would.
    say('inside a freeze window: alice records an emergency override (allowed by emergencyOverride.allowedBy)');
    passed = await shipgate(
      [
        'gate',
        'production',
        '--service',
        service,
        '--release',
        releases.v2,
        '--emergency-override',
        'rehearsal run inside the example freeze window',
        '--key',
        keys.alice,
      ],
      { as: 'alice', expect: [0, 1] },
    );
  }
  printDecision(passed.json?.decision, say);
  const qaLine = (passed.json?.decision?.requirements ?? []).find((r) => r.id === 'qa.evidence')?.reason ?? '';
  check(
    qaLine.includes(`${forged} refused (unsigned)`),
    `the forged evidence file is refused: ${qaLine.slice(qaLine.indexOf(forged), qaLine.indexOf(forged) + 150)}…`,
  );
  check(
    /^[0-9a-f]{64}$/.test(passed.json?.decision?.policyDigest ?? ''),
    `the decision names its policy ${String(passed.json?.decision?.policyDigest).slice(0, 12)}… and profile ${passed.json?.decision?.profile}`,
  );
  check(passed.code === 0, 'gate passes v2 for production on signed evidence and a signed approval');

  stage('Parity of staging and production before promoting (shipgate diff, declared and live)');
  await rehearseParity({ shipgate, say, check, service });

  stage(`Promote v2 to production: blue/green (${controllers.production}) under the probe`);
  const before = probes.production.count;
  const prod = await deploy('production', releases.v2, 'v2', { promote: true });
  check(
    prod.exitCode === 0,
    `v2 deployed blue/green to production (${probes.production.count - before} probe requests during the deploy)`,
  );

  stage('v3 (broken: never healthy) into test: must fail before traffic reaches it');
  const broken = await deploy('test', releases['v3-broken'], 'v3-broken', { expect: [1] });
  check(broken.exitCode === 1, 'v3 deploy failed and was rolled back');
  const reason = broken.json?.failure ?? broken.json?.deployment?.failure ?? broken.json?.explanation;
  if (typeof reason === 'string') say(`why: ${reason.split('\n')[0]}`);
  else if (reason)
    for (const line of [reason.summary, ...(reason.lines ?? []).slice(0, 4)].filter(Boolean)) say(`why: ${line}`);

  const rollbacks = await rehearseRollbacks({
    shipgate,
    deploy,
    stage,
    say,
    check,
    deployments,
    service,
    names,
    releases,
    controllers,
    productionUrl: urls.production,
    onCallKey: keys.erin,
  });
  const ttr = rollbacks.fast?.timeToRestoreMs;

  await new Promise((r) => setTimeout(r, 2000));
  const probeStartedAt = probes.production.startedAt;
  const productionSamples = await probes.production.stop();
  const production = summariseProbe(productionSamples, { names });
  const lastSecond = productionSamples.filter((x) => x.at >= productionSamples.at(-1).at - 1000);
  const test = summariseProbe(await probes.test.stop(), { names });
  const staging = summariseProbe(await probes.staging.stop(), { names });
  delete probes.production;
  delete probes.test;
  delete probes.staging;

  stage('Audit');
  await checkAudit({ shipgate, check, planted: [`evidence/${release.id}/${forged}.json`] });
  await showTruncationDetected({ state, work, shipgate, check, say });

  report({ production, staging, test, ttr, deployments, stage });
  check(production.failed === 0, `production probe: ${production.failed} of ${production.sent} requests failed`);
  check(test.failed === 0, `test probe: ${test.failed} of ${test.sent} requests failed`);
  check(
    staging.failed === 0,
    `staging probe (${controllers.staging}): ${staging.failed} of ${staging.sent} requests failed`,
  );
  check(
    !production.byRelease['v3-broken'] && !test.byRelease['v3-broken'],
    `the broken v3 served ${(production.byRelease['v3-broken'] ?? 0) + (test.byRelease['v3-broken'] ?? 0)} requests`,
  );
  check(
    lastSecond.length > 0 && lastSecond.every((x) => names[x.release] === 'v1'),
    `production serves v1 at the end (${lastSecond.length} requests in the last second, all v1)`,
  );
  await writeFile(
    join(work, 'report.json'),
    JSON.stringify(
      {
        production,
        staging,
        test,
        controllers,
        deployments: deployments.map(({ json: _json, ...d }) => d),
        timeToRestoreMs: ttr,
        problems,
      },
      null,
      2,
    ),
  );
  say(`report written to ${join(work, 'report.json')}`);
  const history = (await shipgate(['history', 'production', '--service', service, '--limit', '20'])).json;
  await writeRehearsalReport({ work, config, state, samples: productionSamples, probeStartedAt, names, history, say });
}

/** Where each environment's production listener really answers (local-cloud may remap a taken port). */
async function listenerUrls(configText) {
  const { parse } = await import('yaml');
  const environments = parse(configText).environments;
  const { listeners } = await (await fetch(`${cloud.endpoint}/_local-cloud/listeners`)).json();
  const urls = {};
  for (const [name, env] of Object.entries(environments)) {
    const port = env.services?.[service]?.productionListenerPort;
    const listener = listeners.find((l) => l.port === port);
    if (!listener) throw new Error(`no listener on port ${port} for ${name} after bootstrap`);
    urls[name] = listener.url;
  }
  return urls;
}

async function qa(environment) {
  const { json, code } = await shipgate(
    [
      'qa',
      environment,
      '--service',
      service,
      '--',
      'npx',
      'vitest',
      'run',
      '--config',
      'apps/sample-service/qa/vitest.qa.config.ts',
    ],
    { expect: [0, 1] },
  );
  const s = json?.evidence?.summary;
  check(code === 0, `QA in ${environment}: ${s?.tests} tests, ${s?.failures} failures, ${s?.errors} errors`);
}

async function hasK6() {
  const r = await $({ nothrow: true })`k6 version`;
  return r.exitCode === 0;
}

try {
  await main();
} catch (error) {
  problems.push(error.message);
  console.error(chalk.red(`\nrehearsal stopped: ${error.message}`));
} finally {
  for (const p of Object.values(probes)) await p.stop();
  if (cloud) await cloud.stop();
}
console.log(
  problems.length
    ? chalk.red(`\nrehearsal FAILED: ${problems.length} problem(s)`)
    : chalk.green(`\nrehearsal passed in ${elapsed().trim()}`),
);
process.exitCode = problems.length ? 1 : 0;
