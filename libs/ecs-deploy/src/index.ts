export * from './ports';
export * from './infra-port';
export { renderTaskDefinition, type TemplateValues, type TemplateExpectations } from './render-task-definition';
export {
  computeDeployBudget,
  isPredefinedConfig,
  trafficRoutingOf,
  type DeployBudget,
  type BudgetOptions,
  type TrafficRouting,
} from './deploy-budget';
export { buildAppSpec, fillAppSpec, taskDefinitionOfAppSpec, taskDefinitionPlaceholder } from './app-spec';
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
export { runDeploy, type DeployReport, type DeployOutcomeKind, type RunDeployOptions } from './run-deploy';
export { recordedOutcome, endedOutcome } from './deployment-outcome';
export {
  followDeployment,
  trafficSplit,
  terminalStatuses,
  type FollowResult,
  type FollowContext,
} from './follow-deployment';
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
