/**
 * The normalised summaries that evidence records carry. Parsers produce them; the gate reads only these,
 * never the raw files, so a new input format needs a parser and nothing else.
 */

/** One failed or errored test case, as shown to a release manager. */
export interface FailedCase {
  suite: string;
  name: string;
  classname?: string;
  kind: 'failure' | 'error';
  message: string;
}

/** A count a report declared in its attributes that differs from the count of its test cases. */
export interface AttributeMismatch {
  field: 'tests' | 'failures' | 'errors' | 'skipped';
  declared: number;
  counted: number;
}

/** QA results parsed from a JUnit XML report; counts come from the test cases themselves. */
export interface QaSummary {
  format: 'junit';
  /** The runner recognised from the report's shape, when it is recognisable. */
  runner?: 'vitest' | 'jest' | 'pytest' | 'playwright' | 'surefire';
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  durationSeconds: number;
  suites: number;
  /** The first failed cases (at most `maxFailedCases`, default 20). */
  failedCases: FailedCase[];
  /** Present when the report's own attributes disagree with the counted test cases. */
  attributeMismatches?: AttributeMismatch[];
  /** The exit code of the QA command, when `shipgate qa` ran it (not for a file added with `evidence add`). */
  commandExitCode?: number;
}

/** One threshold of a load test and whether it held. */
export interface StressThreshold {
  metric: string;
  expression: string;
  passed: boolean;
  /** The statistic the expression reads, from the summary; `passed` was checked against it. */
  observed?: number;
}

/** One k6 check, flattened out of its group. */
export interface StressCheck {
  name: string;
  /** `::group::name`, as k6 writes it. */
  path: string;
  passes: number;
  fails: number;
}

/** Stress results in one shape, whichever tool or file format produced them. */
export interface StressSummary {
  tool: 'k6' | 'autocannon';
  format: 'summary-export' | 'handle-summary' | 'autocannon';
  thresholds: StressThreshold[];
  checks: StressCheck[];
  httpRequests?: number;
  failedRequests?: number;
  /** Failed requests / all requests, 0..1. */
  failedRequestRate?: number;
  iterations?: number;
  /** Peak virtual users (k6) or connections (autocannon). */
  peakVus?: number;
  /** Test run duration; undefined when the format does not record it (summary-export). */
  durationMs?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** autocannon reports p97.5 but no p95; p97.5 ≥ p95, so it is a safe stand-in for a p95 limit. */
  p975Ms?: number;
  /** The URL the load was sent to, when known. */
  target?: string;
  /** The environment whose production listener `target` is, as `shipgate stress` resolved it; absent for any other URL. */
  listenerOf?: string;
  /** Facts a reader needs to interpret the numbers ("summary-export records no test duration"). */
  notes: string[];
}

/** An approval (or rejection) of a release for an environment. */
export interface ApprovalSummary {
  approver: string;
  state: 'approved' | 'rejected';
  comment: string;
  via: 'cli' | 'github';
}

/** An emergency override of a freeze window, always recorded. */
export interface OverrideSummary {
  by: string;
  reason: string;
  /** The freeze window it lifts (its name in the policy); an override lifts only that one. */
  freeze?: string;
  /** When it stops lifting the freeze (ISO time). */
  expiresAt?: string;
}
