import type { DeploymentRecord } from '@shipgate/model';
import type { LiveServiceStatus } from '@shipgate/rollback';
import { defineCommand } from '../command';
import { formatDuration, renderTable, shortTime } from '../render/table';
import { clientOptions, resolveAwsSettings } from '../support/aws';
import { requireEnvironment, requireService } from '../support/config';
import { localListenerUrlFor } from '../support/service-url';

/** `shipgate status [<env>] [--service S]`: what serves where, what is in flight, what the last known good is. */
export const command = defineCommand({
  name: 'status',
  usage: 'shipgate status [<env>] [--service S]',
  examples: ['shipgate status', 'shipgate status production --service sample-service --json'],
  description:
    'Reads the ledger, and the live CodeDeploy and load-balancer state where AWS (or local-cloud) answers. When it does not, it says so and shows the ledger view.',
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Only this service' },
  },
  positionals: [
    { name: 'environment', required: false, description: 'Only this environment (default: all, in promotion order)' },
  ],
  async run(ctx) {
    const [rollback, { resolveServiceTarget }, { CodeDeployBlueGreen }] = await Promise.all([
      import('@shipgate/rollback'),
      import('@shipgate/model'),
      import('@shipgate/ecs-deploy/aws'),
    ]);
    const loaded = await ctx.config();
    const envs = ctx.positionals[0]
      ? [requireEnvironment(loaded, ctx.positionals[0]).name]
      : Object.keys(loaded.config.environments);
    const only = ctx.values.service ? requireService(loaded, ctx.values.service).name : undefined;
    const ledger = await ctx.ledger();
    const [{ CodeDeployClient }, { ElasticLoadBalancingV2Client }] = await Promise.all([
      import('@aws-sdk/client-codedeploy'),
      import('@aws-sdk/client-elastic-load-balancing-v2'),
    ]);
    const unreachable = new Map<string, string>();
    const rows: StatusRow[] = [];
    for (const env of envs) {
      for (const service of Object.keys(loaded.config.environments[env]!.services).filter((s) => !only || s === only)) {
        const target = resolveServiceTarget(loaded.config, env, service);
        const settings = resolveAwsSettings(loaded.config, target.region, ctx.env);
        const where = `${settings.endpoint ?? 'aws'} ${settings.region}`;
        const [current, lastKnownGood, inFlight] = await Promise.all([
          ledger.deployments.current(service, env),
          ledger.deployments.lastKnownGood(service, env),
          ledger.deployments.inFlight(service, env),
        ]);
        let live: LiveServiceStatus;
        if (unreachable.has(where)) {
          live = { reachable: false, code: 'AWS_ERROR', error: unreachable.get(where)! };
        } else {
          // Short timeouts and one retry: status must answer quickly even when AWS does not.
          const options = {
            ...clientOptions(settings),
            maxAttempts: 2,
            requestHandler: { connectionTimeout: 1500, requestTimeout: 5000 },
          };
          const ports = {
            control: new CodeDeployBlueGreen(new CodeDeployClient(options), { environment: env, service }),
            traffic: rollback.elbListenerTraffic(new ElasticLoadBalancingV2Client(options), {
              loadBalancer: target.loadBalancer,
              productionPort: target.productionListenerPort,
              testPort: target.testListenerPort,
              ...(settings.local && settings.endpoint ? { urlFor: await localListenerUrlFor(settings.endpoint) } : {}),
            }),
            probe: rollback.httpReleaseProbe({ releasePath: target.releasePath, timeoutMs: 1500 }),
          };
          live = await rollback.liveServiceStatus(target, ports);
          if (!live.reachable && live.code !== 'AWS_NOT_FOUND') unreachable.set(where, live.error);
        }
        rows.push({
          environment: env,
          service,
          ledger: { current: brief(current), lastKnownGood: brief(lastKnownGood), inFlight: inFlight.map(brief) },
          live,
        });
      }
    }
    return { json: { services: rows }, human: render(rows, unreachable) };
  },
});

interface StatusRow {
  environment: string;
  service: string;
  ledger: { current?: Brief; lastKnownGood?: Brief; inFlight: (Brief | undefined)[] };
  live: LiveServiceStatus;
}

type Brief = Pick<DeploymentRecord, 'id' | 'releaseId' | 'kind' | 'outcome' | 'startedAt' | 'startedBy'> & {
  finishedAt?: string;
  durationMs?: number;
};

function brief(d: DeploymentRecord | undefined): Brief | undefined {
  if (!d) return undefined;
  return {
    id: d.id,
    releaseId: d.releaseId,
    kind: d.kind,
    outcome: d.outcome,
    startedAt: d.startedAt,
    startedBy: d.startedBy,
    ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    ...(d.durationMs !== undefined ? { durationMs: d.durationMs } : {}),
  };
}

function render(rows: StatusRow[], unreachable: Map<string, string>): string {
  if (rows.length === 0) return 'no services configured';
  const table = renderTable(
    ['environment', 'service', 'serving', 'in flight (traffic split)', 'last known good', 'source'],
    rows.map((r) => {
      const serving = r.live.reachable
        ? (r.live.servingReleaseId ?? 'no answer')
        : (r.ledger.current?.releaseId ?? 'none recorded');
      const flight = r.live.reachable
        ? r.live.inFlight
          ? `${r.live.inFlight.id} ${r.live.inFlight.status}${r.live.inFlight.inTerminationWait ? ' (termination wait)' : ''}: ${r.live.inFlight.taskSets.map((t) => `${t.label.toLowerCase()} ${t.trafficWeight}%`).join(' / ')}`
          : '-'
        : r.ledger.inFlight.length
          ? `${r.ledger.inFlight.map((d) => d?.id).join(', ')} (ledger)`
          : '-';
      const lkg = r.ledger.lastKnownGood
        ? `${r.ledger.lastKnownGood.releaseId} (${shortTime(r.ledger.lastKnownGood.finishedAt ?? r.ledger.lastKnownGood.startedAt)})`
        : 'none';
      return [
        r.environment,
        r.service,
        serving,
        flight,
        lkg,
        r.live.reachable
          ? 'live + ledger'
          : r.live.code === 'AWS_NOT_FOUND'
            ? 'ledger (not bootstrapped)'
            : 'ledger only',
      ];
    }),
  );
  const notes = [...unreachable].map(
    ([where, error]) => `AWS unreachable at ${where}: ${error}. Showing the ledger view.`,
  );
  const durations = rows.flatMap((r) =>
    r.ledger.current?.durationMs !== undefined
      ? [`${r.environment}/${r.service}: last deployment took ${formatDuration(r.ledger.current.durationMs)}`]
      : [],
  );
  return [table, ...notes, ...durations].join('\n');
}
