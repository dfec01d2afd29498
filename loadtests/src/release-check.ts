import type { Response } from 'k6/http';

/**
 * The name of the k6 check that proves the load hit the release under test. The production policy
 * (`promotion.stress.releaseCheck` in shipgate.yaml) requires a check of exactly this name to pass.
 */
export const RELEASE_CHECK = 'serves the release under test';

/** The parts of a k6 answer (types from @types/k6) that identify the release. */
type Answer = Pick<Response, 'headers' | 'body' | 'url'>;

function header(answer: Answer, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(answer.headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * True when the answer identifies `releaseId`: the `x-release-id` header names it, and on `/release`
 * the JSON body's `release` names it too (the header alone could come from a proxy cache).
 */
export function servesRelease(answer: Answer, releaseId: string): boolean {
  if (header(answer, 'x-release-id') !== releaseId) return false;
  if (!/\/release(\?|$)/.test(answer.url)) return true;
  try {
    const body = JSON.parse(typeof answer.body === 'string' ? answer.body : '') as { release?: unknown };
    return body.release === releaseId;
  } catch {
    return false;
  }
}
