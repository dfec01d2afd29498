import type { CommandEntry } from './command';

/**
 * Every command, by the words that select it. Modules load only when their command runs, so that
 * `shipgate --version` and `shipgate --help` stay fast and never load the AWS SDK.
 */
export const commands: CommandEntry[] = [
  {
    name: 'config validate',
    summary: 'Check shipgate.yaml and report every problem at once',
    example: 'shipgate config validate --config shipgate.yaml',
    load: () => import('./commands/config-validate'),
  },
  {
    name: 'config schema',
    summary: 'Print the JSON Schema of shipgate.yaml (for editors)',
    example: 'shipgate config schema > shipgate.schema.json',
    load: () => import('./commands/config-schema'),
  },
  {
    name: 'plan',
    summary: 'Show the pipeline: environments in promotion order and what guards each',
    example: 'shipgate plan',
    load: () => import('./commands/plan'),
  },
  {
    name: 'release create',
    summary: 'Record an immutable release (image pinned by digest)',
    example:
      'shipgate release create --service api --image 1234.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:<64 hex> --git-sha 4f2c1e9',
    load: () => import('./commands/release-create'),
  },
  {
    name: 'release list',
    summary: 'List releases, newest first',
    example: 'shipgate release list --service api',
    load: () => import('./commands/release-list'),
  },
  {
    name: 'release show',
    summary: 'Show one release with its evidence and deployments',
    example: 'shipgate release show rel-3f9a',
    load: () => import('./commands/release-show'),
  },
  {
    name: 'bootstrap',
    summary: 'Create or converge the AWS resources blue/green deploys need (cluster, load balancer, CodeDeploy)',
    example: 'shipgate bootstrap staging --dry-run',
    load: () => import('./commands/bootstrap'),
  },
  {
    name: 'infra synth',
    summary: 'Write the CloudFormation templates (CDK) of every environment, offline, checked by cdk-nag',
    example: 'shipgate infra synth --out cdk.out',
    load: () => import('./commands/infra-synth'),
  },
  {
    name: 'drift',
    summary: 'Compare the live AWS resources of an environment with shipgate.yaml; exit 1 on any difference',
    example: 'shipgate drift staging --service sample-service',
    load: () => import('./commands/drift'),
  },
  {
    name: 'diff',
    summary:
      'Compare two environments (declared and live) for parity; exit 1 on a difference parity.expect does not list',
    example: 'shipgate diff staging production --service sample-service',
    load: () => import('./commands/diff'),
  },
  {
    name: 'deploy',
    summary:
      'Deploy a release blue/green (CodeDeploy or ECS-native), verified through the test listener (gated where a policy applies)',
    example: 'shipgate deploy staging --service sample-service --release rel-3f9a',
    load: async () => {
      const [{ createDeployCommand }, { withPromotionGate }] = await Promise.all([
        import('./commands/deploy'),
        import('./support/deploy-gate-wiring'),
      ]);
      return { command: withPromotionGate(createDeployCommand) };
    },
  },
  {
    name: 'promote',
    summary: 'Gate and deploy the release now serving in the previous environment',
    example: 'shipgate promote production --service sample-service',
    load: () => import('./commands/promote'),
  },
  {
    name: 'rollback',
    summary: 'Roll a service back: stop the deployment in flight, or redeploy the last known good release',
    example: 'shipgate rollback production --service sample-service --reason "5xx after deploy"',
    load: () => import('./commands/rollback'),
  },
  {
    name: 'finish-now',
    summary: 'Skip the remaining canary/linear waits or the bake (termination wait) of the deployment in flight',
    example: 'shipgate finish-now production --service sample-service --reason "verified, need the slot"',
    load: () => import('./commands/finish-now'),
  },
  {
    name: 'status',
    summary: 'Show what serves each environment, any deployment in flight, and the last known good release',
    example: 'shipgate status production',
    load: () => import('./commands/status'),
  },
  {
    name: 'history',
    summary: 'List deployments and rollbacks of a service in an environment, newest first',
    example: 'shipgate history production --service sample-service',
    load: () => import('./commands/history'),
  },
  {
    name: 'seed',
    summary: 'Seed synthetic, deterministic data into an environment (refused where data is real)',
    example: 'shipgate seed test --service sample-service --seed 42 --migrate',
    load: () => import('./commands/seed'),
  },
  {
    name: 'data verify',
    summary: "Scan every table of an environment's database for real-looking personal data",
    example: 'shipgate data verify staging --service sample-service',
    load: () => import('./commands/data-verify'),
  },
  {
    name: 'data mark',
    summary: "Write a database's environment marker: --real for production, --synthetic for test/staging",
    example: 'shipgate data mark production --real --database-url "$PRODUCTION_DATABASE_URL"',
    load: () => import('./commands/data-mark'),
  },
  {
    name: 'evidence add',
    summary: 'Record QA (JUnit XML) or stress (k6 summary) results for a release',
    example: 'shipgate evidence add staging --service sample-service --release rel-3f9a --junit junit.xml',
    load: () => import('./commands/evidence-add'),
  },
  {
    name: 'qa',
    summary: 'Run a QA command against an environment and record its JUnit results',
    example:
      'shipgate qa staging --service sample-service -- npx vitest run --config apps/sample-service/qa/vitest.qa.config.ts',
    load: () => import('./commands/qa'),
  },
  {
    name: 'stress',
    summary: 'Run the k6 stress script against an environment and record the results',
    example: 'shipgate stress staging --service sample-service',
    load: () => import('./commands/stress'),
  },
  {
    name: 'approve',
    summary: 'Approve a release for an environment (release managers, never its author)',
    example: 'shipgate approve production --service sample-service --release rel-3f9a',
    load: () => import('./commands/approve'),
  },
  {
    name: 'approvals import',
    summary: 'Import the GitHub Actions environment approvals of this run as evidence',
    example: 'shipgate approvals import production --service sample-service --release "$RELEASE_ID"',
    load: () => import('./commands/approvals-import'),
  },
  {
    name: 'gate',
    summary: 'Evaluate the promotion gate: every requirement with required vs observed',
    example: 'shipgate gate production --service sample-service --release rel-3f9a',
    load: () => import('./commands/gate'),
  },
  {
    name: 'audit log',
    summary: 'Show audit log entries (filter by release, environment, actor)',
    example: 'shipgate audit log --environment production --limit 20',
    load: () => import('./commands/audit-log'),
  },
  {
    name: 'console',
    summary: 'Serve the read-only web console over the ledger: board, releases, gate, deployments, audit log',
    example: 'shipgate console --port 8790',
    load: () => import('./commands/console'),
  },
  {
    name: 'local-cloud up',
    summary: 'Run local-cloud (ECS, CodeDeploy, ELBv2, CloudWatch on loopback) in the foreground',
    example: 'shipgate local-cloud up --port 4566 --time-scale 60',
    load: () => import('./commands/local-cloud-up'),
  },
  {
    name: 'local-cloud image',
    summary: 'Store a directory as a local-cloud image; print its reference pinned by digest',
    example: 'shipgate local-cloud image --state-dir .shipgate/cloud --name api --dir dist -- node server.cjs',
    load: () => import('./commands/local-cloud-image'),
  },
  {
    name: 'audit verify',
    summary: 'Check the audit log against its signed checkpoints, and every record against its entry',
    example: 'shipgate audit verify',
    load: () => import('./commands/audit-verify'),
  },
];

/** Finds the command selected by the leading words, longest match first. */
export function findCommand(words: string[]): { entry: CommandEntry; consumed: number } | undefined {
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const name = words.slice(0, n).join(' ');
    const entry = commands.find((c) => c.name === name);
    if (entry) return { entry, consumed: n };
  }
  return undefined;
}
