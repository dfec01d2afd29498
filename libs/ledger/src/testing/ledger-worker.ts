/**
 * A child process for the cross-process tests: `node --import tsx ledger-worker.ts <mode> <location> <json>`.
 *   append  {count, actor, pauseEvery?, fixedTime?, identical?}  after "go" on stdin, append `count` audit entries, print "done <last seq>"
 *   update  {id, count, actor}    after "go" on stdin, `count` read-modify-write updates of one deployment
 *   churn   {seed}                write releases, deployments and audit entries until killed
 * For S3 locations the endpoint comes from SHIPGATE_TEST_S3_ENDPOINT.
 */
import { makeRelease, ManualClock, seededRandom, systemClock } from '@shipgate/model';
import { openLedger } from '../ledger';
import { resolveStateStore } from '../resolve-state-store';
import { testS3Client } from './store-fixture';

const [mode, location, argsJson] = process.argv.slice(2);
const args = JSON.parse(argsJson ?? '{}') as {
  count?: number;
  actor?: string;
  id?: string;
  seed?: number;
  pauseEvery?: number;
  /** Every entry stamped with this time, so that two racers' entries can be byte-identical. */
  fixedTime?: string;
  /** Append the same details each time (no counter), for the identical-appends test. */
  identical?: boolean;
};
const endpoint = process.env.SHIPGATE_TEST_S3_ENDPOINT;
const store = await resolveStateStore(location!, endpoint ? { s3Client: () => testS3Client(endpoint) } : {});
const ledger = openLedger(store, {
  clock: args.fixedTime ? new ManualClock(args.fixedTime) : systemClock,
  random: seededRandom(args.seed ?? process.pid),
});

/** Both racers print "ready" and then wait for "go" on stdin, so that their writes overlap. */
async function startSignal(): Promise<void> {
  await store.list('audit/');
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
}

if (mode === 'append') {
  await startSignal();
  let last = 0;
  for (let i = 0; i < args.count!; i++) {
    const details = args.identical ? {} : { i };
    last = (await ledger.audit.append({ actor: args.actor!, action: 'test.append', details })).seq;
    // A command appends a few entries and moves on; pausing now and then lets the racers interleave.
    if (args.pauseEvery && i % args.pauseEvery === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  process.stdout.write(`done ${last} racesLost ${ledger.audit.stats.racesLost}\n`);
} else if (mode === 'update') {
  await startSignal();
  for (let i = 0; i < args.count!; i++)
    await ledger.deployments.update(args.id!, (d) => ({ reason: `${d.reason ?? ''}${args.actor}` }), args.actor!);
  process.stdout.write('done\n');
} else if (mode === 'churn') {
  for (let i = 0; ; i++) {
    const hex = (args.seed! * 100_000 + i).toString(16).padStart(64, '0');
    const release = makeRelease({
      service: 'svc',
      image: `registry.test/svc@sha256:${hex}`,
      createdBy: 'churn',
      createdAt: systemClock.now(),
    });
    await ledger.releases.create(release, 'churn');
    const id = `dep-${args.seed}-${i}`;
    await ledger.deployments.start(
      {
        id,
        releaseId: release.id,
        service: 'svc',
        environment: 'test',
        digest: release.digest,
        controller: 'codedeploy',
        kind: 'deploy',
        startedBy: 'churn',
        startedAt: systemClock.now().toISOString(),
        outcome: 'in-progress',
      },
      'churn',
    );
    await ledger.deployments.update(id, { outcome: 'succeeded', durationMs: i }, 'churn');
    if (i === 0) process.stdout.write('ready\n');
  }
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
if (endpoint) process.exit();
