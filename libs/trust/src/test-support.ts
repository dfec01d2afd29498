// Shared by this library's tests: real keys made in the test (ssh-keygen, node:crypto), and one
// statement of each predicate type. Not exported from the package.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStatement, type Statement } from './statement';
import { APPROVAL_PREDICATE_TYPE, type ApprovalPredicate } from './predicates/approval';
import { QA_CONFIGURATION_NAME, TEST_RESULT_PREDICATE_TYPE, type TestResultPredicate } from './predicates/test-result';

export const digest = `sha256:${'ab'.repeat(32)}`;
export const otherDigest = `sha256:${'cd'.repeat(32)}`;
export const binding = { service: 'sample-service', releaseId: 'rel-3f9a0c1d2e4b5a69', environment: 'production' };
export const now = new Date('2026-12-01T12:00:00Z');

/** A scratch directory, removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-trust-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new SSH key made by ssh-keygen: its private key path and public key line. */
export function sshKeygen(
  dir: string,
  name: string,
  type: 'ed25519' | 'ecdsa' | 'rsa',
  passphrase = '',
): { path: string; publicLine: string } {
  const path = join(dir, name);
  const bits = type === 'rsa' ? ['-b', '3072'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', passphrase, '-C', name, '-f', path]);
  return { path, publicLine: readFileSync(`${path}.pub`, 'utf8').trim() };
}

/** A release manager's approval for `binding`. */
export function approvalStatement(overrides: Partial<ApprovalPredicate> = {}): Statement<ApprovalPredicate> {
  return createStatement({
    subjectDigest: digest,
    subjectName: 'registry.example/sample',
    predicateType: APPROVAL_PREDICATE_TYPE,
    predicate: { ...binding, decidedAt: '2026-12-01T11:00:00Z', reason: 'release notes read', ...overrides },
  });
}

/** A QA run's test-result statement for `binding` in staging. */
export function qaStatement(environment = 'staging'): Statement<TestResultPredicate> {
  return createStatement({
    subjectDigest: digest,
    subjectName: 'registry.example/sample',
    predicateType: TEST_RESULT_PREDICATE_TYPE,
    predicate: {
      result: 'PASSED',
      configuration: [
        {
          name: QA_CONFIGURATION_NAME,
          uri: 'https://github.com/example/shipgate/actions/runs/42',
          annotations: {
            ...binding,
            environment,
            command: 'npx vitest run --config apps/sample-service/qa/vitest.qa.config.ts',
            exitCode: 0,
            startedAt: '2026-12-01T10:00:00Z',
            finishedAt: '2026-12-01T10:02:00Z',
          },
        },
      ],
      url: 'https://github.com/example/shipgate/actions/runs/42',
      passedTests: ['health answers 200', 'orders list is paginated'],
      warnedTests: [],
      failedTests: [],
    },
  });
}
