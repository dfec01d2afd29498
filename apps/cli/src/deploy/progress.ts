import { describeDeployEvent, type DeployEvent } from '@shipgate/ecs-deploy';
import { formatDuration } from '@shipgate/model';

/** One progress line: time spent against the deadline, then what happened. */
export function progressLine(event: DeployEvent): string {
  return `[${formatDuration(event.elapsedMs).padStart(6)} of ${formatDuration(event.budgetMs)}] ${describeDeployEvent(event)}`;
}
