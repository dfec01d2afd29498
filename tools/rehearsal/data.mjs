// The rehearsal's data steps: seed each synthetic environment's database with the service's realistic dataset
// (seed 42, so every run writes the same rows), then `data verify` the whole database.
//
// The data does not depend on which release serves (the seed is one transaction, and the tasks here have no
// database), so a pipeline may refresh its synthetic environments' data as soon as they exist, in parallel with
// everything else; what needs the data is QA, and QA in an environment waits for that environment's data step
// (`dataFor`). The rehearsal starts both environments' steps right after bootstrap, test's then staging's, so
// the seeds and the whole-database scans run during the waits for first health and for test's deploy instead of
// on the path of a stage. Nothing is weakened: the same full-volume seed and the same whole-database verify,
// checked as before; only when they run moved. `dataFor` says how long a stage waited for its data: that is
// what the data steps cost the rehearsal.

/** Seeds and verifies `environment`; `shipgate`, `say` and `check` are the rehearsal's own helpers. */
export async function seedAndVerify({ environment, service, shipgate, say, check }) {
  const started = Date.now();
  const seeded = await shipgate(['seed', environment, '--service', service, '--seed', '42', '--reset', '--migrate']);
  const report = seeded.json?.report ?? seeded.json;
  say(
    `seeded ${environment}: ${report?.totalRows} rows in ${seconds(started)} (seed 42, dataset hash ${(report?.datasetHash ?? '').slice(0, 12)})`,
  );
  const verifying = Date.now();
  const verified = await shipgate(['data', 'verify', environment, '--service', service], { expect: [0, 1] });
  // data verify says what it checked and what it found; a clean scan is no proof that data is synthetic.
  const summary = verified.json?.summary ?? 'no report';
  check(verified.code === 0, `data verify ${environment} in ${seconds(verifying)}: ${summary}`);
}

/**
 * Starts the data steps of `environments` in the background, one after the other (the first one's QA comes
 * first); returns them by environment. A step that fails is reported when its stage waits for it.
 */
export function startDataSteps(environments, helpers) {
  const steps = {};
  let previous = Promise.resolve();
  for (const environment of environments) {
    const step = previous.then(() => seedAndVerify({ environment, ...helpers }));
    // Marked handled now, awaited later (dataFor): a failure must not end the process before its stage reads it.
    step.catch(() => {});
    steps[environment] = step;
    previous = step.catch(() => {});
  }
  return steps;
}

/** Waits for `environment`'s data step (throws its failure) and says how long the stage waited for it. */
export async function dataFor(steps, environment, say) {
  const waiting = Date.now();
  await steps[environment];
  say(`${environment}'s data ready: the stage waited ${seconds(waiting)} for it`);
}

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
