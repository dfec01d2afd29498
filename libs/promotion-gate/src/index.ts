/**
 * @shipgate/promotion-gate: nothing reaches production untested.
 *
 * Parsers turn evidence files into normalised summaries (`parseJunit`, `readK6Summary`, `fromAutocannon`);
 * `build-evidence` wraps a summary into a hashed Evidence record for the ledger; `evaluateGate` decides,
 * purely, from the ledger's evidence, the policy and an injected `now`; `render-decision` shows the
 * Decision to people, machines and GitHub job summaries. The effectful edges are `runK6` (spawns k6) and
 * `fetchGithubApprovals` (GitHub REST).
 */

// Summaries carried by evidence records.
export type {
  QaSummary,
  FailedCase,
  AttributeMismatch,
  StressSummary,
  StressThreshold,
  StressCheck,
  ApprovalSummary,
  OverrideSummary,
} from './summaries';

// Reading evidence files.
export type { EvidenceSource, ParsedReport } from './read-source';
export { defaultMaxEvidenceBytes, formatBytes } from './read-source';
export type { JunitParseOptions } from './parse-junit';
export { parseJunit } from './parse-junit';
export type { K6SummaryOptions } from './parse-k6-summary';
export { parseK6Summary, parseK6SummaryText, readK6Summary } from './parse-k6-summary';
export type { K6ThresholdExpression, K6ThresholdOperator } from './k6-threshold';
export { parseK6Threshold } from './k6-threshold';
export type { AutocannonResultLike, AutocannonMeta } from './from-autocannon';
export { fromAutocannon } from './from-autocannon';

// Evidence records.
export type { EvidenceContext } from './build-evidence';
export { buildEvidence, qaEvidence, stressEvidence, approvalEvidence, overrideEvidence } from './build-evidence';
export type { QaRun } from './qa-run';
export { qaRunEvidence } from './qa-run';
export { isIntact } from './select-evidence';
export { evidenceCodec, evidencePredicateType } from './evidence-statement';
export { verifyEvidence, evidenceSignerProblem, type GateTrust } from './verify-evidence';
export { approverStanding, type ApproverStanding } from './approver-standing';
export { verifiedRelease, type VerifiedRelease } from './verified-release';

// The decision.
export type { GateInput } from './evaluate-gate';
export { evaluateGate } from './evaluate-gate';
export { overrideLifetimeMs } from './checks/check-freeze';
export type { ParityObservation } from './checks/check-parity';
export { isInsideFreezeWindow, localWallTime, describeFreezeWindow } from './freeze-windows';
export type { LocalWallTime } from './freeze-windows';
export { renderDecisionTable, renderDecisionJson, renderDecisionMarkdown, decisionHeadline } from './render-decision';
export { describeStressRun } from './describe-stress-run';

// Effectful edges.
export type { GithubApprovalsOptions, GithubApproval } from './github-approvals';
export { fetchGithubApprovals } from './github-approvals';
export type { RunK6Options, K6RunResult, K6RunProvenance, BundledScript } from './run-k6';
export { runK6, bundleK6Script, findK6, k6Version, k6RunArguments } from './run-k6';
