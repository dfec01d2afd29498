import { ManualClock, seededRandom } from '@shipgate/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../ledger';
import { spawnWorker, type Worker } from './spawn-worker';
import { createStoreFixture, type StoreFixture, type StoreKind } from './store-fixture';

/**
 * The cross-process suite, shared by both stores: real child processes racing on one store, and
 * processes killed mid-write. One test file per store keeps each file's run time apart.
 */
export function crossProcessSuite(kind: StoreKind): void {
  describe(`ledger across processes (${kind})`, () => {
    let fx: StoreFixture;
    const workers: Worker[] = [];
    const spawn = (mode: string, args: Record<string, unknown>) => {
      const w = spawnWorker(mode, fx.location, args, fx.env);
      workers.push(w);
      return w;
    };
    const ledger = async () => openLedger(await fx.reopen(), { clock: new ManualClock(), random: seededRandom(3) });

    beforeEach(async () => {
      fx = await createStoreFixture(kind, { pageSize: 250 });
    });
    afterEach(async () => {
      for (const w of workers.splice(0))
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await fx.close();
    });

    async function race(mode: string, argsFor: (name: string) => Record<string, unknown>): Promise<string[]> {
      const racers = ['a', 'b'].map((name) => spawn(mode, argsFor(name)));
      await Promise.all(racers.map((w) => w.waitFor('ready')));
      for (const w of racers) w.child.stdin!.write('go\n');
      const codes = await Promise.all(racers.map((w) => w.exited));
      expect(codes, racers.map((w) => w.stderr()).join('\n')).toEqual([0, 0]);
      return racers.map((w) => w.stdout());
    }

    it(
      'two processes appending 1,000 entries each at once end with 2,000 entries and a valid chain',
      { timeout: 60_000 },
      async () => {
        const outputs = await race('append', (name) => ({ count: 1000, actor: name }));
        const l = await ledger();
        expect(await l.audit.verify()).toMatchObject({ ok: true, entries: 2000, lastSeq: 2000 });
        const actors = (await l.audit.list()).map((e) => e.actor);
        expect([actors.filter((a) => a === 'a').length, actors.filter((a) => a === 'b').length]).toEqual([1000, 1000]);
        // The writes really raced: appends found their seq taken by the other process and moved on.
        const racesLost = outputs.map((o) => Number(/racesLost (\d+)/.exec(o)?.[1]));
        expect(racesLost[0]! + racesLost[1]!).toBeGreaterThan(0);
      },
    );

    it(
      'two processes appending identical entries at the same instant keep every one of them',
      { timeout: 60_000 },
      async () => {
        // Same actor, action, details and time: two racers computing entry n from the same tail write
        // byte-identical entries unless each append carries something of its own (#12.7: 2 of 40 collapsed).
        const same = { count: 20, actor: 'ci', fixedTime: '2026-12-01T12:00:00.000Z', identical: true };
        const outputs = await race('append', () => same);
        const l = await ledger();
        const racesLost = outputs.map((o) => Number(/racesLost (\d+)/.exec(o)?.[1]));
        expect(await l.audit.verify(), `races lost: ${racesLost.join(', ')}`).toMatchObject({
          ok: true,
          entries: 40,
          lastSeq: 40,
        });
      },
    );

    it('two processes updating one deployment at once lose no update', { timeout: 60_000 }, async () => {
      const l = await ledger();
      await l.deployments.start(
        {
          id: 'dep-race',
          releaseId: 'rel-1',
          service: 'svc',
          environment: 'staging',
          digest: `sha256:${'a'.repeat(64)}`,
          controller: 'codedeploy',
          kind: 'deploy',
          startedBy: 'ci',
          startedAt: '2026-01-01T00:00:00.000Z',
          outcome: 'in-progress',
        },
        'ci',
      );
      await race('update', (name) => ({ id: 'dep-race', count: 60, actor: name }));
      const reason = (await l.deployments.get('dep-race'))!.reason!;
      expect([reason.length, reason.replace(/b/g, '').length, reason.replace(/a/g, '').length]).toEqual([120, 60, 60]);
      expect(await l.audit.verify()).toMatchObject({ ok: true, entries: 121 });
    });

    it(
      'processes killed with SIGKILL while writing leave a ledger that loads and verifies',
      { timeout: 60_000 },
      async () => {
        const random = seededRandom(kind === 'fs' ? 11 : 12);
        let before = 0;
        for (let round = 1; round <= 4; round++) {
          const w = spawn('churn', { seed: round });
          await w.waitFor('ready');
          await new Promise((resolve) => setTimeout(resolve, 20 + random.int(250)));
          w.child.kill('SIGKILL');
          expect(await w.exited).toBeNull();
          const l = await ledger();
          const report = await l.audit.verify();
          expect(report).toMatchObject({ ok: true });
          if (!report.ok) return;
          expect(report.entries).toBeGreaterThan(before);
          before = report.entries;
          const releases = await l.releases.list();
          const deployments = await l.deployments.list();
          expect(releases.length).toBeGreaterThanOrEqual(round);
          expect(deployments.every((d) => d.outcome === 'in-progress' || d.outcome === 'succeeded')).toBe(true);
          // And the next writer carries on from where the killed one stopped.
          await l.audit.append({ actor: 'after-kill', action: 'test' });
          expect(await l.audit.verify()).toMatchObject({ ok: true, entries: before + 1 });
          before += 1;
        }
      },
    );
  });
}
