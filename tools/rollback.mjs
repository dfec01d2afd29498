#!/usr/bin/env node
// The on-call runbook in one line:
//   node tools/rollback.mjs production sample-service "5xx after deploy"
//   node tools/rollback.mjs production --service sample-service --reason "bad release" [--to R] [--dry-run]
//   node tools/rollback.mjs production sample-service "5xx after deploy" --key ~/.ssh/id_ed25519
// Where the trust policy names who may roll back, the rollback is signed with the on-call engineer's
// SSH key (--key FILE, or ssh-agent at SSH_AUTH_SOCK) or the environment's CI key (--ci); --as never
// authorises.
// It shows the status before (with what a rollback would restore), rolls back, checks that the restored
// release answers on the production listener, and shows the audit entry. Safe to run twice: the second
// run finds nothing in flight and the last known good already serving, says so, lists the earlier known
// good releases, and exits 0 without redeploying; it never goes further back by itself: add --to R for
// that. A run that died (killed, connection lost) is finished by running it again: the rollback in
// flight is followed to the end, not started a second time.
// Every call is `node <cli> … --json` with arguments passed as an array (zx quotes each one): no
// shell string is ever built from input.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { $ } from 'zx';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = process.env.SHIPGATE_CLI || `${root}apps/cli/bin/shipgate.mjs`;

const usage =
  'usage: node tools/rollback.mjs <env> <service> ["reason"] [--to R] [--force] [--key FILE | --ci | --authorisation FILE] [--dry-run] [--config F] [--state S] [--as ACTOR]';
let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      reason: { type: 'string' },
      to: { type: 'string' },
      force: { type: 'boolean' },
      key: { type: 'string' },
      ci: { type: 'boolean' },
      authorisation: { type: 'string' },
      'dry-run': { type: 'boolean' },
      config: { type: 'string' },
      state: { type: 'string' },
      as: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(usage);
  process.exit(0);
}
const [environment, servicePositional, reasonPositional] = args.positionals;
const service = args.values.service ?? servicePositional;
const reason = args.values.reason ?? reasonPositional;
if (!environment || !service) {
  console.error(`expected an environment and a service, found ${environment ? 'no service' : 'neither'}\n${usage}`);
  process.exit(2);
}

const common = [
  ...(args.values.config ? ['--config', args.values.config] : []),
  ...(args.values.state ? ['--state', args.values.state] : []),
  ...(args.values.as ? ['--as', args.values.as] : []),
  '--json',
];
$.verbose = false;
$.quiet = true;

/** Runs the CLI and parses its JSON; the exit code travels with it. */
async function shipgate(words) {
  const out = await $({ nothrow: true, cwd: process.cwd() })`node ${cli} ${words} ${common}`;
  let json;
  try {
    json = JSON.parse(out.stdout);
  } catch {
    json = undefined;
  }
  return { code: out.exitCode ?? 1, json, stderr: out.stderr };
}

const say = (text) => console.log(text);
const fail = (code, text) => {
  console.error(text);
  process.exit(code);
};

function describeStatus(json) {
  const row = json?.services?.[0];
  if (!row) return '  (no status)';
  const live = row.live;
  const serving = live.reachable
    ? (live.servingReleaseId ?? 'no answer')
    : `${row.ledger.current?.releaseId ?? 'unknown'} (ledger; AWS unreachable: ${live.error})`;
  const flight =
    live.reachable && live.inFlight
      ? `${live.inFlight.id} ${live.inFlight.phase} ${live.inFlight.sides.map((t) => `${t.label} ${t.trafficWeight}%`).join(' / ')}`
      : 'none';
  const o = row.rollback;
  const restores = !o
    ? 'unknown'
    : o.action === 'nothing'
      ? `nothing (${o.situation})${o.candidates?.length ? `; earlier known good: ${o.candidates.join(', ')} (--to R)` : ''}`
      : `${o.restores ?? 'the original'} (${o.action}${o.controllerDeploymentId ? ` ${o.controllerDeploymentId}` : ''})`;
  const warnings = (row.warnings ?? []).map((w) => `\n  warning: ${w}`).join('');
  return `  serving: ${serving}\n  in flight: ${flight}\n  last known good: ${row.ledger.lastKnownGood?.releaseId ?? 'none'}\n  rollback would restore: ${restores}${warnings}`;
}

// 1. Status before.
say(`== ${service} in ${environment}: status before`);
const before = await shipgate(['status', environment, '--service', service]);
if (before.code !== 0 || !before.json) fail(before.code || 1, `status failed (exit ${before.code}):\n${before.stderr}`);
say(describeStatus(before.json));

// 2. The rollback.
say(`== rollback${args.values['dry-run'] ? ' (dry run)' : ''}`);
const rollback = await shipgate([
  'rollback',
  environment,
  '--service',
  service,
  ...(reason ? ['--reason', reason] : []),
  ...(args.values.to ? ['--to', args.values.to] : []),
  ...(args.values.force ? ['--force'] : []),
  ...(args.values.key ? ['--key', args.values.key] : []),
  ...(args.values.ci ? ['--ci'] : []),
  ...(args.values.authorisation ? ['--authorisation', args.values.authorisation] : []),
  ...(args.values['dry-run'] ? ['--dry-run'] : []),
]);
const result = rollback.json;
if (!result) fail(rollback.code || 1, `rollback failed (exit ${rollback.code}):\n${rollback.stderr}`);
if (result.error)
  fail(rollback.code || 1, `  ${result.error.code}: ${result.error.message}\n  ${result.error.hint ?? ''}`);
const authorised = result.authorisation ?? result.plan?.authorisation;
if (authorised)
  say(`  authorised by ${authorised.by} (${authorised.identity}, verified), until ${authorised.expiresAt}`);
if (result.outcome === 'dry-run') {
  say(
    `  plan: ${result.plan.path} path, restores ${result.plan.restore.releaseId ?? 'the original task set'}; nothing changed`,
  );
  process.exit(0);
}
let expected;
if (result.outcome === 'nothing-to-roll-back') {
  say(`  ${result.message}`);
  if (!result.alreadyRestored) {
    for (const option of result.options ?? []) say(`  option: ${option}`);
    fail(rollback.code || 1, `  ${result.hint}`);
  }
  say('  nothing to do: production already runs the last known good release');
  if (result.candidates?.length)
    say(
      `  to go further back, name the release: node tools/rollback.mjs ${environment} ${service} "<reason>" --to <R>, R one of ${result.candidates.join(', ')}`,
    );
  expected = result.servingReleaseId;
} else if (result.outcome === 'restored') {
  const r = result.report;
  if (r.resumed)
    say(
      `  resumed rollback ${r.resumed.controllerDeploymentId}${r.resumed.startedBy ? ` started by ${r.resumed.startedBy}` : ''}: its run had stopped following it`,
    );
  say(
    `  ${r.path} path: ${r.restoredReleaseId} restored in ${(r.timeToRestoreMs / 1000).toFixed(1)} s (from the ${r.resumed?.recordId ? "first run's" : "command's"} start until all production traffic was on it)`,
  );
  expected = r.restoredReleaseId;
} else {
  fail(
    rollback.code || 1,
    `  rollback FAILED: ${result.report?.failure?.message ?? result.message ?? 'unknown'}\n  ${result.report?.failure?.hint ?? ''}`,
  );
}

// 3. Check that the restored release answers on the production listener.
say('== check');
const after = await shipgate(['status', environment, '--service', service]);
const live = after.json?.services?.[0]?.live;
if (!live?.reachable) fail(3, `  could not ask the production listener: ${live?.error ?? after.stderr}`);
if (expected && live.servingReleaseId !== expected)
  fail(1, `  expected the production listener to answer as ${expected}, found ${live.servingReleaseId ?? 'no answer'}`);
if (live.inFlight && live.inFlight.phase !== 'baking')
  fail(1, `  expected no deployment moving traffic, found ${live.inFlight.id} ${live.inFlight.phase}`);
say(`  the production listener answers as ${live.servingReleaseId}`);

// 4. The audit entry.
say('== audit');
const audit = await shipgate(['audit', 'log', '--environment', environment, '--service', service, '--limit', '20']);
const entry = (audit.json?.entries ?? [])
  .filter((e) => e.action === 'rollback' || e.action === 'rollback.refused')
  .at(-1);
if (!entry) fail(1, '  expected an audit entry for this rollback, found none');
say(`  #${entry.seq} ${entry.at} ${entry.actor} ${entry.action}: reason "${entry.details.reason}"`);
