import { describe, expect, it } from 'vitest';
import { endedOutcome, recordedOutcome } from './deployment-outcome';

// #11 item 22: what CodeDeploy's statuses mean for the ledger is decided here, not in the CLI.
describe('deployment outcomes for the ledger (#11.22)', () => {
  it('records a followed deploy by how it ended; traffic moved but in termination wait stays in progress', () => {
    expect(recordedOutcome({ outcome: 'succeeded' })).toBe('succeeded');
    expect(recordedOutcome({ outcome: 'already-running' })).toBe('succeeded');
    expect(recordedOutcome({ outcome: 'traffic-shifted' })).toBe('in-progress');
    expect(recordedOutcome({ outcome: 'rolled-back' })).toBe('rolled-back');
    expect(recordedOutcome({ outcome: 'failed' })).toBe('failed');
  });

  it('finishes an unfollowed deployment only once its controller says it ended', () => {
    for (const phase of ['starting', 'verifying', 'shifting', 'baking', 'rolling-back'] as const)
      expect(endedOutcome({ phase }), phase).toBeUndefined();
    expect(endedOutcome({ phase: 'finished' })).toBe('succeeded');
    expect(endedOutcome({ phase: 'failed' })).toBe('failed');
    expect(endedOutcome({ phase: 'stopped' })).toBe('failed');
    expect(endedOutcome({ phase: 'failed', rollback: { rollbackDeploymentId: 'd-ROLLBACK' } })).toBe('rolled-back');
    expect(endedOutcome({ phase: 'stopped', rollback: { message: 'stopped by user' } })).toBe('rolled-back');
  });
});
