import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsStateStore, openLedger, type Ledger } from '@shipgate/ledger';
import { ManualClock, seededRandom } from '@shipgate/model';
import { deploymentRecord } from '../testing/records';
import { ledgerRollbackPort } from './ledger-rollback-port';

let dir: string;
let ledger: Ledger;
const clock = new ManualClock('2026-03-01T03:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollback-ledger-'));
  ledger = openLedger(new FsStateStore(dir), { clock, random: seededRandom(1) });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ledgerRollbackPort', () => {
  it('records a rollback, marks the rolled-back deployment, and appends the audit entry in the hash chain', async () => {
    const port = ledgerRollbackPort(ledger, { clock, random: seededRandom(2), actor: 'oncall' });
    const { id: _id, ...deployed } = deploymentRecord('rel-2', 2, { outcome: 'in-progress', finishedAt: undefined });
    const bad = await port.startDeployment(deployed);
    const { id: _rid, ...rollback } = deploymentRecord('rel-1', 3, {
      kind: 'rollback',
      outcome: 'in-progress',
      rolledBackDeploymentId: bad.id,
      startedBy: 'oncall',
      finishedAt: undefined,
    });
    const record = await port.startDeployment(rollback);
    expect(record.id).toMatch(/^dep-20260301T030000Z-[0-9a-z]{8}$/);
    // Identity fields in a patch are dropped rather than refused: the ledger never changes them.
    await port.updateDeployment(record.id, { outcome: 'succeeded', timeToRestoreMs: 412, releaseId: 'rel-other' });
    await port.updateDeployment(bad.id, { outcome: 'rolled-back' });
    await port.appendAudit({
      actor: 'oncall',
      action: 'rollback',
      subject: { service: 'sample-service', environment: 'production' },
      details: { reason: 'not given', reasonGiven: false },
    });

    const records = await port.deployments('sample-service', 'production');
    expect(records.map((r) => [r.releaseId, r.kind, r.outcome, r.timeToRestoreMs])).toEqual([
      ['rel-1', 'rollback', 'succeeded', 412],
      ['rel-2', 'deploy', 'rolled-back', undefined],
    ]);
    expect(await port.release('rel-nope')).toBeUndefined();
    const audit = await ledger.audit.list({});
    expect(audit.at(-1)).toMatchObject({
      actor: 'oncall',
      action: 'rollback',
      details: { reason: 'not given', reasonGiven: false },
    });
    expect((await ledger.audit.verify()).ok).toBe(true);
  });
});
