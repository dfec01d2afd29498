import type { ListenerAddressResolver } from './http-smoke';

/**
 * local-cloud's loopback control endpoint (`<endpoint>/_local-cloud/…`): where a listener really
 * answers (its port may be offset or remapped) and what a task printed. Plain HTTP, so no shipgate
 * library depends on the local-cloud app.
 */
async function control<T>(endpoint: string, path: string): Promise<T | undefined> {
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, '')}/_local-cloud/${path}`);
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves listeners through local-cloud's control endpoint; falls back to the port on loopback. */
export function localCloudListenerAddress(endpoint: string): ListenerAddressResolver {
  return async (listener) => {
    const out = await control<{ listeners: { listenerArn: string; url: string }[] }>(endpoint, 'listeners');
    return out?.listeners.find((l) => l.listenerArn === listener.arn)?.url ?? `http://127.0.0.1:${listener.port}`;
  };
}

/** The last lines a local-cloud task printed. */
export function localCloudTaskOutput(endpoint: string): (taskArn: string) => Promise<string[] | undefined> {
  return async (taskArn) =>
    (await control<{ lines: string[] }>(endpoint, `tasks/${encodeURIComponent(taskArn)}/output`))?.lines;
}
