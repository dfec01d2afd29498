export * from './ports';
export * from './rollback-plan';
export {
  inFlightNow,
  abandonedDeployments,
  knownGoodReleases,
  lastFinished,
  lastFinishedDetermined,
  lastKnownGood,
  lastKnownGoodDetermined,
  latestDeploymentOf,
  ledgerServingDetermined,
  ledgerServingReleaseId,
  newestFirst,
  rolledBackIds,
  rollbackTarget,
  type LastKnownGoodOptions,
  type ReadHorizon,
  type RollbackTarget,
} from './last-known-good';
export { planRollback } from './plan-rollback';
export { runRollback, type RollbackProgress, type RollbackReport, type RunRollbackOptions } from './run-rollback';
export {
  allTrafficOn,
  checkTrafficRestored,
  pollUntil,
  type PollOptions,
  type TrafficVerification,
} from './wait-for-traffic';
export { ledgerRollbackPort } from './adapters/ledger-rollback-port';
export { gatherRollbackState, rollbackDeadlines, servingRelease } from './gather-rollback-state';
export { redeployThroughEngine, type EngineContext, type EngineRedeploy } from './redeploy-through-engine';
export { createRollbackPorts, type RollbackPortsDeps } from './adapters/create-rollback-ports';
export { elbListenerTraffic, type ListenerTrafficOptions } from './adapters/elb-listener-traffic';
export { httpReleaseProbe } from './adapters/http-release-probe';
export { describePlan, describeRefusal, describeReport } from './describe-rollback';
export { liveServiceStatus, type LiveServiceStatus } from './live-service-status';
export { templateTaskDefinitionSource, type TemplateTaskDefinitionDeps } from './adapters/template-task-definitions';
export { healAbandonedRollbacks, type HealedRollback } from './heal-abandoned-rollbacks';
export { rollbackOutlook, servingOutsideLedger, type RollbackOutlook } from './rollback-outlook';
