import { recordedDurationMs } from '@shipgate/ledger';
import type { DeploymentRecord, ServiceTarget } from '@shipgate/model';
import type { ControllerDeploymentView, LiveServiceStatus, RollbackOutlook } from '@shipgate/rollback';
import { defineCommand } from '../command';
import { durationCell, renderTable, shortTime } from '../render/table';
import { clientOptions, resolveAwsSettings, type AwsSettings } from '../support/aws';
import { requireEnvironment, requireService } from '../support/config';
import { localListenerUrlFor } from '../support/service-url';

/** `shipgate status [<env>] [--service S]`: what serves where, what is in flight, what the last known good is. */
export const command = defineCommand({
  name: 'status',
  usage: 'shipgate status [<env>] [--service S]',
  examples: ['shipgate status', 'shipgate status production --service sample-service --json'],
  description:
    "Reads the ledger, and the live state of the environment's deploy controller and load balancer where AWS (or local-cloud) answers. When it does not, it says so and shows the ledger view.",
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Only this service' },
  },
  positionals: [
    { name: 'environment', required: false, description: 'Only this environment (default: all, in promotion order)' },
  ],
  async run(ctx) {
    const [rollback, { resolveServiceTarget }] = await Promise.all([
      import('@shipgate/rollback'),
      import('@shipgate/model'),
    ]);
    const loaded = await ctx.config();
    const envs = ctx.positionals[0]
      ? [requireEnvironment(loaded, ctx.positionals[0]).name]
      : Object.keys(loaded.config.environments);
    const only = ctx.values.service ? requireService(loaded, ctx.values.service).name : undefined;
    const ledger = await ctx.ledger();
    const unreachable = new Map<string, string>();
    const rows: StatusRow[] = [];
    for (const env of envs) {
      for (const service of Object.keys(loaded.config.environments[env]!.services).filter((s) => !only || s === only)) {
        const target = resolveServiceTarget(loaded.config, env, service);
        const settings = resolveAwsSettings(loaded.config, target.region, ctx.env);
        const where = `${settings.endpoint ?? 'aws'} ${settings.region}`;
        const records = await ledger.deployments.list({ service, environment: env });
        // The same rules as the console's board: in flight means unfinished and newer than the last finished.
        const inFlight = rollback.inFlightNow(records);
        const abandoned = rollback.abandonedDeployments(records);
        const finished = rollback.lastFinished(records);
        const ports = unreachable.has(where) ? undefined : await statusPorts(target, settings);
        let live: LiveServiceStatus;
        let flight: ControllerDeploymentView | undefined;
        if (!ports) {
          live = { reachable: false, code: 'AWS_ERROR', error: unreachable.get(where)! };
        } else {
          live = await rollback.liveServiceStatus(target, ports);
          if (!live.reachable && live.code !== 'AWS_NOT_FOUND') unreachable.set(where, live.error);
          if (live.reachable && live.inFlight)
            flight = await ports.deploy.controller.status(live.inFlight.id).catch(() => undefined);
        }
        const liveServing = live.reachable ? live.servingReleaseId : undefined;
        // What `rollback` would do now: planRollback itself, on what status just read (the ledger
        // alone when AWS does not answer), so that the two never disagree.
        const outlook = rollback.rollbackOutlook({
          service,
          environment: env,
          deployments: records,
          ...(flight ? { inFlight: flight } : {}),
          ...(liveServing ? { liveServingReleaseId: liveServing } : {}),
        });
        const outside = rollback.servingOutsideLedger(records, liveServing, flight?.id);
        const servingId = rollback.ledgerServingReleaseId(records, flight?.id);
        const current = records.find((d) => d.outcome === 'succeeded' && d.releaseId === servingId);
        rows.push({
          environment: env,
          service,
          ledger: {
            ...(current ? { current: brief(current) } : {}),
            ...(rollback.lastKnownGood(records) ? { lastKnownGood: brief(rollback.lastKnownGood(records)!) } : {}),
            ...(finished ? { lastFinished: brief(finished) } : {}),
            inFlight: inFlight.map(brief),
            abandoned: abandoned.map(brief),
          },
          live,
          rollback: outlook,
          warnings: outside ? [outside] : [],
        });
      }
    }
    return { json: { services: rows }, human: render(rows, unreachable) };
  },
});

interface StatusRow {
  environment: string;
  service: string;
  ledger: {
    current?: Brief;
    lastKnownGood?: Brief;
    lastFinished?: Brief;
    inFlight: Brief[];
    /** Unfinished records older than the last finished deployment: their run died (a later deploy closes those whose controller deployment ended). */
    abandoned: Brief[];
  };
  live: LiveServiceStatus;
  /** What `shipgate rollback` without --to would do now. */
  rollback: RollbackOutlook;
  warnings: string[];
}

/** The read-only ports status asks: short timeouts and one retry, so that status answers quickly even when AWS does not. */
async function statusPorts(target: ServiceTarget, settings: AwsSettings) {
  const [rollback, { createController }, { CodeDeployClient }, { ECSClient }, { ElasticLoadBalancingV2Client }] =
    await Promise.all([
      import('@shipgate/rollback'),
      import('@shipgate/ecs-deploy/aws'),
      import('@aws-sdk/client-codedeploy'),
      import('@aws-sdk/client-ecs'),
      import('@aws-sdk/client-elastic-load-balancing-v2'),
    ]);
  const options = {
    ...clientOptions(settings),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1500, requestTimeout: 5000 },
  };
  const elbv2 = new ElasticLoadBalancingV2Client(options);
  const controller = createController(
    target.deploy.controller,
    { codedeploy: new CodeDeployClient(options), ecs: new ECSClient(options), elbv2 },
    { environment: target.environment, service: target.service },
  );
  return {
    deploy: { controller },
    traffic: rollback.elbListenerTraffic(elbv2, {
      loadBalancer: target.loadBalancer,
      productionPort: target.productionListenerPort,
      testPort: target.testListenerPort,
      ...(settings.local && settings.endpoint ? { urlFor: await localListenerUrlFor(settings.endpoint) } : {}),
    }),
    probe: rollback.httpReleaseProbe({ releasePath: target.releasePath, timeoutMs: 1500 }),
  };
}

type Brief = Pick<DeploymentRecord, 'id' | 'releaseId' | 'kind' | 'outcome' | 'startedAt' | 'startedBy'> &
  Pick<DeploymentRecord, 'finishedAt' | 'durationMs' | 'timeToRestoreMs' | 'reason'>;

function brief(d: DeploymentRecord): Brief {
  return {
    id: d.id,
    releaseId: d.releaseId,
    kind: d.kind,
    outcome: d.outcome,
    startedAt: d.startedAt,
    startedBy: d.startedBy,
    ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
    ...(d.durationMs !== undefined ? { durationMs: d.durationMs } : {}),
    ...(d.timeToRestoreMs !== undefined ? { timeToRestoreMs: d.timeToRestoreMs } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
  };
}

function render(rows: StatusRow[], unreachable: Map<string, string>): string {
  if (rows.length === 0) return 'no services configured';
  const table = renderTable(
    ['environment', 'service', 'serving', 'in flight (traffic split)', 'rollback would restore', 'source'],
    rows.map((r) => {
      const serving = r.live.reachable
        ? (r.live.servingReleaseId ?? 'no answer')
        : (r.ledger.current?.releaseId ?? 'none recorded');
      const flight = r.live.reachable
        ? r.live.inFlight
          ? `${r.live.inFlight.id} ${r.live.inFlight.phase}: ${r.live.inFlight.sides.map((t) => `${t.label.toLowerCase()} ${t.trafficWeight}%`).join(' / ')}`
          : '-'
        : r.ledger.inFlight.length
          ? `${r.ledger.inFlight.map((d) => d.id).join(', ')} (ledger)`
          : '-';
      return [r.environment, r.service, serving, flight, outlookCell(r.rollback), sourceOf(r.live)];
    }),
  );
  const notes = [...unreachable].map(
    ([where, error]) => `AWS unreachable at ${where}: ${error}. Showing the ledger view.`,
  );
  const lines = rows.flatMap((r) => [
    ...r.warnings.map((w) => `warning: ${r.environment}/${r.service}: ${w}`),
    ...(r.ledger.abandoned.length
      ? [
          `note: ${r.environment}/${r.service}: ${r.ledger.abandoned.map((d) => d.id).join(', ')} never finished and a later deployment did: abandoned (its run died), not in flight`,
        ]
      : []),
    ...lastDeploymentLines(r),
  ]);
  return [table, ...notes, ...lines].join('\n');
}

function sourceOf(live: LiveServiceStatus): string {
  if (live.reachable) return 'live + ledger';
  return live.code === 'AWS_NOT_FOUND' ? 'ledger (not bootstrapped)' : 'ledger only';
}

/** The rollback column: what `shipgate rollback` without --to would do now. */
function outlookCell(o: RollbackOutlook): string {
  switch (o.action) {
    case 'stop':
      return `${o.restores ?? 'the original'} (stops ${o.controllerDeploymentId})`;
    case 'resume':
      return `${o.restores} (finishes rollback ${o.controllerDeploymentId})`;
    case 'redeploy':
      return `${o.restores} (redeploy)`;
    case 'nothing':
      return o.candidates.length
        ? `nothing (${o.situation}); --to ${o.candidates.slice(0, 3).join(' | ')}`
        : `nothing (${o.situation})`;
  }
}

/**
 * The last finished deployment, named, with how long it took, and apart from it any deployment in
 * flight with how long it has run: a time is never shown next to another deployment than its own.
 */
function lastDeploymentLines(r: StatusRow): string[] {
  const where = `${r.environment}/${r.service}`;
  const out: string[] = [];
  const last = r.ledger.lastFinished;
  if (last) {
    const took = recordedDurationMs(last);
    out.push(
      `${where}: last finished: ${last.kind} ${last.id} of ${last.releaseId}, ${last.outcome}, ${took !== undefined ? `took ${durationCell(took)}` : `recorded ${shortTime(last.finishedAt ?? last.startedAt)} (no deployment to time: ${last.reason ?? 'none recorded'})`}${last.timeToRestoreMs !== undefined ? `, restored in ${durationCell(last.timeToRestoreMs)}` : ''}`,
    );
  }
  for (const f of r.ledger.inFlight)
    out.push(
      `${where}: in flight: ${f.kind} ${f.id} of ${f.releaseId}, started ${shortTime(f.startedAt)} by ${f.startedBy}`,
    );
  return out;
}
