import { Agent, request } from 'node:http';

/** What a continuous probe saw. */
export interface ProbeResult {
  requests: number;
  failures: { status: number; error?: string }[];
  /** Release id per request, in completion order. */
  releases: string[];
}

/**
 * Sends GETs through a listener without pause over keep-alive connections (like a browser or a
 * client library would) until stopped, recording status and the x-release-id of every answer.
 */
export function startProbe(url: string, concurrency = 4): { stop(): Promise<ProbeResult>; count(): number } {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const result: ProbeResult = { requests: 0, failures: [], releases: [] };
  let running = true;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          result.requests++;
          result.releases.push(String(res.headers['x-release-id'] ?? ''));
          if (res.statusCode !== 200) result.failures.push({ status: res.statusCode ?? 0 });
          resolve();
        });
        res.on('error', (e) => {
          result.requests++;
          result.failures.push({ status: 0, error: e.message });
          resolve();
        });
      });
      req.on('error', (e) => {
        result.requests++;
        result.failures.push({ status: 0, error: e.message });
        resolve();
      });
      req.end();
    });
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) await one();
  });
  return {
    count: () => result.requests,
    async stop() {
      running = false;
      await Promise.all(workers);
      agent.destroy();
      return result;
    },
  };
}

/** Polls `check` every 100 ms until it holds or `ms` passes. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** GET a URL once with a fresh connection; the x-release-id header, or undefined when it did not answer 200. */
export async function releaseAt(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { headers: { connection: 'close' } });
    await res.arrayBuffer();
    return res.status === 200 ? (res.headers.get('x-release-id') ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}
