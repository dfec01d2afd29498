import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsStateStore, openLedger, type Ledger } from '@shipgate/ledger';
import { ManualClock, seededRandom } from '@shipgate/model';
import { ledgerRollbackPort } from './adapters/ledger-rollback-port';
import { healAbandonedRollbacks } from './heal-abandoned-rollbacks';
import { lastKnownGood } from './last-known-good';
import { FakeRollbackWorld } from './testing/fake-world';
import { deploymentRecord } from './testing/records';

let dir: string;
let ledger: Ledger;
const clock = new ManualClock('2026-01-01T00:10:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollback-heal-'));
  ledger = openLedger(new FsStateStore(dir), { clock, random: seededRandom(1) });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('healAbandonedRollbacks (on the filesystem ledger)', () => {
  it('closes a rollback record a killed fast-path run left in progress, once older than the longest wait (#11.3)', async () => {
    const port = ledgerRollbackPort(ledger, { clock, random: seededRandom(2), actor: 'oncall' });
    const { id: _g, ...good } = deploymentRecord('rel-1', 1);
    await port.startDeployment(good);
    const { id: _b, ...bad } = deploymentRecord('rel-2', 2);
    const deployed = await port.startDeployment(bad);
    // Killed right after it stopped the deployment: no controller id recorded, outcome never written.
    const { id: _r, ...dying } = deploymentRecord('rel-1', 3, {
      kind: 'rollback',
      outcome: 'in-progress',
      rolledBackDeploymentId: deployed.id,
      finishedAt: undefined,
      taskDefinitionArn: undefined,
    });
    const abandoned = await port.startDeployment(dying);
    const control = new FakeRollbackWorld(clock);
    const read = () => port.deployments('sample-service', 'production');
    // While it may still be running (younger than the wait), it is left alone.
    expect(
      await healAbandonedRollbacks(
        { deployments: await read() },
        { deploy: { controller: control }, ledger: port },
        {
          clock,
          longestWaitMs: 8 * 60_000,
          actor: 'oncall',
        },
      ),
    ).toEqual([]);
    // Its in-progress record counts rel-2's deployment as rolled back: the last known good skips it.
    expect(lastKnownGood(await read())?.releaseId).toBe('rel-1');

    const healed = await healAbandonedRollbacks(
      { deployments: await read() },
      { deploy: { controller: control }, ledger: port },
      {
        clock,
        longestWaitMs: 5 * 60_000,
        actor: 'oncall',
      },
    );
    expect(healed.map((h) => [h.id, h.outcome])).toEqual([[abandoned.id, 'failed']]);
    const record = (await read()).find((r) => r.id === abandoned.id)!;
    expect(record).toMatchObject({ outcome: 'failed', finishedAt: clock.now().toISOString() });
    expect(record.failure).toMatch(
      /^abandoned: the run that started it ended before recording its outcome or a controller deployment/,
    );
    expect(lastKnownGood(await read())?.releaseId).toBe('rel-2');
    const audit = await ledger.audit.list({ action: 'rollback.abandoned' });
    expect(audit.map((e) => [e.actor, e.subject.deploymentId])).toEqual([['oncall', abandoned.id]]);
    expect(await ledger.audit.verify()).toMatchObject({ ok: true });
  });
});
