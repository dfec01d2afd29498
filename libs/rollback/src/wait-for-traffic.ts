import { ShipgateError, type Clock } from '@shipgate/model';
import type { ListenerTrafficPort, ListenerWeight, ReleaseProbePort } from './ports';

/** How a wait polls: the clock it reads, how it sleeps, how often, and when it gives up. */
export interface PollOptions {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
  /** Absolute deadline (epoch ms on `clock`). */
  deadline: number;
}

/** What proved that all production traffic reaches the restored release. */
export interface TrafficVerification {
  weights: ListenerWeight[];
  /** The release the production listener answered with, `confirmations` times in a row. */
  releaseId: string;
  confirmations: number;
}

/** True when `targetGroup` holds every unit of the listener's weight. */
export function allTrafficOn(weights: readonly ListenerWeight[], targetGroup: string): boolean {
  const total = weights.reduce((sum, w) => sum + w.weight, 0);
  return total > 0 && weights.every((w) => (w.targetGroup === targetGroup ? w.weight === total : w.weight === 0));
}

/**
 * One check of "is all production traffic served by the release?": the listener's weights point
 * wholly at `targetGroup`, then `confirmations` probes in a row through the production listener
 * answer with `releaseId` (any release when undefined). Undefined when not yet.
 */
export async function checkTrafficRestored(
  traffic: ListenerTrafficPort,
  probe: ReleaseProbePort,
  expect: { targetGroup: string; releaseId?: string; confirmations: number },
): Promise<TrafficVerification | undefined> {
  const weights = await traffic.productionWeights();
  if (!allTrafficOn(weights, expect.targetGroup)) return undefined;
  const { production } = await traffic.listenerUrls();
  let seen: string | undefined;
  for (let i = 0; i < expect.confirmations; i++) {
    const answer = await probe.whoAnswers(production);
    if (!answer.ok || !answer.releaseId) return undefined;
    if (
      expect.releaseId !== undefined
        ? answer.releaseId !== expect.releaseId
        : seen !== undefined && answer.releaseId !== seen
    )
      return undefined;
    seen = answer.releaseId;
  }
  return seen === undefined ? undefined : { weights, releaseId: seen, confirmations: expect.confirmations };
}

/** Repeats `attempt` until it yields a value; throws DEPLOY_TIMEOUT naming the deadline when it passes. */
export async function pollUntil<T>(what: string, poll: PollOptions, attempt: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    const now = poll.clock.now().getTime();
    if (now >= poll.deadline) {
      throw new ShipgateError(
        'DEPLOY_TIMEOUT',
        `expected ${what} by ${new Date(poll.deadline).toISOString()}, found it still not so at ${new Date(now).toISOString()}`,
        {
          hint: 'Run `shipgate status` to see the traffic split; run the rollback again to attach to it.',
        },
      );
    }
    await poll.sleep(Math.min(poll.pollMs, Math.max(1, poll.deadline - now)));
  }
}
