import type { CloudTime } from './contract';

/**
 * CodeDeploy's clock: `timeScale` N makes N CodeDeploy milliseconds pass per real millisecond.
 * `now()` is a virtual clock anchored at creation, so timestamps and scaled sleeps agree.
 */
export function createCloudTime(timeScale: number, realNow: () => number = Date.now): CloudTime {
  if (!(timeScale >= 1)) throw new RangeError(`timeScale must be >= 1; found ${timeScale}`);
  const anchor = realNow();
  return {
    timeScale,
    scaled: (ms) => ms / timeScale,
    now: () => new Date(anchor + (realNow() - anchor) * timeScale),
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
