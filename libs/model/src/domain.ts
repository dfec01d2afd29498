/**
 * The domain words of DESIGN.md as types: Release, Evidence, Decision, Deployment, AuditEntry.
 * These are the records the ledger stores and every capability reads.
 */

/**
 * A DSSE envelope as stored beside a ledger record (`@shipgate/trust` signs and verifies it): the
 * signature covers an in-toto Statement that carries the whole record, so every field is signed.
 */
export interface SignedEnvelope {
  payload: string;
  payloadType: string;
  signatures: { keyid: string; sig: string }[];
}

/** The environments' data policy: only `synthetic` environments may be seeded. */
export type DataPolicy = 'synthetic' | 'real';

/** An immutable release candidate: service + image pinned by digest + git SHA. Its id is derived from its content. */
export interface Release {
  /** `rel-` + first 16 hex of sha256 over the canonical content (service, image, digest, gitSha). */
  id: string;
  service: string;
  /** Full image reference including `@sha256:<digest>`. */
  image: string;
  /** `sha256:<64 hex>` */
  digest: string;
  gitSha?: string;
  /** Commit author (email or login) when known; never counted as an approver. */
  author?: string;
  /** Every author of the commit (author and Co-authored-by), read from git: none of them may approve. */
  authors?: string[];
  /** Who ran `release create`; never counted as an approver. */
  createdBy: string;
  createdAt: string;
  /** The build CI identity's signature over the whole record; the gate reads the authors only from it. */
  envelope?: SignedEnvelope;
}

/** Where a piece of evidence came from. */
export interface Origin {
  actor: string;
  /** `local`, or the GitHub Actions run URL. */
  where: string;
  githubRunId?: string;
  tool?: string;
  toolVersion?: string;
}

/** The kinds of evidence. */
export type EvidenceKind = 'qa' | 'stress' | 'approval' | 'deployment' | 'override';

/** A fact about one release in one environment, with its origin and a content hash. */
export interface Evidence<TSummary = unknown> {
  id: string;
  kind: EvidenceKind;
  releaseId: string;
  service: string;
  /** The digest the evidence is about; evidence for another digest never counts. */
  digest: string;
  environment: string;
  recordedAt: string;
  origin: Origin;
  /** sha256 (hex) of the canonical JSON of `summary`; recomputed by the gate to detect tampering. */
  contentHash: string;
  /** sha256 of the source file(s) the summary was parsed from, when there was one. */
  sourceHash?: string;
  summary: TSummary;
  /** The signed statement of this record; the gate reads every field from it, never from the file. */
  envelope?: SignedEnvelope;
}

/** Outcome of one requirement, modelled on analysis runs: observed value next to the limit. */
export type RequirementStatus = 'pass' | 'fail' | 'missing' | 'stale';

/** One requirement of a policy and how the release fared against it. */
export interface RequirementResult {
  id: string;
  title: string;
  status: RequirementStatus;
  required: string;
  observed: string;
  reason: string;
  evidenceIds?: string[];
}

/** The gate's answer for (release, environment). */
export interface Decision {
  id: string;
  releaseId: string;
  service: string;
  digest: string;
  environment: string;
  outcome: 'pass' | 'block';
  evaluatedAt: string;
  requirements: RequirementResult[];
  /** sha256 (hex) of the canonical policy that produced the decision (promotion policy and trust policy of the environments involved, allowed signers, CI keys). */
  policyDigest?: string;
  /** sha256 (hex) of the whole configuration file the decision was taken under. */
  configDigest?: string;
  /** The policy profile in force, named so that a weakened decision says so. */
  profile?: string;
  /** Where the decision's records were verified for: `local-cloud` or `aws`. */
  targetKind?: 'local-cloud' | 'aws';
}

/** Lifecycle of one deployment attempt as shipgate records it. */
export type DeploymentOutcome = 'in-progress' | 'succeeded' | 'failed' | 'rolled-back' | 'stopped';

/**
 * The verified authorisation of one rollback (#12.3): the signed statement (environment, service, the
 * release restored, reason, time, nonce) and the identity its signature was verified to come from.
 */
export interface RollbackAuthorisationRecord {
  /** The SSH principal, or the CI identity's name. */
  by: string;
  /** `person` (SSH key in the allowed-signers file) or `ci` (the environment's CI key); `local-rehearsal` only against local-cloud. */
  identity: 'person' | 'ci' | 'local-rehearsal';
  keyId: string;
  /** Single use: a rollback whose authorisation carries a nonce already recorded here is refused. */
  nonce: string;
  issuedAt: string;
  expiresAt: string;
  envelope: SignedEnvelope;
}

/** A deployment in flight as its deploy last reported it. */
export interface DeploymentProgress {
  /** The engine's phase: starting, verifying, shifting, baking, rolling-back… */
  phase: string;
  /** The controller's own word for its status (CodeDeploy `InProgress`, ECS `IN_PROGRESS`). */
  status?: string;
  /** The latest lifecycle step or check seen, in words. */
  step?: string;
  /** Percent of production traffic on the original (blue) and the replacement (green). */
  traffic?: { blue: number; green: number };
  /** When the deploy reported it. */
  reportedAt: string;
}

/** One attempt to move a release into an environment. */
export interface DeploymentRecord {
  id: string;
  releaseId: string;
  service: string;
  environment: string;
  digest: string;
  /** The controller's id (CodeDeploy `d-XXXX`). */
  controllerDeploymentId?: string;
  controller: 'codedeploy' | 'ecs';
  kind: 'deploy' | 'rollback';
  startedBy: string;
  startedAt: string;
  finishedAt?: string;
  outcome: DeploymentOutcome;
  durationMs?: number;
  taskDefinitionArn?: string;
  /** For rollbacks: the deployment rolled back, and the measured time to restore. */
  rolledBackDeploymentId?: string;
  timeToRestoreMs?: number;
  reason?: string;
  failure?: string;
  /** Production traffic split over time as the deploy observed it (ms since the deploy started, percent). */
  trafficTimeline?: { atMs: number; blue: number; green: number }[];
  /** The controller's lifecycle phases as the deploy last saw them. */
  lifecycle?: { name: string; status: string; startedAt?: string; endedAt?: string; message?: string }[];
  /**
   * What the deploy reported while it ran (#16): written by the deploying process into the record in
   * progress, so the console can show a deployment in flight with its phase and traffic split. Nothing
   * decides on it: unsigned while in progress, and the final outcome supersedes it.
   */
  progress?: DeploymentProgress;
  /** The replacement's check through the test listener. */
  verification?: { passed: boolean; requests: number; succeeded: number; failures: string[] };
  /** The failure explained, line by line, when the deploy failed or was rolled back. */
  failureLines?: string[];
  /** Set when this deploy or rollback took a release that never passed the gate for the environment. */
  breakGlass?: { by: string; evidenceId: string };
  /** The PASS decision a gated deploy rests on. */
  decisionId?: string;
  /** For a rollback where trust.environments.<env>.rollback names people: who authorised it, verified by signature. */
  authorisation?: RollbackAuthorisationRecord;
  /** The signed outcome (signed by the environment's CI identity once the deployment finished). */
  envelope?: SignedEnvelope;
}

/** One entry of the append-only, hash-chained audit log. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: { service?: string; environment?: string; releaseId?: string; deploymentId?: string };
  details: Record<string, unknown>;
  /**
   * Random hex chosen once per append: two identical appends racing from the same tail would otherwise
   * be the same bytes, and the loser would take the winner's entry for its own (entries before it have none).
   */
  nonce?: string;
  /** sha256 hex of the previous entry's `hash` (genesis: 64 zeros). */
  prevHash: string;
  /** sha256 hex over the canonical JSON of every field above. */
  hash: string;
}
