export * from './ports';
export * from './infra-port';
export { renderTaskDefinition, type TemplateValues, type TemplateExpectations } from './render-task-definition';
export {
  computeDeployBudget,
  ecsTrafficRouting,
  type DeployBudget,
  type BudgetOptions,
  type TrafficRouting,
} from './deploy-budget';
export {
  planDeploy,
  digestOfImage,
  isSameRelease,
  type DeployPlan,
  type DeployState,
  type DeployAction,
  type IfBusy,
  type PlanDeployOptions,
} from './plan-deploy';
export { observeDeployState, releaseOfTaskDefinition } from './observe-deploy-state';
export { runDeploy, startInput, type DeployReport, type DeployOutcomeKind, type RunDeployOptions } from './run-deploy';
export { recordedOutcome, endedOutcome } from './deployment-outcome';
export { followDeployment, trafficSplit, type FollowResult, type FollowContext } from './follow-deployment';
export { verifyReplacement, releaseOfAnswer, type VerificationReport } from './verify-replacement';
export {
  explainFailure,
  gatherFailureFacts,
  type FailureExplanation,
  type FailureEvidence,
  type TargetHealthReport,
} from './explain-failure';
export { describeDeployEvent, type DeployEvent, type TrafficPoint } from './deploy-events';
export {
  bootstrapEnvironment,
  desiredTargetGroups,
  desiredDeploymentGroup,
  settingChanges,
  settingDifferences,
  localCodeDeployRole,
  type SettingDifference,
  type BootstrapStep,
  type BootstrapReport,
  type BootstrapOptions,
} from './bootstrap-environment';
export { desiredAlarm, type AlarmSpec } from './alarm-spec';
export {
  planFinishNow,
  runFinishNow,
  type FinishNowPlan,
  type FinishNowRefusal,
  type FinishNowReport,
} from './finish-now';
export { localEcsInfrastructureRole, ecsSettingChanges } from './bootstrap-ecs-native';
