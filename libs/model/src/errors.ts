/**
 * The error catalogue. Every user-facing failure carries a stable code from here, a message that says
 * what was expected and what was found, a hint naming the next thing to try, and a source that decides
 * the exit code. Expected failures (a gate that blocks) are values, not errors: see result.ts.
 */

/** Who is at fault, which decides the exit code. */
export type ErrorSource = 'user' | 'infrastructure' | 'internal' | 'blocked';

/** Documented exit codes: README "Exit codes". */
export const ExitCode = {
  ok: 0,
  blocked: 1,
  usage: 2,
  infrastructure: 3,
  internal: 4,
} as const;

/** Every stable error code with its source and a one-line meaning (listed in `shipgate help errors`). */
export const errorCatalogue = {
  USAGE: { source: 'user', meaning: 'The command line is not valid (unknown flag, missing argument).' },
  CONFIG_NOT_FOUND: { source: 'user', meaning: 'The configuration file does not exist.' },
  CONFIG_SYNTAX: { source: 'user', meaning: 'The configuration file is not valid YAML.' },
  CONFIG_INVALID: { source: 'user', meaning: 'The configuration does not match the schema.' },
  CONFIG_TOO_LARGE: { source: 'user', meaning: 'The configuration file is larger than shipgate reads (1 MiB).' },
  UNKNOWN_SERVICE: { source: 'user', meaning: 'No service of that name is configured.' },
  UNKNOWN_ENVIRONMENT: { source: 'user', meaning: 'No environment of that name is configured.' },
  IMAGE_NOT_PINNED: { source: 'user', meaning: 'An image reference has no sha256 digest.' },
  IMAGE_INVALID: { source: 'user', meaning: 'An image reference does not follow the OCI reference grammar.' },
  RELEASE_NOT_FOUND: { source: 'user', meaning: 'No release with that id is in the ledger.' },
  RELEASE_AMBIGUOUS: { source: 'user', meaning: 'A release id prefix matches more than one release.' },
  RELEASE_SERVICE_MISMATCH: { source: 'user', meaning: 'The release belongs to another service.' },
  COMMIT_NOT_FOUND: {
    source: 'user',
    meaning: 'A commit or commit range named on the command line is not in the repository, or names no author.',
  },
  LEDGER_CORRUPT: { source: 'infrastructure', meaning: 'A ledger record could not be read back.' },
  LEDGER_LOCKED: {
    source: 'infrastructure',
    meaning: 'The ledger stayed locked by another process past the deadline.',
  },
  STATE_UNREACHABLE: { source: 'infrastructure', meaning: 'The ledger store (directory or bucket) could not be used.' },
  AUDIT_CHAIN_BROKEN: { source: 'blocked', meaning: 'The audit log was edited, truncated or reordered.' },
  EVIDENCE_INVALID: { source: 'user', meaning: 'An evidence file could not be parsed as the format it claims.' },
  EVIDENCE_TOO_LARGE: { source: 'user', meaning: 'An evidence file is larger than the configured limit.' },
  EVIDENCE_UNSAFE: {
    source: 'user',
    meaning: 'An evidence file uses a construct that is refused (DOCTYPE, entities).',
  },
  GATE_BLOCKED: { source: 'blocked', meaning: 'The promotion gate said no.' },
  APPROVAL_REFUSED: { source: 'user', meaning: 'The approval is not allowed (author, not a release manager).' },
  LOAD_TEST_FAILED: { source: 'infrastructure', meaning: 'The load tool (k6) crashed or could not run the script.' },
  QA_RUN_FAILED: { source: 'user', meaning: 'The QA command did not run or wrote no JUnit report.' },
  TOOL_NOT_INSTALLED: { source: 'user', meaning: 'An external tool (k6) is not installed.' },
  DATA_POLICY_REAL: { source: 'user', meaning: 'Seeding an environment whose data policy is real is refused.' },
  DATABASE_IS_PRODUCTION: { source: 'user', meaning: 'The database identifies itself as production.' },
  DATABASE_NOT_MARKED: {
    source: 'user',
    meaning: 'The database is not marked synthetic for this environment (no marker, or another environment).',
  },
  DATABASE_URL_INVALID: {
    source: 'user',
    meaning: 'A database URL is malformed or has an unsupported scheme (checked before connecting).',
  },
  DATABASE_UNREACHABLE: { source: 'infrastructure', meaning: 'The database could not be reached.' },
  DATASET_INVALID: { source: 'user', meaning: 'A dataset declaration is not valid.' },
  DATA_NOT_SYNTHETIC: { source: 'blocked', meaning: '`data verify` found real-looking personal data.' },
  AWS_ERROR: { source: 'infrastructure', meaning: 'An AWS call failed.' },
  AWS_NOT_FOUND: { source: 'user', meaning: 'An AWS resource does not exist (run bootstrap?).' },
  DEPLOY_IN_FLIGHT: { source: 'blocked', meaning: 'Another deployment to this environment and service is in flight.' },
  DEPLOY_FAILED: { source: 'blocked', meaning: 'The deployment failed or was rolled back.' },
  DEPLOY_TIMEOUT: { source: 'infrastructure', meaning: 'A wait ran past its deadline.' },
  TEMPLATE_INVALID: { source: 'user', meaning: 'The task-definition template is not valid.' },
  NOTHING_TO_ROLL_BACK: {
    source: 'blocked',
    meaning:
      'Nothing in flight, and no last known good release to restore (none at all, or it already serves: after a rollback, name an earlier one with --to).',
  },
  NOTHING_TO_FINISH: {
    source: 'blocked',
    meaning: 'finish now found no deployment in flight (or one rolling back): nothing to skip.',
  },
  FINISH_NOT_POSSIBLE: {
    source: 'blocked',
    meaning:
      'finish now found the deployment in no wait it may skip now: before verification passed, or in a wait its controller cannot skip (CodeDeploy traffic-shift intervals).',
  },
  SIGNING_KEY_INVALID: {
    source: 'user',
    meaning: 'A signing key (SSH key file, rehearsal key) is missing, unreadable or of an unsupported type.',
  },
  ALLOWED_SIGNERS_INVALID: {
    source: 'user',
    meaning: 'An allowed-signers file has a line ssh-keygen would not accept.',
  },
  SSH_AGENT_FAILED: {
    source: 'infrastructure',
    meaning: 'ssh-agent (SSH_AUTH_SOCK) could not be reached, or refused to sign.',
  },
  PROFILE_NOT_ALLOWED: {
    source: 'user',
    meaning: 'A policy profile weakens policy, and was selected against a target that is not local-cloud.',
  },
  POLICY_NOT_PINNED: {
    source: 'blocked',
    meaning: 'The policy governing the environment is not the pinned one (the shipgate.yaml committed at HEAD).',
  },
  BREAK_GLASS_REQUIRED: {
    source: 'blocked',
    meaning:
      'The release never passed the gate for the environment: deploying or rolling back to it needs a verified break-glass override.',
  },
  ROLLBACK_NOT_AUTHORISED: {
    source: 'blocked',
    meaning:
      "The environment's trust policy names who may roll back, and the rollback was not signed by one of them (or by the environment's CI identity).",
  },
  NETWORK_ERROR: { source: 'infrastructure', meaning: 'A network call failed.' },
  INFRA_CHECK_FAILED: {
    source: 'blocked',
    meaning: 'A synthesized stack has cdk-nag AwsSolutions findings that are not acknowledged with a reason.',
  },
  INTERNAL: { source: 'internal', meaning: 'A bug in shipgate. Please report it with the output above.' },
} as const satisfies Record<string, { source: ErrorSource; meaning: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof errorCatalogue;

/** Where in the input the problem is: a config path, a file and line, an AWS resource. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  path?: string;
}

/** Options for a ShipgateError beyond its code and message. */
export interface ShipgateErrorOptions {
  hint?: string;
  location?: ErrorLocation;
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Several problems reported at once (config validation). */
  problems?: Problem[];
}

/** One problem among several, for reports that list every problem at once. */
export interface Problem {
  code: ErrorCode;
  message: string;
  path?: string;
  line?: number;
  column?: number;
  hint?: string;
}

/** A failure meant for a person: code, message (expected vs found), hint, location. */
export class ShipgateError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: ErrorLocation | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly problems: Problem[];

  constructor(code: ErrorCode, message: string, options: ShipgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShipgateError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.details = options.details;
    this.problems = options.problems ?? [];
  }

  get source(): ErrorSource {
    return errorCatalogue[this.code].source;
  }

  get exitCode(): number {
    return exitCodeFor(this.source);
  }

  /** The shape printed under `--json`. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.location ? { location: this.location } : {}),
      ...(this.problems.length ? { problems: this.problems } : {}),
      ...(this.details ? { details: this.details } : {}),
      source: this.source,
    };
  }
}

/** Maps an error source to the documented exit code. */
export function exitCodeFor(source: ErrorSource): number {
  switch (source) {
    case 'blocked':
      return ExitCode.blocked;
    case 'user':
      return ExitCode.usage;
    case 'infrastructure':
      return ExitCode.infrastructure;
    case 'internal':
      return ExitCode.internal;
  }
}

/** True for a ShipgateError (also across duplicated module instances). */
export function isShipgateError(error: unknown): error is ShipgateError {
  return (
    error instanceof ShipgateError || (error instanceof Error && error.name === 'ShipgateError' && 'code' in error)
  );
}
