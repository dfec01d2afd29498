import type { Clock, Random } from '@shipgate/model';

/** Waits `ms` milliseconds; injected so that tests and callers can control waiting. */
export type Sleep = (ms: number) => Promise<void>;

/** A real timer. */
export const timerSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** "Full jitter" backoff: a random wait in [0, min(cap, base·2^attempt)), so racing writers spread out. */
export function jitteredBackoff(attempt: number, random: Random, baseMs = 2, capMs = 50): number {
  return random.next() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
}

/** Maps over items with at most `limit` calls in flight, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How long a writer that keeps losing races keeps trying: whichever limit comes first. */
export interface RetryPolicy {
  maxAttempts: number;
  deadlineMs: number;
}

/** Generous: losing a race means someone else made progress, so only a stuck store should hit these. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5000, deadlineMs: 30_000 };

/** Tracks one operation's attempts against its policy. */
export function retryBudget(clock: Clock, policy: Partial<RetryPolicy> = {}) {
  const { maxAttempts, deadlineMs } = { ...defaultRetryPolicy, ...policy };
  const start = clock.now().getTime();
  const deadline = new Date(start + deadlineMs).toISOString();
  return {
    /** True while another attempt is allowed. */
    allows: (attempt: number) => attempt <= maxAttempts && clock.now().getTime() - start <= deadlineMs,
    /** The limits, for the LEDGER_LOCKED message. */
    describe: (attempts: number) => `${attempts - 1} attempts, deadline ${deadline} (${deadlineMs} ms)`,
  };
}
