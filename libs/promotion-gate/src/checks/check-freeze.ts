import { expandPeople } from '@shipgate/model';
import type { Evidence, PromotionPolicy, RequirementResult } from '@shipgate/model';
import { describeFreezeWindow, isInsideFreezeWindow, localWallTime } from '../freeze-windows';
import type { OverrideSummary } from '../summaries';
import { requirement } from './requirement';

/** An override asked for now (e.g. `shipgate gate production --emergency-override REASON`), or one recorded as evidence. */
export interface OverrideRequest extends OverrideSummary {
  evidence?: Evidence<OverrideSummary>;
}

/**
 * The freeze requirement: outside every window passes; inside one blocks unless an emergency override by
 * an allowed person (with a reason, when the policy requires one) exists, and the decision says who and why.
 */
export function checkFreeze(
  policy: PromotionPolicy,
  now: Date,
  overrides: readonly OverrideRequest[],
): RequirementResult {
  const id = 'freeze';
  const title = 'Freeze windows';
  const windows = policy.freezeWindows;
  const required = `outside ${windows.map((w) => w.name).join(', ')}, or an override`;
  const active = windows.filter((w) => isInsideFreezeWindow(w, now));
  if (!active.length) {
    const local = localWallTime(now, windows[0]?.timeZone ?? 'UTC');
    return requirement(
      id,
      title,
      'pass',
      required,
      `not frozen at ${local.date} ${local.time.slice(0, 5)} ${local.timeZone}`,
      `outside every freeze window (${windows.map((w) => w.name).join(', ')})`,
    );
  }
  const inside = active
    .map((w) => {
      const local = localWallTime(now, w.timeZone);
      return `inside freeze window ${describeFreezeWindow(w)}: it is ${local.weekday} ${local.date} ${local.time.slice(0, 5)} there`;
    })
    .join('; ');
  const rule = policy.emergencyOverride;
  const allowed = rule ? expandPeople(rule.allowedBy, policy.approvals?.teams ?? {}) : [];
  const refused: string[] = [];
  for (const o of overrides) {
    if (!rule) {
      refused.push(`override by ${o.by} refused: this policy allows no emergency override`);
      continue;
    }
    if (!allowed.includes(o.by.toLowerCase()))
      refused.push(`override by ${o.by} refused: not in emergencyOverride.allowedBy (${rule.allowedBy.join(', ')})`);
    else if (rule.requireReason && o.reason.trim() === '')
      refused.push(`override by ${o.by} refused: the policy requires a reason`);
    else {
      const evidence = o.evidence ? [o.evidence] : [];
      return requirement(
        id,
        title,
        'pass',
        required,
        `frozen; emergency override by ${o.by}`,
        `${inside}; emergency override by ${o.by}${o.reason ? `: "${o.reason}"` : ''} (recorded in the audit log)`,
        evidence,
      );
    }
  }
  const how = rule ? `; in an emergency, ${rule.allowedBy.join(' or ')} may override with a reason` : '';
  return requirement(
    id,
    title,
    'fail',
    required,
    `frozen (${active.map((w) => w.name).join(', ')})`,
    `${inside}${refused.length ? `; ${refused.join('; ')}` : how}`,
  );
}
