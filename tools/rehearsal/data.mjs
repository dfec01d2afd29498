// The rehearsal's data step for one environment: seed its database with the service's realistic dataset
// (seed 42, so every run writes the same rows), then `data verify` the whole database.
//
// It runs alongside the environment's deploy. The data does not depend on which release serves (the seed is
// one transaction, and the tasks here have no database), so a pipeline may run the two as parallel steps;
// QA, which comes next, waits for both. On this machine a deploy mostly waits on time-scaled CodeDeploy
// steps and health checks, and the seed spends that time instead of queueing after it.

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

/** Runs an environment's deploy and its data step side by side; resolves with the deploy's entry once both end. */
export async function deployWithData(deploying, data) {
  const [entry] = await Promise.all([deploying, data]);
  return entry;
}

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
