// A continuous probe through a listener: keep-alive GETs from a few concurrent loops, recording for
// each request its time, status and the release that answered (x-release-id). Used by the rehearsal to
// prove zero failed requests across deploys and rollbacks.
import http from 'node:http';

/** Starts probing `url`; `stop()` resolves with the samples. */
export function startProbe(url, { concurrency = 4, path = '/release', timeoutMs = 5000, pauseMs = 2 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(path, url);
  const samples = [];
  let running = true;
  const started = Date.now();

  const once = () =>
    new Promise((resolve) => {
      const at = Date.now() - started;
      const req = http.get(target, { agent, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => {
          samples.push({ at, status: res.statusCode, release: res.headers['x-release-id'] ?? null });
          resolve();
        });
        res.on('error', (error) => {
          samples.push({ at, status: 0, release: null, error: error.code ?? error.message });
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) => {
        samples.push({ at, status: 0, release: null, error: error.code ?? error.message });
        resolve();
      });
    });

  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      await once();
      // A short pause keeps the probe from taking the CPU the deploy under test needs.
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  });

  return {
    /** When the probe started (ms since the epoch); samples' `at` counts from here. */
    startedAt: started,
    get count() {
      return samples.length;
    },
    get failures() {
      return samples.filter((s) => s.status !== 200).length;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return samples;
    },
  };
}

/** Sums samples per release and per time bucket, for the report. */
export function summariseProbe(samples, { bucketMs = 5000, names = {} } = {}) {
  const failed = samples.filter((s) => s.status !== 200);
  const byRelease = {};
  for (const s of samples)
    if (s.status === 200)
      byRelease[names[s.release] ?? s.release] = (byRelease[names[s.release] ?? s.release] ?? 0) + 1;
  const timeline = [];
  for (const s of samples) {
    const bucket = Math.floor(s.at / bucketMs);
    timeline[bucket] ??= { fromMs: bucket * bucketMs, served: {}, failed: 0 };
    if (s.status === 200) {
      const name = names[s.release] ?? s.release;
      timeline[bucket].served[name] = (timeline[bucket].served[name] ?? 0) + 1;
    } else timeline[bucket].failed++;
  }
  const errors = {};
  for (const s of failed) errors[s.error ?? `HTTP ${s.status}`] = (errors[s.error ?? `HTTP ${s.status}`] ?? 0) + 1;
  return { sent: samples.length, failed: failed.length, byRelease, errors, timeline: timeline.filter(Boolean) };
}

/** Waits until `url` answers 200 (the environment serves), or throws at the deadline. */
export async function waitUntilServing(url, { path = '/health', deadlineMs = 90_000 } = {}) {
  const until = Date.now() + deadlineMs;
  let last = 'no answer';
  while (Date.now() < until) {
    try {
      const response = await fetch(new URL(path, url));
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 on ${path} within ${deadlineMs / 1000} s (last: ${last})`);
}
