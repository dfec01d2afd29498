import type { Release, ServiceTarget } from '@shipgate/model';

/** The promotion gate's answer, as deploy needs it. */
export type GateVerdict =
  | { outcome: 'pass'; decisionId?: string }
  | { outcome: 'block'; decisionId?: string; summary: string; report: unknown };

/**
 * The single call site of the promotion gate in `shipgate deploy`: called for environments with a
 * promotion policy, after every input check and before any change in the cloud. Wired by the CLI's
 * registry (libs/promotion-gate); with no gate wired, such environments refuse to deploy.
 */
export type DeployGate = (input: {
  release: Release;
  environment: string;
  target: ServiceTarget;
  actor: string;
  /** A dry run: evaluate only, record no decision. */
  preview?: boolean;
}) => Promise<GateVerdict>;
