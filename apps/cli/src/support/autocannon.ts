import { createRequire } from 'node:module';
import type { AutocannonResultLike } from '@shipgate/promotion-gate';

/** One autocannon run against a URL, checking that every response names the release under test. */
export async function runAutocannon(options: {
  url: string;
  releaseId: string;
  seconds: number;
  connections: number;
  onTick?: (line: string) => void;
}): Promise<{ result: AutocannonResultLike; durationMs: number; version: string }> {
  const { default: autocannon } = await import('autocannon');
  const version = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
  const started = performance.now();
  let ticks = 0;
  const result = await new Promise<AutocannonResultLike>((resolveRun, rejectRun) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        // A response counts only if it names the release under test (the release-identity check).
        verifyBody: (body) => String(body ?? '').includes(`"release":"${options.releaseId}"`),
      },
      (error: Error | null, res: unknown) => (error ? rejectRun(error) : resolveRun(res as AutocannonResultLike)),
    );
    (instance as unknown as NodeJS.EventEmitter).on('tick', (counter: { counter: number }) => {
      ticks++;
      if (ticks % 5 === 0) options.onTick?.(`${ticks} s: ${counter.counter} requests in the last second`);
    });
  });
  return { result, durationMs: Math.round(performance.now() - started), version };
}
