import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { cryptoRandom, formatDuration, type ErrorCode } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment, requireService } from '../support/config';
import { controllerTimeScale, deployPortsFor, taskStartMs } from '../support/deploy-ports';
import { localListenerUrlFor } from '../support/service-url';

/** `shipgate rollback <env> --service S`: one command, seconds while the old task set lives, minutes after. */
export const command = defineCommand({
  name: 'rollback',
  usage:
    'shipgate rollback <env> --service S [--to R [--force]] [--reason TEXT] [--key FILE | --ci | --authorisation FILE] [--dry-run]',
  examples: [
    'shipgate rollback production --service sample-service --reason "5xx after deploy" --key ~/.ssh/id_ed25519',
    'shipgate rollback production --service sample-service --reason "5xx after deploy" --ci',
    'shipgate rollback production --service sample-service --dry-run',
    'shipgate rollback production --service sample-service --to rel-3f9a --reason "bad migration" --json',
  ],
  description: [
    'A deployment in flight or baking (the original still up: termination wait, bake time) is stopped with rollback: traffic returns to the original at once.',
    'Otherwise, when the release serving is not the last known good one (the newest deployment here that succeeded and was not rolled back; never merely the previous revision), the last known good release is redeployed all at once through the same engine as `shipgate deploy` (verified through the test listener before production traffic moves), with no gate and no freeze window; when the release serving is the last known good one and nothing went wrong since it was deployed, the known good release before it is.',
    'Right after a rollback (or a deploy that ended rolled back) the last known good release already serves: rollback without --to then changes nothing and lists the earlier known good releases; name one with --to R to go further back. Running it twice is safe.',
    'A rollback whose run died (killed, connection lost) is finished by running the same command again: it follows the rollback in flight to the end and completes its ledger record.',
    "When trust.environments.<env>.rollback names people, the rollback must be authorised: a short statement (environment, service, the release restored, reason, time, a nonce) signed with the SSH key of one of them (--key, or ssh-agent) or with the environment's CI key (--ci; the default inside GitHub Actions without ssh-agent), verified against the trust policy before anything changes, valid for 10 minutes and once. --as counts for nothing. The dry run signs it too and shows who was verified; its --json output can be passed to --authorisation within 10 minutes.",
    'It reports the time to restore: from the start of the command (for a resumed rollback, of the first run) until all production traffic is served by the restored release. Every rollback is recorded and audited with who and why.',
  ].join('\n'),
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: 'The service to roll back (may be left out when only one is configured)',
    },
    to: {
      type: 'string',
      placeholder: 'R',
      description:
        'Redeploy this release (it must have succeeded here before); the way to go further back after a rollback',
    },
    force: {
      type: 'boolean',
      description: 'With --to: redeploy even a release that never succeeded here (recorded as forced)',
    },
    reason: {
      type: 'string',
      placeholder: 'TEXT',
      description: 'Why: recorded in the ledger and the audit log ("not given" otherwise)',
    },
    key: {
      type: 'string',
      placeholder: 'FILE',
      description:
        'Your SSH private key, listed in the allowed-signers file, to sign the rollback authorisation with (default: ssh-agent at SSH_AUTH_SOCK)',
    },
    ci: {
      type: 'boolean',
      description: "Sign the rollback authorisation with the environment's CI identity (in its CI job)",
    },
    authorisation: {
      type: 'string',
      placeholder: 'FILE',
      description:
        'A rollback authorisation signed earlier (the --json output of the same rollback with --dry-run), at most 10 minutes old; used once',
    },
    'dry-run': { type: 'boolean', description: 'Show the plan and who authorised it, and stop' },
  },
  positionals: [{ name: 'environment', required: true, description: 'The environment to roll back, e.g. production' }],
  async run(ctx) {
    const startedAt = ctx.clock.now();
    const [rollback, { exitCodeFor, errorCatalogue, resolveServiceTarget }] = await Promise.all([
      import('@shipgate/rollback'),
      import('@shipgate/model'),
    ]);
    const v = ctx.values;
    if (v.force && v.to === undefined) {
      const { ShipgateError } = await import('@shipgate/model');
      throw new ShipgateError('USAGE', 'expected --force only together with --to R, found --force alone', {
        hint: 'Without --to, rollback picks the last known good release, which needs no forcing.',
      });
    }
    const loaded = await ctx.config();
    const service = requireService(loaded, v.service);
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const target = resolveServiceTarget(loaded.config, environment.name, service.name);
    const [clients, ledger, actor] = await Promise.all([ctx.aws(target.region), ctx.ledger(), ctx.actor()]);
    const settings = clients.settings;
    const templateFile = resolve(loaded.dir, service.taskDefinition);
    const templateText = await readFile(templateFile, 'utf8').catch(() => undefined);
    const ports = rollback.createRollbackPorts(target, {
      deploy: await deployPortsFor(clients, target),
      elbv2: clients.elbv2,
      // Only a release with no task definition recorded needs the template (--to R --force).
      ...(templateText !== undefined
        ? { taskDefinitionTemplate: { text: templateText, file: service.taskDefinition } }
        : {}),
      ledger,
      clock: ctx.clock,
      random: cryptoRandom,
      actor,
      // local-cloud's listeners are real ports on loopback; its DNS names are decorative.
      ...(settings.local && settings.endpoint ? { urlFor: await localListenerUrlFor(settings.endpoint) } : {}),
    });
    const { to, reason } = v;
    let state = await rollback.gatherRollbackState(target, ports, { ...(to ? { to } : {}) });
    const deadlines = rollback.rollbackDeadlines(target);
    if (!v['dry-run']) {
      // Rollback records a dead run left in progress, and that no one can resume, are closed first.
      const healed = await rollback.healAbandonedRollbacks(state, ports, {
        clock: ctx.clock,
        longestWaitMs: deadlines.redeployMs,
        actor,
      });
      for (const h of healed) ctx.warn(`ledger record ${h.id} closed as ${h.outcome}: ${h.why}`);
      if (healed.length) state = await rollback.gatherRollbackState(target, ports, { ...(to ? { to } : {}) });
    }
    const planned = rollback.planRollback(state, {
      actor,
      ...(reason !== undefined ? { reason } : {}),
      ...(to ? { to } : {}),
      force: v.force,
    });

    if (!planned.ok) {
      const refusal = planned.error;
      if (!v['dry-run']) {
        await ports.ledger.appendAudit({
          actor,
          action: 'rollback.refused',
          subject: { service: target.service, environment: target.environment },
          details: {
            situation: refusal.situation,
            reason: reason?.trim() || rollback.REASON_NOT_GIVEN,
            ...(to ? { to } : {}),
          },
        });
      }
      return {
        exitCode: exitCodeFor(errorCatalogue[refusal.code as ErrorCode].source),
        json: {
          outcome: 'nothing-to-roll-back',
          alreadyRestored: rollback.isAlreadyRestored(refusal),
          ...refusal,
          service: target.service,
          environment: target.environment,
        },
        human: `${refusal.code}: ${rollback.describeRefusal(refusal)}`,
      };
    }
    let plan = planned.value;
    // Break glass (#12.6): a release that never succeeded here needs a verified override, and is recorded so.
    if (plan.path === 'redeploy' && plan.forced) {
      const { requireBreakGlass } = await import('../support/break-glass');
      const release = await ledger.releases.get(plan.restore.releaseId!);
      plan = { ...plan, breakGlass: await requireBreakGlass(ctx, loaded, ledger, release, environment.name) };
    }
    // Who may roll back (#12.3): verified by signature before anything changes; --as grants nothing.
    const { authoriseRollback } = await import('../support/rollback-authorisation');
    const authorisation = await authoriseRollback(ctx, loaded, plan, state.deployments, {
      ...(v.key !== undefined ? { key: v.key } : {}),
      ...(v.authorisation !== undefined ? { authorisation: v.authorisation } : {}),
      ci: v.ci,
    }).catch(async (error: unknown) => {
      if (!v['dry-run'] && (error as { code?: string }).code === 'ROLLBACK_NOT_AUTHORISED') {
        await ports.ledger.appendAudit({
          actor,
          action: 'rollback.refused',
          subject: { service: target.service, environment: target.environment },
          details: { situation: 'not-authorised', reason: plan.reason, refusal: (error as Error).message },
        });
      }
      throw error;
    });
    if (authorisation) plan = { ...plan, authorisation };
    const authorisedBy = authorisation
      ? `\nauthorised by ${authorisation.by} (${authorisation.identity === 'person' ? `SSH key ${authorisation.keyId}` : authorisation.identity}, verified), until ${authorisation.expiresAt}`
      : '';
    if (v['dry-run'])
      return {
        json: { outcome: 'dry-run', plan, ...(authorisation ? { authorisation } : {}) },
        human: `${rollback.describePlan(plan)}${authorisedBy}\n(dry run: nothing was changed)`,
      };

    ctx.progress(`${rollback.describePlan(plan)}${authorisedBy}`);
    const report = await rollback.runRollback(plan, ports, {
      clock: ctx.clock,
      startedAt,
      deadlines,
      target,
      timeScale: controllerTimeScale(clients, loaded.config, ctx.env),
      taskStartMs: taskStartMs(clients),
      onProgress: (p) => ctx.progress(`[${formatDuration(p.elapsedMs).padStart(8)}] ${p.message}`),
    });
    const human = rollback.describeReport(report);
    await ctx.stepSummary(
      `### Rollback of ${report.service} in ${report.environment}: ${report.outcome}\n\n| path | restored release | time to restore | reason | by |\n| --- | --- | --- | --- | --- |\n| ${report.path} | ${report.restoredReleaseId ?? '-'} | ${report.timeToRestoreMs !== undefined ? formatDuration(report.timeToRestoreMs) : '-'} | ${report.reason.replace(/\|/g, '\\|')} | ${report.actor} |\n`,
    );
    const failureCode = report.failure?.code as ErrorCode | undefined;
    return {
      exitCode:
        report.outcome === 'restored'
          ? 0
          : failureCode && failureCode in errorCatalogue
            ? exitCodeFor(errorCatalogue[failureCode].source)
            : 1,
      json: { outcome: report.outcome, plan, report },
      human,
    };
  },
});
