import {
  makeRelease,
  ManualClock,
  seededRandom,
  type DeploymentRecord,
  type Evidence,
  type Release,
} from '@shipgate/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from './ledger';
import { createStoreFixture, type StoreFixture } from './testing/store-fixture';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

describe.each(['fs', 's3'] as const)('ledger (%s)', (kind) => {
  let fx: StoreFixture;
  let clock: ManualClock;
  let ledger: Ledger;
  const release = (n: number, service = 'svc'): Release =>
    makeRelease({
      service,
      image: `registry.test/${service}@${digest(n)}`,
      gitSha: 'abc1234',
      createdBy: 'ci',
      createdAt: clock.now(),
    });

  beforeEach(async () => {
    fx = await createStoreFixture(kind);
    clock = new ManualClock('2026-02-01T00:00:00Z');
    ledger = openLedger(fx.store, { clock, random: seededRandom(5), sleep: async () => {} });
  });
  afterEach(async () => fx.close());

  describe('releases', () => {
    it('creates a release once; the same release again is idempotent and says so', async () => {
      const r = release(1);
      expect(await ledger.releases.create(r, 'alice')).toEqual({ release: r, created: true });
      clock.advance(60_000);
      const again = makeRelease({
        service: 'svc',
        image: r.image,
        gitSha: 'abc1234',
        createdBy: 'bob',
        createdAt: clock.now(),
      });
      expect(again.id).toBe(r.id);
      expect(await ledger.releases.create(again, 'bob')).toEqual({ release: r, created: false });
      expect(await ledger.releases.list()).toEqual([r]);
      const audit = await ledger.audit.list({ releaseId: r.id });
      expect(audit.map((e) => [e.actor, e.action, e.details.created])).toEqual([
        ['alice', 'release.create', true],
        ['bob', 'release.create', false],
      ]);
    });

    it('refuses a release whose id does not match its content', async () => {
      await expect(ledger.releases.create({ ...release(1), digest: digest(2) }, 'alice')).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      expect(await ledger.releases.list()).toEqual([]);
    });

    it('reports a stored release whose content no longer matches its id', async () => {
      const r = release(1);
      await ledger.releases.create(r, 'alice');
      await fx.raw.write(`releases/${r.id}.json`, JSON.stringify({ ...r, image: `registry.test/evil@${digest(9)}` }));
      await expect(ledger.releases.create(r, 'alice')).rejects.toMatchObject({
        code: 'LEDGER_CORRUPT',
        location: { file: `releases/${r.id}.json` },
      });
    });

    it('finds a release by id or unique prefix, and says when a prefix is ambiguous or unknown', async () => {
      const made = [];
      for (let n = 1; n <= 40; n++) made.push(release(n));
      for (const r of made) await ledger.releases.create(r, 'ci');
      const r = made[0]!;
      expect(await ledger.releases.get(r.id)).toEqual(r);
      expect(await ledger.releases.get(r.id.slice(0, 12))).toEqual(r);
      expect(await ledger.releases.get(r.id.slice(4, 14).toUpperCase())).toEqual(r);
      // 40 ids over 16 hex digits: some single-digit prefix is shared by two or more.
      const first = made.map((x) => x.id[4]!);
      const shared = first.find((c, i) => first.indexOf(c) !== i)!;
      const error = await ledger.releases.get(`rel-${shared}`).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'RELEASE_AMBIGUOUS',
        details: {
          candidates: made
            .filter((x) => x.id[4] === shared)
            .map((x) => x.id)
            .sort(),
        },
      });
      await expect(ledger.releases.get('rel-zz')).rejects.toMatchObject({ code: 'RELEASE_NOT_FOUND' });
      const absent = made.some((x) => x.id.startsWith('rel-ffffff')) ? 'rel-0000000' : 'rel-ffffff';
      await expect(ledger.releases.get(absent)).rejects.toMatchObject({ code: 'RELEASE_NOT_FOUND' });
    });

    it('lists releases of one service, newest first', async () => {
      const a = release(1, 'api');
      await ledger.releases.create(a, 'ci');
      clock.advance(1000);
      const b = release(2, 'web');
      await ledger.releases.create(b, 'ci');
      clock.advance(1000);
      const c = release(3, 'api');
      await ledger.releases.create(c, 'ci');
      expect((await ledger.releases.list({ service: 'api' })).map((r) => r.id)).toEqual([c.id, a.id]);
      expect(await ledger.releases.list()).toHaveLength(3);
    });
  });

  describe('evidence and decisions', () => {
    const evidence = (id: string, over: Partial<Evidence> = {}): Evidence => ({
      id,
      kind: 'qa',
      releaseId: 'rel-1',
      service: 'svc',
      digest: digest(1),
      environment: 'staging',
      recordedAt: '2026-02-01T00:00:00.000Z',
      origin: { actor: 'ci', where: 'local' },
      contentHash: 'h',
      summary: { tests: 10 },
      ...over,
    });

    it('adds evidence once and filters it', async () => {
      expect(await ledger.evidence.add(evidence('ev-1'), 'ci')).toMatchObject({ created: true });
      expect(await ledger.evidence.add(evidence('ev-1'), 'ci')).toMatchObject({ created: false });
      await expect(ledger.evidence.add(evidence('ev-1', { summary: { tests: 11 } }), 'ci')).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      await ledger.evidence.add(evidence('ev-2', { kind: 'stress', recordedAt: '2026-02-01T00:01:00.000Z' }), 'ci');
      await ledger.evidence.add(evidence('ev-3', { releaseId: 'rel-2', digest: digest(2), environment: 'test' }), 'ci');
      expect((await ledger.evidence.list({ releaseId: 'rel-1' })).map((e) => e.id)).toEqual(['ev-1', 'ev-2']);
      expect((await ledger.evidence.list({ kind: 'stress' })).map((e) => e.id)).toEqual(['ev-2']);
      expect((await ledger.evidence.list({ digest: digest(2) })).map((e) => e.id)).toEqual(['ev-3']);
      expect((await ledger.evidence.list({ environment: 'staging', kind: 'qa' })).map((e) => e.id)).toEqual(['ev-1']);
      expect((await ledger.audit.list({ action: 'evidence.add' })).map((e) => e.details.evidenceId)).toEqual([
        'ev-1',
        'ev-1',
        'ev-2',
        'ev-3',
      ]);
    });

    it('records decisions with the failed requirements in the audit entry', async () => {
      await ledger.decisions.add(
        {
          id: 'dec-1',
          releaseId: 'rel-1',
          service: 'svc',
          digest: digest(1),
          environment: 'production',
          outcome: 'block',
          evaluatedAt: '2026-02-01T00:00:00.000Z',
          requirements: [
            { id: 'qa', title: 'QA', status: 'pass', required: '', observed: '', reason: '' },
            { id: 'approvals', title: 'Approvals', status: 'missing', required: '1', observed: '0', reason: 'none' },
          ],
        },
        'ci',
      );
      expect((await ledger.decisions.list({ releaseId: 'rel-1', outcome: 'block' })).map((d) => d.id)).toEqual([
        'dec-1',
      ]);
      expect(await ledger.decisions.list({ environment: 'staging' })).toEqual([]);
      expect((await ledger.audit.list({ action: 'gate.decision' }))[0]?.details).toMatchObject({
        outcome: 'block',
        failed: ['approvals'],
      });
    });
  });

  describe('deployments', () => {
    let n = 0;
    const deployment = (over: Partial<DeploymentRecord> = {}): DeploymentRecord => {
      clock.advance(60_000);
      n++;
      return {
        id: `dep-${String(n).padStart(3, '0')}`,
        releaseId: `rel-${n}`,
        service: 'svc',
        environment: 'production',
        digest: digest(n),
        controller: 'codedeploy',
        kind: 'deploy',
        startedBy: 'ci',
        startedAt: clock.now().toISOString(),
        outcome: 'in-progress',
        ...over,
      };
    };

    it('starts, updates and lists deployments newest first, auditing each step', async () => {
      const d1 = deployment();
      await ledger.deployments.start(d1, 'ci');
      const finished = await ledger.deployments.update(
        d1.id,
        { outcome: 'succeeded', durationMs: 4200, finishedAt: clock.now().toISOString() },
        'ci',
      );
      expect(finished).toMatchObject({ id: d1.id, outcome: 'succeeded', durationMs: 4200 });
      const d2 = deployment({ environment: 'staging' });
      await ledger.deployments.start(d2, 'ci');
      expect((await ledger.deployments.list()).map((d) => d.id)).toEqual([d2.id, d1.id]);
      expect((await ledger.deployments.list({ environment: 'production' })).map((d) => d.id)).toEqual([d1.id]);
      expect(await ledger.deployments.get(d1.id)).toEqual(finished);
      expect((await ledger.audit.list({ deploymentId: d1.id })).map((e) => e.action)).toEqual([
        'deploy.start',
        'deploy.finish',
      ]);
      await expect(ledger.deployments.update(d1.id, { environment: 'test' } as never, 'ci')).rejects.toMatchObject({
        code: 'INTERNAL',
      });
      await expect(ledger.deployments.update('dep-nope', { outcome: 'failed' }, 'ci')).rejects.toMatchObject({
        code: 'INTERNAL',
      });
    });

    it('loses no update when many writers update one deployment at once', async () => {
      const d = deployment();
      await ledger.deployments.start(d, 'ci');
      const handles = await Promise.all(
        [1, 2, 3, 4].map(async (w) =>
          openLedger(await fx.reopen(), { clock, random: seededRandom(w), sleep: async () => {} }),
        ),
      );
      await Promise.all(
        handles.flatMap((l, w) =>
          Array.from({ length: 10 }, () =>
            l.deployments.update(d.id, (cur) => ({ reason: `${cur.reason ?? ''}${w}` }), `w${w}`),
          ),
        ),
      );
      const reason = (await ledger.deployments.get(d.id))!.reason!;
      expect(reason).toHaveLength(40);
      expect([0, 1, 2, 3].map((w) => reason.split('').filter((c) => c === String(w)).length)).toEqual([10, 10, 10, 10]);
      expect(await ledger.audit.verify()).toMatchObject({ ok: true, entries: 41 });
    });

    it('knows the current release and the deployments in flight (the last known good is decided in @shipgate/rollback)', async () => {
      const good = deployment();
      await ledger.deployments.start(good, 'ci');
      await ledger.deployments.update(good.id, { outcome: 'succeeded' }, 'ci');
      const bad = deployment();
      await ledger.deployments.start(bad, 'ci');
      await ledger.deployments.update(bad.id, { outcome: 'succeeded' }, 'ci');
      expect((await ledger.deployments.current('svc', 'production'))?.id).toBe(bad.id);
      const rollback = deployment({
        kind: 'rollback',
        releaseId: good.releaseId,
        digest: good.digest,
        rolledBackDeploymentId: bad.id,
      });
      await ledger.deployments.start(rollback, 'oncall');
      expect((await ledger.deployments.inFlight('svc', 'production')).map((d) => d.id)).toEqual([rollback.id]);
      await ledger.deployments.update(rollback.id, { outcome: 'succeeded', timeToRestoreMs: 9000 }, 'oncall');
      expect((await ledger.deployments.current('svc', 'production'))?.id).toBe(rollback.id);
      expect(await ledger.deployments.current('svc', 'staging')).toBeUndefined();
      expect((await ledger.audit.list({ action: 'rollback.finish' }))[0]).toMatchObject({
        actor: 'oncall',
        subject: { deploymentId: rollback.id },
      });
    });
  });
});
