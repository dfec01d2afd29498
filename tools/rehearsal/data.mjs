// The rehearsal's data steps: seed each synthetic environment's database with the service's realistic dataset
// (seed 42, so every run writes the same rows), then `data verify` the whole database.
//
// The data does not depend on which release serves (the seed is one transaction, and the tasks here have no
// database), so a pipeline may refresh its synthetic environments' data as soon as they exist, in parallel with
// everything else; what needs the data is QA, and QA in an environment waits for that environment's data step
// (`dataFor`). `data verify` only reads: it runs beside QA and stress, and the production gate waits for it
// (`dataVerified`). The rehearsal starts both environments' steps right after bootstrap, side by side, so the
// seeds and the whole-database scans run during the waits for first health, for the deploys and for the stress
// run instead of on the path of a stage. Nothing is weakened: the same full-volume seed and the same
// whole-database verify, checked as before; only when they run moved. `dataFor` and `dataVerified` say how long
// a stage waited: that is what the data steps cost the rehearsal.

/** Seeds `environment` (seed 42, --reset --migrate); `shipgate` and `say` are the rehearsal's own helpers. */
async function seed({ environment, service, shipgate, say }) {
  const started = Date.now();
  const seeded = await shipgate(['seed', environment, '--service', service, '--seed', '42', '--reset', '--migrate']);
  const report = seeded.json?.report ?? seeded.json;
  say(
    `seeded ${environment}: ${report?.totalRows} rows in ${seconds(started)} (seed 42, dataset hash ${(report?.datasetHash ?? '').slice(0, 12)}, generated in a ${report?.generatedIn === 'worker' ? 'worker thread' : 'single thread'})`,
  );
}

/** Scans `environment`'s whole database with `data verify`; a finding is a problem of the run (`check`). */
async function verify({ environment, service, shipgate, check }) {
  const verifying = Date.now();
  const verified = await shipgate(['data', 'verify', environment, '--service', service], { expect: [0, 1] });
  // data verify says what it checked and what it found; a clean scan is no proof that data is synthetic.
  const summary = verified.json?.summary ?? 'no report';
  check(verified.code === 0, `data verify ${environment} in ${seconds(verifying)}: ${summary}`);
}

/**
 * Starts the data steps of `environments` in the background, side by side: each seeds, then verifies.
 * Returns, by environment, the seed (QA waits for it: `dataFor`) and the verify (read-only, it runs beside
 * QA and stress; the production gate waits for every one: `dataVerified`). A failure is reported when waited for.
 */
export function startDataSteps(environments, helpers) {
  const steps = {};
  for (const environment of environments) {
    const seeded = seed({ environment, ...helpers });
    const verified = seeded.then(() => verify({ environment, ...helpers }));
    // Marked handled now, awaited later: a failure must not end the process before its stage reads it.
    seeded.catch(() => {});
    verified.catch(() => {});
    steps[environment] = { seeded, verified };
  }
  return steps;
}

/** Waits for `environment`'s seed (throws its failure) and says how long the stage waited for it. */
export async function dataFor(steps, environment, say) {
  const waiting = Date.now();
  await steps[environment].seeded;
  say(`${environment}'s data is in: the stage waited ${seconds(waiting)} for it`);
}

/** Waits for every environment's data verify and says how long that took the stage waiting. */
export async function dataVerified(steps, say) {
  const waiting = Date.now();
  await Promise.all(Object.values(steps).map((step) => step.verified));
  say(`data verify of ${Object.keys(steps).join(' and ')} done: the stage waited ${seconds(waiting)} for it`);
}

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
