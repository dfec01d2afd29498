import type { CloudTime } from './contract';

/**
 * CodeDeploy's clock: `timeScale` N makes its waits (ready wait, canary and linear intervals, termination wait) N
 * times shorter. `now()` is wall-clock time, unscaled: clients compare the timestamps local-cloud reports with their
 * own clock, so a scaled one would put every deployment hours in the future.
 */
export function createCloudTime(timeScale: number, realNow: () => number = Date.now): CloudTime {
  if (!(timeScale >= 1)) throw new RangeError(`timeScale must be >= 1; found ${timeScale}`);
  return {
    timeScale,
    scaled: (ms) => ms / timeScale,
    now: () => new Date(realNow()),
    sleep: (ms, signal) => abortableSleep(ms / timeScale, signal),
  };
}

/** Sleeps `ms` real milliseconds; rejects with an AbortError when the signal fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
