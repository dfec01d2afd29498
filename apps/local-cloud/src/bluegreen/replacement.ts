import type { EcsControl, TaskSetView } from '../contract';

/** What a controller supplies to wait for its replacement task set: its clock, its deadline and its words. */
export interface HealthWait {
  ecs: EcsControl;
  taskSetArn: string;
  /** The deadline, in cloud-time milliseconds. */
  timeoutMs: number;
  /** How often to look, in cloud-time milliseconds. */
  pollMs: number;
  /** Sleeps in cloud time; rejects when the deployment was taken over (stop, rollback, close). */
  sleep(ms: number): Promise<void>;
  /** Called with every fresh view of the replacement. */
  onView?(view: TaskSetView): void;
  /**
   * Called once when the replacement's tasks run but no listener uses its target group (every target is
   * `Target.NotInUse`), so that the controller can make the group health-checked.
   */
  attachForChecks?(): void;
  /** The error to end the wait with: the task set is gone, or the deadline passed (with its last view). */
  failure(kind: 'gone' | 'timeout', view: TaskSetView | undefined): Error;
}

/**
 * Waits until every task the replacement task set wants is running and healthy in its target group. Both
 * controllers use it: CodeDeploy's Install and ECS-native's SCALE_UP.
 */
export async function waitReplacementHealthy(w: HealthWait): Promise<TaskSetView> {
  let waited = 0;
  let attached = false;
  for (;;) {
    const view = w.ecs.describeTaskSet(w.taskSetArn);
    if (!view) throw w.failure('gone', undefined);
    w.onView?.(view);
    const want = view.computedDesiredCount;
    if (want === 0 || (view.runningCount >= want && view.healthyTargets >= want)) return view;
    const unusedOnly =
      view.runningCount >= want &&
      view.unhealthyReasons.length > 0 &&
      view.unhealthyReasons.every((r) => r === 'Target.NotInUse');
    if (unusedOnly && !attached && w.attachForChecks) {
      w.attachForChecks();
      attached = true;
      continue;
    }
    if (waited >= w.timeoutMs) throw w.failure('timeout', view);
    await w.sleep(w.pollMs);
    waited += w.pollMs;
  }
}

/** The poll interval both controllers use: often in real time whatever the scale, at most every 15 s at scale 1. */
export function healthPollMs(timeScale: number): number {
  return Math.max(1, Math.min(15_000, 250 * timeScale));
}
