import type { DeployEvent, DeploymentView, DeployReport } from '@shipgate/ecs-deploy';
import {
  ShipgateError,
  cryptoRandom,
  formatDuration,
  type DeploymentOutcome,
  type DeploymentRecord,
} from '@shipgate/model';
import type { CommandContext, CommandOutcome } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { controllerTimeScale, deployPortsFor, taskStartMs } from '../support/deploy-ports';
import type { DeployGate } from './deploy-gate';
import type { deployOptions } from './deploy-options';
import { prepareRelease } from './prepare-release';
import { progressLine } from './progress';
import { progressRecorder } from './progress-recorder';
import { renderDeployHuman, renderDeploySummary } from './render-deploy';
import { renderDeployPlanHuman } from './render-deploy-plan';

/** What the deploy command is wired with. */
export interface DeployCommandDeps {
  /** The promotion gate; undefined → environments with a promotion policy refuse to deploy. */
  gate: DeployGate | undefined;
}

function choice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ShipgateError('USAGE', `deploy: expected --${flag} to be one of ${allowed.join(', ')}, found "${value}"`, {
    hint: `For example: --${flag} ${allowed[0]}`,
  });
}

/** `shipgate deploy`: check every input, ask the gate, then blue/green through CodeDeploy and record it. */
export async function runDeployCommand(
  ctx: CommandContext<typeof deployOptions>,
  deps: DeployCommandDeps,
): Promise<CommandOutcome> {
  const v = ctx.values;
  const loaded = await ctx.config();
  const environment = requireEnvironment(loaded, ctx.positionals[0]);
  const service = requireService(loaded, v.service);
  const wait = choice(v.wait, ['complete', 'traffic'] as const, 'wait');
  const ifBusy = choice(v['if-busy'], ['fail', 'wait', 'supersede'] as const, 'if-busy');
  if (!v.release)
    throw new ShipgateError('USAGE', 'deploy: expected --release <release id>, found none', {
      hint: `List releases with \`shipgate release list --service ${service.name}\`.`,
    });

  const ledger = await ctx.ledger();
  const { target, release, taskDefinition } = await prepareRelease(
    ctx,
    loaded,
    environment.name,
    service.name,
    v.release,
    ledger.releases,
  );
  const actor = await ctx.actor();

  // The promotion gate: one call, before anything changes in the cloud. A dry run asks it too, but
  // has it record nothing, so that the plan it shows is the one a real run would meet.
  const dryRun = v['dry-run'];
  let gateOutcome: 'pass' | 'break glass' | 'no policy' = 'no policy';
  let breakGlass: { by: string; evidenceId: string } | undefined;
  let decisionId: string | undefined; // the PASS decision the deployment record references (#12.5)
  if (v['break-glass'] && !environment.promotion)
    ctx.warn(
      `--break-glass: ${environment.name} has no promotion policy, so there is no gate to break; deploying as usual`,
    );
  if (environment.promotion) {
    if (!deps.gate) {
      throw new ShipgateError(
        'GATE_BLOCKED',
        `expected the promotion gate to approve ${release.id} for ${environment.name}, found no gate wired into this build of shipgate`,
        { hint: 'This is a packaging problem: deploys to guarded environments stay refused until the gate is wired.' },
      );
    }
    const verdict = await deps.gate({ release, environment: environment.name, target, actor, preview: dryRun });
    // Break glass (#12.6): a blocked release goes only on a verified override, asked for explicitly.
    if (verdict.outcome === 'block' && v['break-glass']) {
      const { requireBreakGlass } = await import('../support/break-glass');
      breakGlass = await requireBreakGlass(ctx, loaded, ledger, release, environment.name);
      ctx.progress(
        `break glass: ${release.id} failed the gate for ${environment.name}; deploying on ${breakGlass.evidenceId} by ${breakGlass.by} (recorded; never last known good until a later deploy of it passes the gate)`,
      );
      if (!dryRun)
        await ledger.audit.append({
          actor,
          action: 'deploy.break-glass',
          subject: { service: service.name, environment: environment.name, releaseId: release.id },
          details: { ...breakGlass, ...(verdict.decisionId ? { blockedDecisionId: verdict.decisionId } : {}) },
        });
    } else if (verdict.outcome === 'block') {
      return {
        exitCode: 1,
        json: {
          ...(dryRun ? { dryRun: true } : {}),
          outcome: 'blocked',
          gate: verdict.report,
          release: release.id,
          environment: environment.name,
        },
        human: dryRun
          ? `dry run: deploy of ${release.id} to ${environment.name} would be blocked by the promotion gate (nothing recorded): ${verdict.summary}`
          : `deploy of ${release.id} to ${environment.name} blocked by the promotion gate: ${verdict.summary}`,
      };
    }
    if (verdict.outcome === 'pass') {
      gateOutcome = 'pass';
      decisionId = verdict.decisionId;
    } else gateOutcome = 'break glass';
  }

  const clients = await ctx.aws(target.region);
  const ecsDeploy = await import('@shipgate/ecs-deploy');
  const ports = await deployPortsFor(clients, target);
  const state = await ecsDeploy.observeDeployState(target, ports);
  const plan = ecsDeploy.planDeploy(state, release, target, taskDefinition, {
    ifBusy,
    wait,
    timeScale: controllerTimeScale(clients, loaded.config, ctx.env),
    taskStartMs: taskStartMs(clients),
    force: v.force,
  });

  if (dryRun) {
    const json = {
      dryRun: true,
      gate: gateOutcome,
      ...(breakGlass ? { breakGlass } : {}),
      action: plan.action,
      reason: plan.reason,
      release: release.id,
      environment: environment.name,
      controller: ports.controller.kind,
      routing: plan.routing,
      budgetMs: plan.wait === 'traffic' ? plan.budget.untilTrafficMs : plan.budget.totalMs,
      budget: plan.budget,
      taskDefinition: plan.taskDefinition,
      // What the controller would be asked to start (for CodeDeploy: the AppSpec and deployment configuration).
      controllerRequest: ports.controller.preview(ecsDeploy.startInput(plan, '<TASK_DEFINITION>')),
    };
    return {
      json,
      human: renderDeployPlanHuman(
        `dry run: ${gateOutcome === 'pass' ? 'the promotion gate passes; ' : breakGlass ? `the promotion gate blocks; break glass by ${breakGlass.by} (${breakGlass.evidenceId}); ` : ''}would ${plan.action} (${plan.reason}); budget ${formatDuration(json.budgetMs)}; nothing changed`,
        json,
      ),
    };
  }

  // A refusal changes nothing, so it records no deployment (runDeploy throws DEPLOY_IN_FLIGHT).
  if (plan.action === 'refuse') await ecsDeploy.runDeploy(plan, ports, { clock: ctx.clock, sleep: async () => {} });
  // One ledger record per controller deployment: a re-run that attaches continues the record it finds,
  // also one whose run was killed before it could note the controller's id.
  const inLedger = await ledger.deployments.inFlight(service.name, environment.name);
  await finishStaleRecords(
    inLedger,
    plan.inFlightId,
    ports.controller,
    ledger.deployments,
    actor,
    ecsDeploy.endedOutcome,
  );
  const existing =
    plan.action === 'attach'
      ? (inLedger.find((d) => d.controllerDeploymentId === plan.inFlightId) ??
        inLedger.find((d) => d.releaseId === release.id && !d.controllerDeploymentId))
      : undefined;
  const { newRecordId } = await import('@shipgate/ledger');
  let record: DeploymentRecord =
    existing ??
    (
      await ledger.deployments.start(
        {
          id: newRecordId('dep', ctx.clock, cryptoRandom),
          releaseId: release.id,
          service: service.name,
          environment: environment.name,
          digest: release.digest,
          controller: ports.controller.kind,
          kind: 'deploy',
          startedBy: actor,
          startedAt: ctx.clock.now().toISOString(),
          outcome: 'in-progress',
          ...(decisionId ? { decisionId } : {}),
          ...(breakGlass ? { breakGlass } : {}),
          ...(plan.inFlightId && plan.action === 'attach' ? { controllerDeploymentId: plan.inFlightId } : {}),
        },
        actor,
      )
    ).deployment;

  let pendingWrite: Promise<unknown> = Promise.resolve();
  // The console shows the deployment in flight from this (#16); a write that fails costs a notice.
  const recorder = progressRecorder({
    write: (progress) => ledger.deployments.update(record.id, { progress }, actor),
    clock: ctx.clock,
    onWriteFailed: (error) =>
      ctx.progress(`could not record the deploy's progress in the ledger (the deploy goes on): ${String(error)}`),
  });
  const onProgress = (event: DeployEvent) => {
    ctx.progress(progressLine(event));
    recorder.observe(event);
    if (
      event.type === 'started' ||
      (event.type === 'attached' && record.controllerDeploymentId !== event.deploymentId)
    ) {
      const id = event.deploymentId;
      pendingWrite = pendingWrite
        .then(() => ledger.deployments.update(record.id, { controllerDeploymentId: id }, actor))
        .then((r) => (record = r));
    }
  };
  ctx.progress(`deploying ${release.id} (${service.name}) to ${environment.name}: ${plan.reason}`);
  let report: DeployReport;
  try {
    report = await ecsDeploy.runDeploy(plan, ports, {
      clock: ctx.clock,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      onProgress,
    });
  } catch (error) {
    await recorder.stop();
    await pendingWrite.catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as ShipgateError).code;
    // A deployment that started keeps running when shipgate stops following it (deadline passed, AWS
    // unreachable): its record stays in progress for a re-run to attach to. A lost race started
    // nothing: stopped. Anything else before the start: failed.
    const started = Boolean(record.controllerDeploymentId) && code !== 'DEPLOY_IN_FLIGHT';
    const patch = started
      ? { failure: message }
      : {
          outcome: (code === 'DEPLOY_IN_FLIGHT' ? 'stopped' : 'failed') as DeploymentOutcome,
          failure: message,
          finishedAt: ctx.clock.now().toISOString(),
        };
    await ledger.deployments.update(record.id, patch, actor).catch(() => undefined);
    throw error;
  }
  await recorder.stop();
  await pendingWrite;
  const progress = recorder.latest();
  record = await ledger.deployments.update(
    record.id,
    {
      outcome: ecsDeploy.recordedOutcome(report),
      ...(report.deploymentId ? { controllerDeploymentId: report.deploymentId } : {}),
      ...(report.taskDefinitionArn ? { taskDefinitionArn: report.taskDefinitionArn } : {}),
      // A record's duration runs from its own start: for a run that attached after a crash, from the
      // first run's start (how long the deployment took), not from the attaching run's (report.durationMs).
      ...(report.outcome !== 'traffic-shifted'
        ? { finishedAt: report.finishedAt, durationMs: Date.parse(report.finishedAt) - Date.parse(record.startedAt) }
        : {}),
      ...(report.failure ? { failure: report.failure.summary, failureLines: report.failure.lines } : {}),
      ...observations(report),
      ...(progress ? { progress } : {}),
      ...(report.outcome === 'already-running' ? { reason: 'the release already ran; nothing was deployed' } : {}),
      ...(report.outcome === 'traffic-shifted'
        ? { reason: 'production traffic moved; the original is baking (termination wait)' }
        : {}),
    },
    actor,
  );
  const failed = report.outcome === 'failed' || report.outcome === 'rolled-back';
  await ctx.stepSummary(renderDeploySummary(report, record));
  return {
    exitCode: failed ? 1 : 0,
    json: {
      deployment: record,
      outcome: report.outcome,
      durationMs: report.durationMs,
      budgetMs: report.budgetMs,
      trafficTimeline: report.trafficTimeline,
      verification: report.verification,
      failure: report.failure,
      report,
    },
    human: renderDeployHuman(report, record),
  };
}

/** Ledger records left in progress by a crashed run whose controller deployment has since ended. */
async function finishStaleRecords(
  records: DeploymentRecord[],
  attaching: string | undefined,
  controller: { status(id: string): Promise<DeploymentView> },
  store: { update(id: string, patch: Partial<DeploymentRecord>, actor: string): Promise<DeploymentRecord> },
  actor: string,
  endedOutcome: (status: DeploymentView) => DeploymentOutcome | undefined,
): Promise<void> {
  for (const r of records) {
    if (!r.controllerDeploymentId || r.controllerDeploymentId === attaching) continue;
    const s = await controller.status(r.controllerDeploymentId).catch(() => undefined);
    const outcome = s && endedOutcome(s);
    if (!s || !outcome) continue;
    await store.update(
      r.id,
      { outcome, reason: `finished while no shipgate process followed it (controller: ${s.controllerStatus})` },
      actor,
    );
  }
}

/** What the deploy saw, kept on its record so that the console can draw it after the process is gone. */
function observations(report: DeployReport): Partial<DeploymentRecord> {
  const v = report.verification;
  return {
    ...(report.trafficTimeline.length ? { trafficTimeline: report.trafficTimeline } : {}),
    ...(report.lifecycle.length
      ? {
          lifecycle: report.lifecycle.map((e) => ({
            name: e.name,
            status: e.status,
            ...(e.startedAt ? { startedAt: e.startedAt.toISOString() } : {}),
            ...(e.endedAt ? { endedAt: e.endedAt.toISOString() } : {}),
            ...(e.diagnostics?.message ? { message: e.diagnostics.message } : {}),
          })),
        }
      : {}),
    ...(v
      ? { verification: { passed: v.passed, requests: v.requests, succeeded: v.succeeded, failures: v.failures } }
      : {}),
  };
}
