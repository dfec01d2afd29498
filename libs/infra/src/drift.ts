import type { BootstrapReport } from '@shipgate/ecs-deploy';

/** One difference between what is declared and what runs. */
export interface DriftItem {
  service: string;
  resource: string;
  name: string;
  setting: string;
  /** What the live resource has (`absent` when it does not exist). */
  live: string;
  /** What shipgate.yaml declares. */
  declared: string;
  note?: string;
}

/** Drift of one environment. */
export interface DriftReport {
  environment: string;
  drifted: boolean;
  /** Resources compared, per service. */
  compared: number;
  items: DriftItem[];
}

/**
 * Drift from bootstrap's dry run, which already compares each live resource with the declared one
 * (one comparison, not a second copy): every resource it would create is absent, every setting it
 * would update differs, every resource it cannot create is missing.
 */
export function driftFromBootstrap(
  environment: string,
  reports: readonly { service: string; report: BootstrapReport }[],
): DriftReport {
  const items: DriftItem[] = [];
  let compared = 0;
  for (const { service, report } of reports) {
    for (const step of report.steps) {
      compared++;
      const base = { service, resource: step.resource, name: step.name, ...(step.note ? { note: step.note } : {}) };
      if (step.action === 'create' || step.action === 'missing') {
        items.push({ ...base, setting: 'exists', live: 'absent', declared: 'present' });
      } else if (step.action === 'update') {
        const differences = step.differences ?? [];
        if (!differences.length)
          items.push({ ...base, setting: 'settings', live: step.changes.join('; '), declared: '' });
        for (const d of differences) items.push({ ...base, setting: d.setting, live: d.found, declared: d.wanted });
      }
    }
  }
  return { environment, drifted: items.length > 0, compared, items };
}
