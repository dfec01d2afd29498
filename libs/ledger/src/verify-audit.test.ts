import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRelease, ManualClock, seededRandom, type Evidence } from '@shipgate/model';
import { createPolicyVerifier } from '@shipgate/trust';
import { makeCiKey } from '@shipgate/trust/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from './ledger';
import { createStoreFixture, type StoreFixture } from './testing/store-fixture';
import { insertAuditEntry, rewriteAuditEntry, truncateAuditLog } from './testing/tamper';
import { verifyAudit } from './verify-audit';

const ci = makeCiKey('staging-ci');
const verifier = createPolicyVerifier({ keys: [ci.trusted] });
const digest = `sha256:${'ab'.repeat(32)}`;

describe.each(['fs', 's3'] as const)('verifyAudit (%s)', (kind) => {
  let fx: StoreFixture;
  let clock: ManualClock;
  let ledger: Ledger;
  let releaseId: string;
  const verify = async () => verifyAudit(await fx.reopen(), { verifier, targetKind: 'aws', now: clock.now() });
  const evidence = (id: string): Evidence => ({
    id,
    kind: 'qa',
    releaseId,
    service: 'svc',
    digest,
    environment: 'staging',
    recordedAt: clock.now().toISOString(),
    origin: { actor: 'ci', where: 'local' },
    contentHash: 'h',
    summary: { tests: 10 },
  });
  /** One "command": some writes, then the checkpoint a command that changed state ends with. */
  const command = async (writes: () => Promise<unknown>) => {
    await writes();
    clock.advance(1000);
    return ledger.audit.checkpoint(ci.signer);
  };

  beforeEach(async () => {
    fx = await createStoreFixture(kind);
    clock = new ManualClock('2026-12-01T10:00:00Z');
    ledger = openLedger(fx.store, { clock, random: seededRandom(1), sleep: async () => {} });
    const release = makeRelease({
      service: 'svc',
      image: `r.test/svc@${digest}`,
      createdBy: 'ci',
      createdAt: clock.now(),
    });
    releaseId = release.id;
    await command(() => ledger.releases.create(release, 'ci'));
    await command(() => ledger.evidence.add(evidence('ev-1'), 'ci'));
    await command(() => ledger.evidence.add(evidence('ev-2'), 'ci'));
    await command(async () => {
      await ledger.deployments.start(
        {
          id: 'dep-1',
          releaseId,
          service: 'svc',
          environment: 'staging',
          digest,
          controller: 'codedeploy',
          kind: 'deploy',
          startedBy: 'ci',
          startedAt: clock.now().toISOString(),
          outcome: 'in-progress',
        },
        'ci',
      );
      await ledger.deployments.update('dep-1', { outcome: 'succeeded' }, 'ci');
    });
  });
  afterEach(async () => fx.close());

  it('passes the honest ledger: chain, 4 checkpoints, every record audited', async () => {
    const report = await verify();
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      entries: 5,
      records: 4,
      checkpoints: {
        stored: 4,
        valid: 4,
        newest: { entryCount: 5, signers: ['staging-ci'] },
        unanchoredEntries: 0,
      },
    });
  });

  it('finds the tail deleted, naming the checkpoint it contradicts', async () => {
    await truncateAuditLog(fx.store, fx.raw, 2);
    const report = await verify();
    expect(report.chain.ok).toBe(true); // the chain alone cannot see it
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        problem: 'truncated',
        about: 'entries #4 to #5',
        expected: expect.stringMatching(
          /^5 entries or more \(checkpoint checkpoints\/000000000005\.json, signed by staging-ci/,
        ),
        found: '3 entries',
      }),
    );
  });

  it('finds the whole log deleted, and the records it no longer accounts for', async () => {
    await truncateAuditLog(fx.store, fx.raw, 100);
    const problems = (await verify()).findings.map((f) => [f.problem, f.about]);
    expect(problems).toContainEqual(['truncated', 'the whole log']);
    expect(problems).toContainEqual(['unaudited-record', 'evidence/' + releaseId + '/ev-1.json']);
  });

  it('finds an entry edited and the chain recomputed', async () => {
    await rewriteAuditEntry(fx.store, fx.raw, 2, (e) => ({ ...e, actor: 'mallory' }));
    const report = await verify();
    expect(report.chain.ok).toBe(true);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        problem: 'checkpoint-mismatch',
        about: 'entry #2',
        expected: expect.stringContaining('checkpoints/000000000002.json'),
        found: expect.stringContaining('(and 2 later checkpoints contradicted too)'),
      }),
    );
  });

  it('finds an entry inserted and the rest renumbered', async () => {
    await insertAuditEntry(fx.store, fx.raw, 2, {
      actor: 'carol',
      action: 'approval.add',
      subject: { releaseId, environment: 'production' },
      details: {},
    });
    const report = await verify();
    expect(report.chain.ok).toBe(true);
    expect(report.entries).toBe(6);
    expect(report.findings.map((f) => [f.problem, f.about])).toContainEqual(['checkpoint-mismatch', 'entry #2']);
  });

  it('finds an evidence record deleted, and one added, behind the log’s back', async () => {
    await fx.raw.remove(`evidence/${releaseId}/ev-1.json`);
    const forged = JSON.stringify({ ...evidence('ev-9'), summary: { tests: 999 } });
    if (kind === 'fs') await mkdir(join(fx.location, 'evidence', releaseId), { recursive: true });
    await fx.raw.write(`evidence/${releaseId}/ev-9.json`, forged);
    const findings = (await verify()).findings;
    expect(findings).toContainEqual({
      problem: 'record-missing',
      about: 'entry #2 (evidence.add)',
      expected: `the record evidence/${releaseId}/ev-1.json`,
      found: 'nothing: it was deleted behind the log’s back',
      hint: expect.any(String),
    });
    expect(findings).toContainEqual(
      expect.objectContaining({ problem: 'unaudited-record', about: `evidence/${releaseId}/ev-9.json` }),
    );
  });

  it('finds a record whose bytes are not the ones its entry recorded', async () => {
    const key = `evidence/${releaseId}/ev-2.json`;
    await fx.raw.write(key, (await fx.raw.read(key))!.replace('"tests": 10', '"tests": 11'));
    expect((await verify()).findings).toContainEqual(
      expect.objectContaining({
        problem: 'record-mismatch',
        about: key,
        expected: expect.stringContaining('entry #3'),
      }),
    );
  });

  it('ignores a checkpoint signed by a key the policy does not name, and says so', async () => {
    const intruder = makeCiKey('intruder');
    // The intruder drops the newest entry and checkpoint, and checkpoints the shortened log himself.
    await truncateAuditLog(fx.store, fx.raw, 1);
    await fx.raw.remove('checkpoints/000000000005.json');
    const forger = openLedger(await fx.reopen(), { clock, random: seededRandom(2) });
    clock.advance(1000);
    await forger.audit.checkpoint(intruder.signer);
    const findings = (await verify()).findings;
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'checkpoint-invalid',
        about: 'checkpoints/000000000004.json',
        found: expect.stringContaining('unknown-key'),
      }),
    );
    // The deployment record is newer than the entries left: its last update's entry is the one deleted.
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'record-mismatch',
        about: 'deployments/dep-1.json',
        expected: expect.stringContaining('entry #4, deploy.start'),
      }),
    );
  });

  it.runIf(kind === 'fs')(
    'reports a hidden version file beside a write-once record, and reads the real one',
    async () => {
      const dir = join(fx.location, 'evidence', releaseId, '.ev-1.json.versions');
      await mkdir(dir);
      await writeFile(join(dir, '000000000002'), JSON.stringify({ ...evidence('ev-1'), summary: { tests: 999 } }));
      expect((await ledger.evidence.list({ releaseId })).map((e) => e.summary)).toEqual([{ tests: 10 }, { tests: 10 }]);
      expect((await verify()).findings).toEqual([
        expect.objectContaining({
          problem: 'stray-object',
          about: `evidence/${releaseId}/ev-1.json`,
          found: expect.stringContaining('.ev-1.json.versions/000000000002'),
        }),
      ]);
    },
  );
});
