import type { DeploymentPhase, DeploymentSide, LifecycleEventView, SkippableWait } from './ports';
import type { VerificationReport } from './verify-replacement';

/** One progress event of a deploy; `elapsedMs` and `budgetMs` let a renderer show time against the deadline. */
export type DeployEvent = { elapsedMs: number; budgetMs: number } & (
  | { type: 'registered'; taskDefinitionArn: string }
  /** `controller`: the controller's name for people (its port's label). */
  | { type: 'started'; deploymentId: string; controller: string }
  | { type: 'attached'; deploymentId: string; reason: string }
  | { type: 'waiting-for-other'; deploymentId: string; status: DeploymentPhase }
  | { type: 'superseding'; deploymentId: string }
  /** `status` is the controller's own word for it. */
  | { type: 'status'; deploymentId: string; phase: DeploymentPhase; status: string }
  | { type: 'lifecycle'; deploymentId: string; event: LifecycleEventView }
  | { type: 'sides'; deploymentId: string; sides: DeploymentSide[] }
  | { type: 'traffic'; deploymentId: string; blue: number; green: number }
  | { type: 'replacement-health'; deploymentId: string; targetGroup: string; summary: string }
  | { type: 'verifying'; deploymentId: string; url: string; requests: number }
  | { type: 'verified'; deploymentId: string; report: VerificationReport }
  /** `ready`: verification passed; `shift` / `bake`: finish now skipped that wait. */
  | { type: 'continued'; deploymentId: string; wait: 'ready' | SkippableWait }
  | { type: 'stopping'; deploymentId: string; reason: string }
  | { type: 'poll-failed'; deploymentId: string; message: string; attempt: number }
);

/** One point of the traffic split over time (percent of production traffic on the original and the replacement). */
export interface TrafficPoint {
  atMs: number;
  blue: number;
  green: number;
}

/** Describes an event in one line for people. */
export function describeDeployEvent(event: DeployEvent): string {
  switch (event.type) {
    case 'registered':
      return `registered task definition ${event.taskDefinitionArn}`;
    case 'started':
      return `started ${event.controller} deployment ${event.deploymentId}`;
    case 'attached':
      return `attached to deployment ${event.deploymentId}: ${event.reason}`;
    case 'waiting-for-other':
      return `waiting for deployment ${event.deploymentId} (${event.status}) to finish`;
    case 'superseding':
      return `stopping deployment ${event.deploymentId} with rollback (--if-busy supersede)`;
    case 'status':
      return `deployment ${event.deploymentId}: ${event.phase} (${event.status})`;
    case 'lifecycle':
      return `  ${event.event.name}: ${event.event.status}${event.event.diagnostics?.message ? ` (${event.event.diagnostics.message})` : ''}`;
    case 'sides':
      return `  tasks: ${event.sides.map((t) => `${t.label} ${t.runningCount}/${t.desiredCount} running`).join(', ')}`;
    case 'traffic':
      return `  production traffic: original ${event.blue}% / replacement ${event.green}%`;
    case 'replacement-health':
      return `  replacement targets in ${event.targetGroup}: ${event.summary}`;
    case 'verifying':
      return `  verifying the replacement through the test listener: ${event.requests} requests to ${event.url}`;
    case 'verified':
      return event.report.passed
        ? `  verified: ${event.report.succeeded}/${event.report.requests} requests named the release`
        : `  verification FAILED: ${event.report.failures.join('; ')}`;
    case 'continued':
      return event.wait === 'ready'
        ? '  continuing: production traffic may move'
        : event.wait === 'shift'
          ? '  finishing now: skipping the remaining traffic-shift waits'
          : '  finishing now: ending the bake (termination wait)';
    case 'poll-failed':
      return `  reading deployment ${event.deploymentId} failed (attempt ${event.attempt}, will retry): ${event.message}`;
    case 'stopping':
      return `  stopping deployment ${event.deploymentId} with rollback: ${event.reason}`;
  }
}
