// The blue/green runtime both controllers share: the replacement task set beside the original, its health,
// and the weights that move traffic between their target groups.
export { healthPollMs, waitReplacementHealthy, type HealthWait } from './replacement';
export { shiftSteps, splitWeights, type ShiftPlan, type TrafficRoute, type TrafficStep } from './traffic';
