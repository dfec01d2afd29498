import { contentHash, type Evidence } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { verificationOf } from './verification';

// Without a trust policy: what the ledger alone can tell. With one, verifyEvidence decides (tested in the
// browser test over a real, signed run, and in promotion-gate's own tests).
const digest = 'sha256:' + '1'.repeat(64);
const release = { id: 'rel-1', service: 'api', digest };
const summary = { tests: 3, failures: 0 };
const now = new Date('2026-12-01T11:00:00Z');
const evidence = (over: Partial<Evidence> = {}): Evidence => ({
  id: 'ev-1',
  kind: 'qa',
  releaseId: 'rel-1',
  service: 'api',
  digest,
  environment: 'staging',
  recordedAt: '2026-12-01T10:00:00.000Z',
  origin: { actor: 'ci', where: 'local' },
  contentHash: contentHash(summary),
  summary,
  ...over,
});

describe('the verification status of a piece of evidence', () => {
  it('intact but unsigned: says whose word the origin is', () => {
    expect(verificationOf(evidence(), release, undefined, now)).toMatchObject({ state: 'unsigned', signer: 'ci' });
  });
  it('edited after it was recorded: altered, as the gate sees it', () => {
    expect(verificationOf(evidence({ summary: { tests: 300, failures: 0 } }), release, undefined, now).state).toBe(
      'altered',
    );
  });
  it('about another digest: invalid, never counts', () => {
    const other = verificationOf(evidence({ digest: 'sha256:' + '2'.repeat(64) }), release, undefined, now);
    expect(other.state).toBe('invalid');
    expect(other.summary).toMatch(/never counts/);
  });
  it('a trust policy that could not be loaded verifies nothing, and says why', () => {
    const status = verificationOf(evidence(), release, new Error('no trust section'), now);
    expect(status.state).toBe('unsigned');
    expect(status.summary).toContain('not verified (no trust section)');
  });
});
