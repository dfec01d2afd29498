import { describe, expect, it } from 'vitest';
import { contentHash } from '@shipgate/model';
import { approvalEvidence, overrideEvidence } from './build-evidence';
import { isIntact } from './select-evidence';
import { context, qaFrom, recordedAt, release, stressFrom } from './testing/gate-fixtures';

describe('building evidence records', () => {
  it('records a QA summary with its content hash, source hash and runner', async () => {
    const e = await qaFrom('vitest-pass.junit.xml');
    expect(e).toMatchObject({
      kind: 'qa',
      releaseId: release.id,
      service: 'sample-service',
      digest: release.digest,
      environment: 'staging',
      recordedAt: recordedAt.toISOString(),
      origin: { actor: 'ci-bot', tool: 'vitest' },
    });
    expect(e.id).toMatch(/^ev-qa-[0-9a-f]{16}$/);
    expect(e.contentHash).toBe(contentHash(e.summary));
    expect(e.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(isIntact(e)).toBe(true);
    expect(isIntact({ ...e, summary: { ...e.summary, tests: 26 } })).toBe(false);
  });

  it('names the stress tool from the summary, never assuming k6', async () => {
    const e = await stressFrom('k6-pass.handle-summary.json', {}, (s) => ({ ...s, tool: 'autocannon' }));
    expect(e.origin.tool).toBe('autocannon');
  });

  it('gives the same id to the same fact and different ids to different ones', async () => {
    expect((await qaFrom('vitest-pass.junit.xml')).id).toBe((await qaFrom('vitest-pass.junit.xml')).id);
    expect((await qaFrom('vitest-pass.junit.xml')).id).not.toBe((await qaFrom('vitest-mixed.junit.xml')).id);
  });

  it('records approvals and overrides with who, how and why', () => {
    const a = approvalEvidence(
      { approver: 'alice', comment: 'ok', via: 'github' },
      context({ environment: 'production' }),
    );
    expect(a.summary).toEqual({ approver: 'alice', state: 'approved', comment: 'ok', via: 'github' });
    expect(a.kind).toBe('approval');
    const o = overrideEvidence({ by: 'alice', reason: 'hotfix' }, context({ environment: 'production' }));
    expect(o).toMatchObject({ kind: 'override', summary: { by: 'alice', reason: 'hotfix' } });
  });
});
