import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertAuditEntry, rewriteAuditEntry, truncateAuditLog } from '@shipgate/ledger/testing';
import { auditVerify, honestLedger, type AuditAttackLedger } from './audit-attack-fixture';

// Attacks on the audit log by someone who can write the state directory or bucket (#12.7), each
// replayed on a real ledger and found by `shipgate audit verify` with expected versus found.
describe.each(['fs', 's3'] as const)('attacks on the audit log (%s)', (kind) => {
  let ledger: AuditAttackLedger;
  beforeEach(async () => {
    ledger = await honestLedger(kind);
  }, 120_000);
  afterEach(async () => ledger.close());

  it('the honest ledger verifies: every entry under a signed checkpoint, every record audited', async () => {
    const { run, findings } = await auditVerify(ledger);
    expect(findings).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      ok: true,
      entries: 3,
      records: 3,
      checkpoints: {
        valid: 3,
        unanchoredEntries: 0,
        newest: {
          entryCount: 3,
          signers: [kind === 'fs' ? 'local-rehearsal' : expect.stringMatching(/^staging CI \(/)],
        },
      },
    });
  });

  it('tail truncation: two entries deleted from the end', async () => {
    await truncateAuditLog(ledger.fx.store, ledger.fx.raw, 2);
    const { run, findings } = await auditVerify(ledger);
    expect(run.code).toBe(1);
    expect(findings).toContainEqual({
      problem: 'truncated',
      about: 'entries #2 to #3',
      expected: expect.stringMatching(/^3 entries or more \(checkpoint checkpoints\/000000000003\.json, signed by /),
      found: '1 entry',
      hint: expect.any(String),
    });
  });

  it('total deletion: every entry deleted', async () => {
    await truncateAuditLog(ledger.fx.store, ledger.fx.raw, 1000);
    const { run, findings } = await auditVerify(ledger);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ ok: false, entries: 0 });
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'truncated',
        about: 'the whole log',
        expected: expect.stringMatching(/^3 entries/),
        found: '0 entries',
      }),
    );
    // And the records no longer have entries: each one is named.
    expect(findings.filter((f) => f.problem === 'unaudited-record').map((f) => f.about)).toEqual(
      expect.arrayContaining([`releases/${ledger.releaseId}.json`, ...ledger.evidenceKeys]),
    );
  });

  it('full rechain: an entry edited and every hash after it recomputed', async () => {
    await rewriteAuditEntry(ledger.fx.store, ledger.fx.raw, 2, (e) => ({ ...e, actor: 'carol' }));
    const { run, findings } = await auditVerify(ledger);
    expect(run.code).toBe(1);
    expect(run.json!.chain.ok).toBe(true); // the chain alone would say intact
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'checkpoint-mismatch',
        about: 'entry #2',
        expected: expect.stringMatching(/^hash [0-9a-f]{64} \(checkpoint checkpoints\/000000000002\.json/),
        found: expect.stringMatching(/^hash [0-9a-f]{64} \(and 1 later checkpoint contradicted too\)$/),
      }),
    );
  });

  it('inserted entry: a forged approval slipped in and the rest renumbered', async () => {
    await insertAuditEntry(ledger.fx.store, ledger.fx.raw, 2, {
      actor: 'carol',
      action: 'approval.add',
      subject: { service: 'sample-service', environment: 'production', releaseId: ledger.releaseId },
      details: { comment: 'lgtm' },
    });
    const { run, findings } = await auditVerify(ledger);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ entries: 4, chain: { ok: true } });
    expect(findings).toContainEqual(expect.objectContaining({ problem: 'checkpoint-mismatch', about: 'entry #2' }));
  });

  it('prints each finding for people with expected and found', async () => {
    await truncateAuditLog(ledger.fx.store, ledger.fx.raw, 1);
    const run = await ledger.shipgate(['audit', 'verify'], false);
    expect(run.code).toBe(1);
    expect(run.out).toContain('audit log BROKEN: 2 findings');
    expect(run.out).toMatch(
      /- truncated: entry #3\n {4}expected 3 entries or more \(checkpoint .*\n {4}found {4}2 entries/,
    );
  });
});
