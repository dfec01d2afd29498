import type { DeploymentView } from '@shipgate/ecs-deploy';
import type { Ledger } from '@shipgate/ledger';
import {
  formatDuration,
  parseDuration,
  type Clock,
  type DeploymentOutcome,
  type DeploymentRecord,
  type ErrorCode,
} from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { deployPortsFor } from '../support/deploy-ports';

/** `shipgate finish-now <env> --service S`: skip the remaining traffic-shift waits or the bake of the deployment in flight. */
export const command = defineCommand({
  name: 'finish-now',
  usage: 'shipgate finish-now <env> --service S [--reason TEXT] [--dry-run]',
  examples: [
    'shipgate finish-now production --service sample-service --reason "verified, need the slot" --dry-run',
    'shipgate finish-now staging --service sample-service --json',
  ],
  description: [
    'Skips what is left of the waits of the deployment in flight once its verification through the test listener passed:',
    'the remaining canary or linear waits while production traffic shifts, or the bake (termination wait) after all of it moved.',
    'Skipping the bake ends the fast-rollback window: afterwards `shipgate rollback` redeploys instead of stopping.',
    'Verification is never skipped. CodeDeploy can end only the termination wait (ContinueDeployment TERMINATION_WAIT); while it shifts traffic, finish-now says so and changes nothing.',
    'Every finish-now is audited with who and why; the deployment’s ledger record is closed once it has finished.',
  ].join('\n'),
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: 'The service (may be left out when only one is configured)',
    },
    reason: {
      type: 'string',
      placeholder: 'TEXT',
      description: 'Why: recorded in the audit log ("not given" otherwise)',
    },
    'dry-run': { type: 'boolean', description: 'Show what would be skipped and stop' },
  },
  positionals: [{ name: 'environment', required: true, description: 'The environment, e.g. production' }],
  async run(ctx) {
    const [ecsDeploy, { exitCodeFor, errorCatalogue, resolveServiceTarget }] = await Promise.all([
      import('@shipgate/ecs-deploy'),
      import('@shipgate/model'),
    ]);
    const loaded = await ctx.config();
    const service = requireService(loaded, ctx.values.service);
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const target = resolveServiceTarget(loaded.config, environment.name, service.name);
    const [clients, ledger, actor] = await Promise.all([ctx.aws(target.region), ctx.ledger(), ctx.actor()]);
    const { controller } = await deployPortsFor(clients, target);
    const reason = ctx.values.reason?.trim() || 'not given';
    const inFlightId = await controller.inFlight(target);
    const view = inFlightId ? await controller.status(inFlightId) : undefined;
    const planned = ecsDeploy.planFinishNow(view, controller, target);
    const subject = { service: target.service, environment: target.environment };
    const dryRun = ctx.values['dry-run'];

    if (!planned.ok) {
      const refusal = planned.error;
      if (!dryRun)
        await ledger.audit.append({
          actor,
          action: 'deploy.finish-now.refused',
          subject,
          details: {
            situation: refusal.situation,
            reason,
            ...(refusal.deploymentId ? { controllerDeploymentId: refusal.deploymentId } : {}),
            ...(refusal.phase ? { phase: refusal.phase } : {}),
          },
        });
      return {
        exitCode: exitCodeFor(errorCatalogue[refusal.code as ErrorCode].source),
        json: { outcome: 'refused', ...refusal, ...subject },
        human: `${refusal.code}: ${refusal.message}\n  ${refusal.hint}`,
      };
    }
    const plan = planned.value;
    const what =
      plan.skip === 'bake'
        ? `end the bake (termination wait) of ${plan.deploymentId}: the original is removed now and the fast-rollback window closes`
        : `skip the remaining traffic-shift waits of ${plan.deploymentId} (${plan.replacementWeight}% on the replacement now)`;
    if (dryRun)
      return {
        json: { outcome: 'dry-run', plan, controller: controller.kind, ...subject },
        human: `dry run: finish-now would ${what}; nothing changed`,
      };

    ctx.progress(`finishing now: ${what}`);
    const deploy = target.deploy;
    let report;
    try {
      report = await ecsDeploy.runFinishNow(plan, controller, {
        clock: ctx.clock,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        // Removing the original waits for its targets to drain, then the controller's own steps.
        deadlineMs: parseDuration(deploy.deregistrationDelay) + 120_000,
      });
    } catch (error) {
      await ledger.audit.append({
        actor,
        action: 'deploy.finish-now.failed',
        subject,
        details: {
          controllerDeploymentId: plan.deploymentId,
          skip: plan.skip,
          phase: plan.phase,
          reason,
          failure: (error as Error).message,
        },
      });
      throw error;
    }
    const record = await closeLedgerRecord(ledger, subject, await controller.status(report.deploymentId), {
      endedOutcome: ecsDeploy.endedOutcome,
      clock: ctx.clock,
      actor,
      reason,
    });
    await ledger.audit.append({
      actor,
      action: 'deploy.finish-now',
      subject: { ...subject, ...(record ? { deploymentId: record.id, releaseId: record.releaseId } : {}) },
      details: {
        controllerDeploymentId: report.deploymentId,
        skipped: report.skipped,
        before: report.before,
        after: report.after,
        alreadyPast: report.alreadyPast,
        reason,
      },
    });
    return {
      json: { outcome: 'finished-now', report, ...(record ? { deployment: record } : {}), ...subject },
      human: [
        `${report.alreadyPast ? 'already past' : 'skipped'} the ${report.skipped === 'bake' ? 'bake (termination wait)' : 'traffic-shift waits'} of ${report.deploymentId}: now ${report.after} (${formatDuration(report.elapsedMs)})`,
        record ? `  ledger record ${record.id} (${record.releaseId}): ${record.outcome}` : '',
        `  audited with reason "${reason}" by ${actor}`,
      ]
        .filter(Boolean)
        .join('\n'),
    };
  },
});

/**
 * Once the deployment has ended, its in-progress ledger record (a `--wait traffic` deploy) records how,
 * by the one rule for a deployment that ended while no deploy run followed it (endedOutcome).
 */
async function closeLedgerRecord(
  ledger: Ledger,
  where: { service: string; environment: string },
  view: DeploymentView,
  deps: {
    endedOutcome: (view: DeploymentView) => DeploymentOutcome | undefined;
    clock: Clock;
    actor: string;
    reason: string;
  },
): Promise<DeploymentRecord | undefined> {
  const open = (await ledger.deployments.list(where)).find(
    (r) => r.controllerDeploymentId === view.id && r.outcome === 'in-progress',
  );
  const outcome = deps.endedOutcome(view);
  if (!open || !outcome) return open;
  const finishedAt = deps.clock.now().toISOString();
  return ledger.deployments.update(
    open.id,
    {
      outcome,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(open.startedAt),
      reason: `finished now by ${deps.actor}: ${deps.reason}`,
    },
    deps.actor,
  );
}
