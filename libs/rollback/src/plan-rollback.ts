import { err, ok, type DeploymentRecord, type Result } from '@shipgate/model';
import {
  knownGoodReleases,
  lastKnownGood,
  latestDeploymentOf,
  ledgerServingReleaseId,
  newestFirst,
  rollbackTarget,
} from './last-known-good';
import {
  REASON_NOT_GIVEN,
  releaseOfRollbackDescription,
  ROLLBACK_DESCRIPTION_PREFIX,
  type RedeployRollbackPlan,
  type RefusalSituation,
  type RollbackOptions,
  type RollbackPlan,
  type RollbackRefusal,
  type RollbackState,
} from './rollback-plan';

/**
 * Decides how to roll back, from what the ledger and the controller say. Pure: no clock, no I/O.
 * In flight (or baking) → stop it with rollback; otherwise → redeploy the last known
 * good release (or `--to R`) all at once. Nothing to do, or an ambiguous request, is a refusal value
 * whose message names the commands that would act: never a prompt.
 */
export function planRollback(state: RollbackState, options: RollbackOptions): Result<RollbackPlan, RollbackRefusal> {
  const given = options.reason?.trim();
  const base = {
    service: state.service,
    environment: state.environment,
    actor: options.actor,
    reason: given || REASON_NOT_GIVEN,
    reasonGiven: Boolean(given),
  };
  const command = (extra = '') =>
    `shipgate rollback ${state.environment} --service ${state.service}${extra} --reason "<why>"`;
  const statusCommand = `shipgate status ${state.environment} --service ${state.service}`;
  const refuse = (
    situation: RefusalSituation,
    message: string,
    hint: string,
    more: Partial<RollbackRefusal> = {},
  ): Result<RollbackPlan, RollbackRefusal> =>
    err({ code: 'NOTHING_TO_ROLL_BACK', situation, message, hint, options: [], ...more });
  const records = state.deployments;
  const where = `${state.service} in ${state.environment}`;

  if (state.inFlight) {
    const flight = state.inFlight;
    const record = records.find((r) => r.controllerDeploymentId === flight.id);
    // Stopping a rollback would undo it: whether the controller made it, the ledger knows it, or only its description says so.
    const byController = flight.rollback?.triggeringDeploymentId !== undefined;
    const byShipgate = record?.kind === 'rollback' || flight.description?.startsWith(ROLLBACK_DESCRIPTION_PREFIX);
    if (byController || byShipgate) {
      const restoring =
        record?.releaseId ?? releaseOfRollbackDescription(flight.description) ?? lastKnownGood(records)?.releaseId;
      const green = flight.sides.find((t) => t.label === 'Green')?.trafficWeight ?? 0;
      // shipgate's own redeploy whose run ended (killed, lost connection) before production traffic moved:
      // a re-run follows it to the end, as a re-run of deploy does. (A controller's own rollback moved the
      // traffic back when it began, and one that bakes has moved it: nothing left to do.)
      if (byShipgate && !byController && flight.phase !== 'baking' && green < 100 && restoring) {
        const requested = state.requested?.id ?? options.to;
        if (requested !== undefined && requested !== restoring) {
          return refuse(
            'target-while-in-flight',
            `rollback ${flight.id} of ${where} to ${restoring} is in flight (${flight.phase}); a second deployment to ${requested} cannot start beside it.`,
            'Run the rollback without --to first to finish it, then run it again with --to if you still need that release.',
            { code: 'USAGE', options: [command(), command(` --to ${requested}`)] },
          );
        }
        const undone = record?.rolledBackDeploymentId
          ? records.find((r) => r.id === record.rolledBackDeploymentId)
          : undefined;
        const restoredDigest = record?.digest ?? records.find((r) => r.releaseId === restoring)?.digest;
        return ok({
          ...base,
          path: 'resume',
          resume: {
            controllerDeploymentId: flight.id,
            phase: flight.phase,
            replacementWeight: green,
            ...(record?.outcome === 'in-progress'
              ? { record: { id: record.id, startedAt: record.startedAt, startedBy: record.startedBy } }
              : {}),
          },
          ...(undone ? { rolledBack: { deploymentId: undone.id, releaseId: undone.releaseId } } : {}),
          restore: { releaseId: restoring, ...(restoredDigest ? { digest: restoredDigest } : {}) },
        });
      }
      const earlier = knownGoodReleases(records, { excludeReleaseIds: restoring ? [restoring] : [] }).map(
        (r) => r.releaseId,
      );
      return refuse(
        'rollback-in-progress',
        `deployment ${flight.id} of ${where} is itself a rollback (${flight.phase}); it restores ${restoring ?? 'the original'}. Nothing else to roll back.${earlier.length ? ` Once it has finished, --to can name an earlier known good release: ${earlier.slice(0, 3).join(', ')}.` : ''}`,
        `Watch it with \`${statusCommand}\`.`,
        {
          options: [statusCommand],
          ...(restoring ? { servingReleaseId: restoring, lastKnownGoodReleaseId: restoring } : {}),
          candidates: earlier,
        },
      );
    }
    const before = lastKnownGood(records, { ...(record ? { excludeDeploymentIds: [record.id], before: record } : {}) });
    const requested = state.requested?.id ?? options.to;
    if (requested !== undefined && requested !== before?.releaseId) {
      return refuse(
        'target-while-in-flight',
        `deployment ${flight.id} of ${where} is in flight (${flight.phase}); stopping it restores ${before?.releaseId ?? 'the original'}, not ${requested}, and a second deployment cannot start beside it.`,
        'Roll back without --to first (seconds), then run it again with --to if you still need that release.',
        {
          code: 'USAGE',
          options: [command(), command(` --to ${requested}`)],
        },
      );
    }
    const blue = flight.sides.find((t) => t.label === 'Blue');
    const green = flight.sides.find((t) => t.label === 'Green');
    return ok({
      ...base,
      path: 'fast',
      stop: {
        controllerDeploymentId: flight.id,
        phase: flight.phase,
        baking: flight.phase === 'baking',
        replacementWeight: green?.trafficWeight ?? 0,
      },
      ...(blue?.targetGroup ? { originalTargetGroup: blue.targetGroup } : {}),
      ...(record ? { rolledBack: { deploymentId: record.id, releaseId: record.releaseId } } : {}),
      restore: before ? { releaseId: before.releaseId, digest: before.digest } : {},
    });
  }

  const serving = state.liveServingReleaseId ?? ledgerServingReleaseId(records);
  const rolledBackFor = (releaseId: string | undefined) => {
    const rec = releaseId ? latestDeploymentOf(records, releaseId) : undefined;
    return rec ? { rolledBack: { deploymentId: rec.id, releaseId: rec.releaseId } } : {};
  };
  const redeploy = (
    basis: RedeployRollbackPlan['basis'],
    release: { id: string; digest: string; image?: string },
    good: DeploymentRecord | undefined,
  ): Result<RollbackPlan, RollbackRefusal> =>
    ok({
      ...base,
      ...rolledBackFor(serving),
      path: 'redeploy',
      basis,
      forced: good === undefined,
      restore: { releaseId: release.id, digest: release.digest, ...(release.image ? { image: release.image } : {}) },
      ...taskDefinitionOf(records, release.id, good),
      shift: 'all-at-once',
      gate: 'skipped',
      freezeWindows: 'ignored',
    });

  if (options.to !== undefined) {
    const release = state.requested;
    if (!release) {
      return refuse(
        'target-not-found',
        `expected --to to name a release in the ledger, found no release "${options.to}"`,
        `List releases with \`shipgate release list --service ${state.service}\`, or the deployments here with \`shipgate history ${state.environment} --service ${state.service}\`.`,
        { code: 'RELEASE_NOT_FOUND' },
      );
    }
    if (release.service !== state.service) {
      return refuse(
        'target-other-service',
        `expected --to to name a release of ${state.service}, found ${release.id} of ${release.service}`,
        `Pick one from \`shipgate history ${state.environment} --service ${state.service}\`.`,
        { code: 'RELEASE_SERVICE_MISMATCH' },
      );
    }
    if (serving === release.id) {
      return refuse(
        'target-already-serving',
        `${release.id} already serves ${where}; nothing to roll back.`,
        `Check with \`${statusCommand}\`.`,
        { servingReleaseId: serving, options: [statusCommand] },
      );
    }
    const good = lastKnownGood(records, { releaseId: release.id });
    if (!good && !options.force) {
      const tried = records.filter((r) => r.releaseId === release.id).map((r) => r.outcome);
      const found = tried.length
        ? `whose deployments here ended ${[...new Set(tried)].join(', ')}`
        : `which was never deployed to ${state.environment}`;
      return refuse(
        'target-never-succeeded',
        `expected --to to name a release whose deployment to ${state.environment} succeeded and was not rolled back, found ${release.id}, ${found}`,
        'Pick a known good release, or add --force to redeploy it anyway (recorded as forced).',
        {
          code: 'USAGE',
          options: [command(` --to ${release.id} --force`), ...(lastKnownGood(records) ? [command()] : [])],
        },
      );
    }
    return redeploy('requested', release, good);
  }

  const choice = rollbackTarget(records, serving);
  if (choice.kind === 'redeploy') {
    const good = choice.deployment;
    return redeploy('last-known-good', { id: good.releaseId, digest: good.digest }, good);
  }
  if (choice.situation === 'no-history' || choice.situation === 'no-last-known-good') {
    const found =
      records.length === 0
        ? 'no deployment of it in the ledger'
        : `${records.length} deployment(s), none of which succeeded and stayed`;
    return refuse(
      choice.situation,
      `nothing to roll back: no deployment of ${where} is in flight, and there is no last known good release (found ${found}).`,
      `Check \`shipgate history ${state.environment} --service ${state.service}\`; deploy a release with \`shipgate deploy\`.`,
      {
        ...(serving ? { servingReleaseId: serving } : {}),
      },
    );
  }
  const good = choice.lastKnownGood!;
  const known = { servingReleaseId: good.releaseId, lastKnownGoodReleaseId: good.releaseId };
  const further = choice.candidates.slice(0, 3).map((c) => command(` --to ${c.releaseId}`));
  const listed = choice.candidates
    .slice(0, 3)
    .map((c) => `${c.releaseId} (${c.kind} ${c.id}, ${c.finishedAt ?? c.startedAt})`)
    .join(', ');
  if (choice.situation === 'already-restored') {
    // A second rollback without --to does not walk further back on its own: a re-run (the runbook run
    // twice, two people on call) must not undo the release it just restored. Going further is asked for.
    return refuse(
      'already-restored',
      `nothing to roll back: no deployment of ${where} is in flight, and the last known good release ${good.releaseId} is already serving (${choice.restoredBy}).${choice.candidates.length ? ` To go further back, name the release with --to: earlier known good releases here are ${listed}.` : ' No known good release came before it.'}`,
      choice.candidates.length
        ? `Check with \`${statusCommand}\`; to restore an earlier release run \`${further[0]}\`.`
        : `Check with \`${statusCommand}\`.`,
      { ...known, options: [statusCommand, ...further], candidates: choice.candidates.map((c) => c.releaseId) },
    );
  }
  return refuse(
    'serving-is-last-known-good',
    `nothing rolled back: no deployment of ${where} is in flight, and the release serving, ${good.releaseId} (deployed by ${good.startedBy}), is the only known good release here. No known good release came before it.`,
    'Deploy a fixed release instead (`shipgate deploy`).',
    { ...known, options: [] },
  );
}

function taskDefinitionOf(
  records: readonly DeploymentRecord[],
  releaseId: string,
  good: DeploymentRecord | undefined,
): { taskDefinitionArn?: string } {
  const arn =
    good?.taskDefinitionArn ??
    newestFirst(records).find((r) => r.releaseId === releaseId && r.taskDefinitionArn)?.taskDefinitionArn;
  return arn ? { taskDefinitionArn: arn } : {};
}
