// Settings of the load tests, read from k6's __ENV (set by `shipgate stress` / `shipgate qa`).
// Pure functions with no k6 import, so that vitest can pin them down.

/** One k6 ramping stage: reach `target` virtual users over `duration`. */
export interface Stage {
  duration: string;
  target: number;
}

/** What the stress script needs to know, all from the environment. */
export interface StressSettings {
  baseUrl: string;
  releaseId: string;
  peakVus: number;
  durationSeconds: number;
  paths: string[];
}

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Parses a k6-style duration (`90s`, `2m`, `1m30s`, `500ms`, or bare seconds) into seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== trimmed)
    throw new Error(`expected a duration such as 90s, 2m or 1m30s, found "${text}"`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unitSeconds[p[2] ?? 's'] ?? 1), 0);
}

/**
 * Ramp up over the first fifth, hold the peak for three fifths, ramp down over the last fifth:
 * the hold is what makes the run count as stress, the ramps keep the service's warm-up out of it.
 */
export function stressStages(peakVus: number, durationSeconds: number): Stage[] {
  const ramp = Math.max(1, Math.round(durationSeconds / 5));
  const hold = Math.max(1, Math.round(durationSeconds) - 2 * ramp);
  return [
    { duration: `${ramp}s`, target: peakVus },
    { duration: `${hold}s`, target: peakVus },
    { duration: `${ramp}s`, target: 0 },
  ];
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`expected ${name} in the environment (shipgate sets it), found nothing`);
  return value;
}

function positiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`expected ${name} to be a whole number of at least 1, found "${raw}"`);
  return value;
}

/** The service's address without a trailing slash. */
export function readBaseUrl(env: Record<string, string | undefined>): string {
  const url = required(env, 'BASE_URL');
  if (!/^https?:\/\//.test(url)) throw new Error(`expected BASE_URL to start with http:// or https://, found "${url}"`);
  return url.replace(/\/+$/, '');
}

/** Reads BASE_URL, RELEASE_ID, PEAK_VUS (default 20), DURATION (default 2m) and STRESS_PATHS. */
export function readStressSettings(env: Record<string, string | undefined>): StressSettings {
  const paths = (env.STRESS_PATHS ?? '/release,/health')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const bad = paths.find((p) => !p.startsWith('/'));
  if (bad !== undefined) throw new Error(`expected every STRESS_PATHS entry to start with "/", found "${bad}"`);
  if (paths.length === 0) throw new Error('expected STRESS_PATHS to name at least one path, found none');
  return {
    baseUrl: readBaseUrl(env),
    releaseId: required(env, 'RELEASE_ID'),
    peakVus: positiveInteger(env, 'PEAK_VUS', 20),
    durationSeconds: parseDuration(env.DURATION ?? '2m'),
    paths,
  };
}
