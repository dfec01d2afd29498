import { AsyncLocalStorage } from 'node:async_hooks';

/** What an operation handler may know about the call it serves. */
export interface RequestContext {
  region: string;
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with this request context visible to `currentRegion()`. */
export function withRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The region of the call being served (from its SigV4 credential scope), or the fallback outside a call. */
export function currentRegion(fallback: string): string {
  return storage.getStore()?.region ?? fallback;
}
