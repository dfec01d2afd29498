import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditVerify, honestLedger, type AuditAttackLedger } from './audit-attack-fixture';

// Records changed behind the audit log's back by someone who can write the state store (#12.7):
// `audit verify` cross-checks every record against the entry that wrote it.
describe.each(['fs', 's3'] as const)('attacks on the records behind the log (%s)', (kind) => {
  let ledger: AuditAttackLedger;
  beforeEach(async () => {
    ledger = await honestLedger(kind);
  }, 120_000);
  afterEach(async () => ledger.close());

  it('deleted evidence record: the entry that wrote it names what is gone', async () => {
    const [first] = ledger.evidenceKeys;
    await ledger.fx.raw.remove(first!);
    const { run, findings } = await auditVerify(ledger);
    expect(run.code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({
        problem: 'record-missing',
        about: expect.stringMatching(/^entry #[23] \(evidence\.add\)$/),
        expected: `the record ${first}`,
        found: 'nothing: it was deleted behind the log’s back',
      }),
    ]);
  });

  it('added evidence record: a passing QA report no command recorded', async () => {
    const [first] = ledger.evidenceKeys;
    const forged = JSON.parse((await ledger.fx.raw.read(first!))!) as Record<string, unknown>;
    const key = `evidence/${ledger.releaseId}/ev-forged.json`;
    await ledger.fx.raw.write(key, JSON.stringify({ ...forged, id: 'ev-forged' }, null, 2));
    const { run, findings } = await auditVerify(ledger);
    expect(run.code).toBe(1);
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'unaudited-record',
        about: key,
        expected: 'an audit entry recording its write',
        found: expect.stringContaining('added behind the log’s back'),
      }),
    );
    // A copy of a signed record under another id does not carry its signature with it.
    expect(findings).toContainEqual(
      expect.objectContaining({ problem: 'record-signature', about: key, found: expect.stringContaining('id') }),
    );
  });

  it('edited evidence record: its bytes are not the ones its entry recorded', async () => {
    const [, second] = ledger.evidenceKeys;
    const text = (await ledger.fx.raw.read(second!))!;
    const edited = text.replace(/"tests": (\d+)/, (_, n: string) => `"tests": ${Number(n) + 100}`);
    expect(edited).not.toBe(text);
    await ledger.fx.raw.write(second!, edited);
    const { findings } = await auditVerify(ledger);
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'record-mismatch',
        about: second,
        expected: expect.stringMatching(/^bytes with sha256 [0-9a-f]{64} \(entry #[23], evidence\.add\)$/),
        found: expect.stringMatching(/^bytes with sha256 [0-9a-f]{64}$/),
      }),
    );
    // And its signature no longer covers it: trust-gate's verification names the field.
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'record-signature',
        about: second,
        found: expect.stringContaining('summary'),
      }),
    );
  });

  it.runIf(kind === 'fs')('hidden version file: never read, and reported', async () => {
    const [first] = ledger.evidenceKeys;
    const name = first!.split('/').at(-1)!;
    const dir = join(ledger.fx.location, 'evidence', ledger.releaseId, `.${name}.versions`);
    await mkdir(dir);
    const honest = (await ledger.fx.raw.read(first!))!;
    await writeFile(join(dir, '000000000002'), honest.replace(/"failures": \d+/, '"failures": 0'));
    const listed = await ledger.shipgate([
      'gate',
      'staging',
      '--service',
      'sample-service',
      '--release',
      ledger.releaseId,
    ]);
    void listed;
    expect((await ledger.fx.store.get(first!))?.body).toBe(honest);
    const { run, findings } = await auditVerify(ledger);
    expect(run.code).toBe(1);
    expect(findings).toContainEqual(
      expect.objectContaining({
        problem: 'stray-object',
        about: first,
        expected: `nothing but the record at ${first}`,
        found: expect.stringContaining(`.${name}.versions/000000000002: a hidden version file`),
      }),
    );
  });

  it('a crash between a record and its audit entry is reported, not healed', async () => {
    // What a command killed after writing its record and before appending its entry leaves behind.
    const key = `evidence/${ledger.releaseId}/ev-interrupted.json`;
    await ledger.fx.store.createIfAbsent(key, '{"id":"ev-interrupted"}\n');
    const { findings } = await auditVerify(ledger);
    expect(findings).toContainEqual(expect.objectContaining({ problem: 'unaudited-record', about: key }));
  });
});
