import type { ParityView } from './parity-view';

/** One setting that differs between two environments. */
export interface ParityDifference {
  setting: string;
  /** `declared` (shipgate.yaml) or `live` (what runs). */
  source: 'declared' | 'live';
  /** Value in the first environment, in the second (`—` when it has none). */
  a: string;
  b: string;
  /** Why it may differ, when the config (or shipgate itself) expects it to. */
  expected?: string;
}

/** Differences shipgate always expects, whatever the config says. */
export const builtInExpectations: Readonly<Record<string, string>> = {
  dataPolicy: 'production holds real data; the environments before it only synthetic data (promise 1)',
};

/** Settings only one controller has: when the controllers are expected to differ, so are these. */
export const controllerSettings: Readonly<Record<string, readonly string[]>> = {
  CODE_DEPLOY: [
    'deploy.deploymentConfig',
    'deploy.readyAction',
    'deploy.readinessWaitMinutes',
    'deploy.terminationWaitMinutes',
    'deploy.autoRollback',
  ],
  ECS: [
    'deploy.strategy',
    'deploy.pauseStages',
    'deploy.bakeTimeInMinutes',
    'deploy.bakeTime',
    'deploy.linear',
    'deploy.canary',
  ],
};

/** Whether `setting` is named by a `parity.expect` key: exactly, or under a key ending in `.*`. */
function expectationFor(setting: string, expect: Readonly<Record<string, string>>): string | undefined {
  for (const [key, reason] of Object.entries(expect)) {
    if (key === setting) return reason;
    if (key.endsWith('.*') && setting.startsWith(key.slice(0, -1))) return reason;
  }
  return undefined;
}

/** The settings that differ between two views (pure), each marked expected when the config says so. */
export function compareParity(
  a: ParityView,
  b: ParityView,
  source: ParityDifference['source'],
  expect: Readonly<Record<string, string>>,
): ParityDifference[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const all = { ...builtInExpectations, ...expect };
  const controllers =
    a['deploy.controller'] !== b['deploy.controller'] ? expectationFor('deploy.controller', all) : undefined;
  const onlyOneController = new Set(Object.values(controllerSettings).flat());
  const out: ParityDifference[] = [];
  for (const setting of keys) {
    const va = a[setting] ?? '—';
    const vb = b[setting] ?? '—';
    if (va === vb) continue;
    const oneSided = va === '—' || vb === '—';
    const expected =
      expectationFor(setting, all) ??
      (controllers && oneSided && onlyOneController.has(setting)
        ? `a setting of one controller only; the controllers differ: ${controllers}`
        : undefined);
    out.push({ setting, source, a: va, b: vb, ...(expected ? { expected } : {}) });
  }
  return out;
}
