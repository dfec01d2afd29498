import { expandPeople } from '@shipgate/model';
import type { Evidence, PromotionPolicy, RequirementResult } from '@shipgate/model';
import { describeFreezeWindow, isInsideFreezeWindow, localWallTime } from '../freeze-windows';
import type { OverrideSummary } from '../summaries';
import { requirement } from './requirement';

/** A recorded override (signed by the person, verified before it gets here). */
export interface OverrideRequest extends OverrideSummary {
  evidence?: Evidence<OverrideSummary>;
}

/** How long an override lifts its freeze at most (it also ends with the freeze). */
export const overrideLifetimeMs = 24 * 60 * 60_000;

/** Why an override does not lift `window` now: it names another freeze, was recorded outside it, or expired. */
function overrideProblem(
  o: OverrideRequest,
  windowName: string,
  insideAt: (at: Date) => boolean,
  now: Date,
): string | undefined {
  const recordedAt = o.evidence ? new Date(o.evidence.recordedAt) : now;
  if (o.freeze !== windowName)
    return `expected an override of freeze ${windowName}, found one of ${o.freeze ?? 'no freeze'}`;
  if (!insideAt(recordedAt))
    return `expected an override recorded inside the freeze ${windowName} it lifts, found one recorded ${recordedAt.toISOString()}, outside it`;
  if (!o.expiresAt || Date.parse(o.expiresAt) <= now.getTime())
    return `expected an override that has not expired, found one that expired ${o.expiresAt ?? '(no expiry)'}`;
  return undefined;
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
    const window = active[0]!;
    const stale = overrideProblem(o, window.name, (at) => isInsideFreezeWindow(window, at), now);
    if (stale) refused.push(`override by ${o.by} refused: ${stale}`);
    else if (!allowed.includes(o.by.toLowerCase()))
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
