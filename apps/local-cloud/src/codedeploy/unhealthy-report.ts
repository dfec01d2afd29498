import type { TaskSetView } from '../contract';

const MAX_OUTPUT_LINES = 5;

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].map(([v, n]) => (n > 1 ? `${v} (x${n})` : v)).join(', ');
}

/**
 * Says why a replacement task set is not healthy, for the on-call engineer reading the deployment's error:
 * the healthy count, the target group's reasons, and the stopped tasks with their exit codes and last output.
 */
export function describeUnhealthy(view: TaskSetView, targetGroupName: string): string {
  const parts = [
    `Replacement task set ${view.id}: ${view.healthyTargets} of ${view.computedDesiredCount} targets healthy in target group ${targetGroupName}, ${view.runningCount} running, ${view.pendingCount} pending.`,
  ];
  if (view.unhealthyReasons.length > 0) parts.push(`Unhealthy targets: ${countBy(view.unhealthyReasons)}.`);
  if (view.stoppedTasks.length > 0) {
    const reasons = view.stoppedTasks.map((t) =>
      t.exitCode === undefined ? t.stoppedReason : `${t.stoppedReason} (exit code ${t.exitCode})`,
    );
    parts.push(`${view.stoppedTasks.length} task(s) stopped: ${countBy(reasons)}.`);
    const last = view.stoppedTasks[view.stoppedTasks.length - 1];
    const lines = last ? last.lastOutput.slice(-MAX_OUTPUT_LINES) : [];
    if (last && lines.length > 0) parts.push(`Last output of ${last.taskArn}: ${lines.join(' | ')}`);
  }
  return parts.join(' ');
}
