import { contentHash, type Evidence } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { verificationOf } from './verification';

const digest = 'sha256:' + '1'.repeat(64);
const summary = { tests: 3, failures: 0 };
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
    expect(verificationOf(evidence(), { digest })).toMatchObject({ state: 'unsigned', signer: 'ci' });
  });
  it('edited after it was recorded: altered, as the gate sees it', () => {
    expect(verificationOf(evidence({ summary: { tests: 300, failures: 0 } }), { digest }).state).toBe('altered');
  });
  it('about another digest: invalid, never counts', () => {
    const other = verificationOf(evidence({ digest: 'sha256:' + '2'.repeat(64) }), { digest });
    expect(other.state).toBe('invalid');
    expect(other.summary).toMatch(/never counts/);
  });
});
