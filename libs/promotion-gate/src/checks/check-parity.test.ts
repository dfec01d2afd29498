import { describe, expect, it } from 'vitest';
import { checkParity } from './check-parity';

const differs = {
  from: 'staging',
  unexpected: [{ setting: 'healthCheck.path', source: 'live', from: '/ready', here: '/health' }],
  expected: 2,
};

describe('the parity requirement', () => {
  it('blocks when required and the environments differ unexpectedly, naming the setting and both values', () => {
    const r = checkParity('required', 'production', differs);
    expect(r.status).toBe('fail');
    expect(r.reason).toContain('healthCheck.path (live): staging /ready, production /health');
  });

  it('only reports when `reported`', () => {
    expect(checkParity('reported', 'production', differs).status).toBe('pass');
  });

  it('passes when only expected differences remain, and is missing when nothing was observed', () => {
    expect(checkParity('required', 'production', { ...differs, unexpected: [] }).status).toBe('pass');
    expect(checkParity('required', 'production', undefined).status).toBe('missing');
    expect(
      checkParity('required', 'production', { ...differs, unexpected: [], liveNote: 'AWS unreachable' }).status,
    ).toBe('missing');
  });
});
