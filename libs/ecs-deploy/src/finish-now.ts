import { err, ok, ShipgateError, type Clock, type Result } from '@shipgate/model';
import {
  isTerminalPhase,
  type DeploymentControllerPort,
  type DeploymentPhase,
  type DeploymentView,
  type SkippableWait,
} from './ports';

/** What `finish now` will skip, decided before anything changes (a dry run prints it and stops). */
export interface FinishNowPlan {
  deploymentId: string;
  phase: 'shifting' | 'baking';
  /** The controller's own word for its state. */
  controllerStatus: string;
  skip: SkippableWait;
  /** Percent of production traffic on the replacement when planned. */
  replacementWeight: number;
}

/** Why there is nothing to finish now, as a value with what to do instead. */
export interface FinishNowRefusal {
  code: 'NOTHING_TO_FINISH' | 'FINISH_NOT_POSSIBLE';
  situation: 'nothing-in-flight' | 'not-verified-yet' | 'rolling-back' | 'controller-cannot-skip';
  message: string;
  hint: string;
  deploymentId?: string;
  phase?: DeploymentPhase;
}

/**
 * Decides what `finish now` skips in the deployment in flight. Pure. Only waits after verification
 * passed are skippable: the remaining canary or linear waits while traffic shifts, and the bake
 * (termination wait) once all of it moved. Verification is never skipped, and a controller that cannot
 * skip a wait (some cannot shorten a traffic-shift interval) is refused in words, with what it can do.
 */
export function planFinishNow(
  view: DeploymentView | undefined,
  controller: Pick<DeploymentControllerPort, 'label' | 'skippableWaits'>,
  where: { environment: string; service: string },
): Result<FinishNowPlan, FinishNowRefusal> {
  const status = `shipgate status ${where.environment} --service ${where.service}`;
  const of = `${where.service} in ${where.environment}`;
  if (!view || isTerminalPhase(view.phase))
    return err({
      code: 'NOTHING_TO_FINISH',
      situation: 'nothing-in-flight',
      message: `no deployment of ${of} is in flight${view ? ` (${view.id} ended ${view.phase})` : ''}; nothing to finish`,
      hint: `Check with \`${status}\`.`,
      ...(view ? { deploymentId: view.id, phase: view.phase } : {}),
    });
  const green = view.sides.find((s) => s.label === 'Green')?.trafficWeight ?? 0;
  const base = { deploymentId: view.id, phase: view.phase };
  if (view.phase === 'starting' || view.phase === 'verifying')
    return err({
      code: 'FINISH_NOT_POSSIBLE',
      situation: 'not-verified-yet',
      message: `deployment ${view.id} of ${of} is ${view.phase}; finish now skips only the waits after verification through the test listener passed (traffic shift, bake), never the verification itself`,
      hint: `Run it again once \`${status}\` shows it shifting or baking.`,
      ...base,
    });
  if (view.phase === 'rolling-back')
    return err({
      code: 'NOTHING_TO_FINISH',
      situation: 'rolling-back',
      message: `deployment ${view.id} of ${of} is rolling back; nothing to finish`,
      hint: `Watch it with \`${status}\`.`,
      ...base,
    });
  const skip: SkippableWait = view.phase === 'shifting' ? 'shift' : 'bake';
  if (!controller.skippableWaits.has(skip))
    return err({
      code: 'FINISH_NOT_POSSIBLE',
      situation: 'controller-cannot-skip',
      message: `deployment ${view.id} of ${of} is shifting production traffic (${green}% on the replacement); ${controller.label} offers no way to skip the remaining canary or linear waits`,
      hint: controller.skippableWaits.has('bake')
        ? `Run it again once \`${status}\` shows it baking: finish now then ends the bake (termination wait).`
        : `Wait for the deployment to finish (\`${status}\`).`,
      ...base,
    });
  return ok({
    deploymentId: view.id,
    phase: skip === 'shift' ? 'shifting' : 'baking',
    controllerStatus: view.controllerStatus,
    skip,
    replacementWeight: green,
  });
}

/** What finishing now did. */
export interface FinishNowReport {
  deploymentId: string;
  skipped: SkippableWait;
  /** The phase it was in, and the one it was in when this run stopped watching. */
  before: DeploymentPhase;
  after: DeploymentPhase;
  /** True when the deployment had already left the wait (another run, or it ended on its own). */
  alreadyPast: boolean;
  elapsedMs: number;
}

/**
 * Skips the wait, then watches until the deployment has left it (the bake ends in `finished` once the
 * original is removed), within `deadlineMs`. A wait that ended between planning and the call (another
 * run, the controller's own timer) is no failure: the report says it was already past.
 */
export async function runFinishNow(
  plan: FinishNowPlan,
  controller: Pick<DeploymentControllerPort, 'finishNow' | 'status'>,
  options: { clock: Clock; sleep: (ms: number) => Promise<void>; pollMs?: number; deadlineMs: number },
): Promise<FinishNowReport> {
  const { clock } = options;
  const started = clock.now().getTime();
  const elapsed = () => clock.now().getTime() - started;
  const left = (phase: DeploymentPhase) => phase !== plan.phase;
  let alreadyPast = false;
  try {
    await controller.finishNow(plan.deploymentId, plan.skip);
  } catch (error) {
    const now = await controller.status(plan.deploymentId);
    if (!left(now.phase)) throw error;
    alreadyPast = true;
  }
  for (;;) {
    const view = await controller.status(plan.deploymentId);
    if (left(view.phase))
      return {
        deploymentId: plan.deploymentId,
        skipped: plan.skip,
        before: plan.phase,
        after: view.phase,
        alreadyPast,
        elapsedMs: elapsed(),
      };
    if (elapsed() > options.deadlineMs) {
      throw new ShipgateError(
        'DEPLOY_TIMEOUT',
        `expected deployment ${plan.deploymentId} to leave its ${plan.skip === 'bake' ? 'bake (termination wait)' : 'traffic-shift waits'} within ${Math.round(options.deadlineMs / 1000)} s of finish now, found it still ${view.phase} (${view.controllerStatus})`,
        {
          hint: 'The request was accepted; the controller may still be removing the original. Check with `shipgate status`.',
          details: { deploymentId: plan.deploymentId, phase: view.phase },
        },
      );
    }
    await options.sleep(options.pollMs ?? 500);
  }
}
