import { ManualClock, seededRandom } from '@shipgate/model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryBytes, auditKey, hashAuditEntry, parseAuditEntry } from './audit-entry';
import { AuditLog } from './audit-log';
import { createStoreFixture, type StoreFixture } from './testing/store-fixture';

describe.each(['fs', 's3'] as const)('AuditLog (%s)', (kind) => {
  let fx: StoreFixture;
  let clock: ManualClock;
  let log: AuditLog;
  const open = async () => new AuditLog(await fx.reopen(), { clock, random: seededRandom(7), sleep: async () => {} });

  beforeEach(async () => {
    fx = await createStoreFixture(kind, { pageSize: 4 });
    clock = new ManualClock('2026-03-01T10:00:00Z');
    log = new AuditLog(fx.store, { clock, random: seededRandom(1), sleep: async () => {} });
  });
  afterEach(async () => fx.close());

  async function appendMany(n: number): Promise<void> {
    for (let i = 1; i <= n; i++) {
      clock.advance(1000);
      await log.append({
        actor: i % 2 ? 'alice@example.com' : 'bob',
        action: i % 3 ? 'release.create' : 'deploy.start',
        subject: { service: 'svc', environment: i % 2 ? 'staging' : 'production', releaseId: `rel-${i}` },
        details: { i },
      });
    }
  }

  it('chains entries from the genesis and verifies them', async () => {
    await appendMany(10);
    const entries = await log.list();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    expect(await log.verify()).toEqual({ ok: true, entries: 10, lastSeq: 10, headHash: entries[9]!.hash });
  });

  it('verifies an empty log', async () => {
    expect(await log.verify()).toMatchObject({ ok: true, entries: 0 });
  });

  it('finds one edited byte and names the entry', async () => {
    await appendMany(8);
    const body = (await fx.raw.read(auditKey(5)))!;
    await fx.raw.write(auditKey(5), body.replace('alice@', 'alicf@'));
    expect(await (await open()).verify()).toMatchObject({
      ok: false,
      seq: 5,
      key: auditKey(5),
      problem: 'hash-mismatch',
    });
  });

  it('finds an edited byte anywhere: in JSON structure, in whitespace, in the hash itself', async () => {
    await appendMany(6);
    const original = (await fx.raw.read(auditKey(3)))!;
    await fx.raw.write(auditKey(3), original.replace('{', '['));
    expect(await (await open()).verify()).toMatchObject({
      ok: false,
      seq: 3,
      problem: 'unreadable',
      expected: 'a JSON audit entry',
    });
    await fx.raw.write(auditKey(3), original.replace('\n', ' '));
    expect(await (await open()).verify()).toMatchObject({ ok: false, seq: 3, problem: 'hash-mismatch' });
    const entry = JSON.parse(original) as { hash: string };
    const flipped = entry.hash.slice(0, -1) + (entry.hash.endsWith('0') ? '1' : '0');
    await fx.raw.write(auditKey(3), original.replace(entry.hash, flipped));
    expect(await (await open()).verify()).toMatchObject({
      ok: false,
      seq: 3,
      problem: 'hash-mismatch',
      found: `hash ${flipped}`,
      expected: expect.stringContaining(entry.hash),
    });
  });

  it('finds a deleted entry in the middle and at the start', async () => {
    await appendMany(7);
    await fx.raw.remove(auditKey(4));
    expect(await (await open()).verify()).toMatchObject({
      ok: false,
      seq: 4,
      problem: 'missing',
      found: `next entry is #5 (${auditKey(5)})`,
    });
    await fx.raw.remove(auditKey(1));
    expect(await (await open()).verify()).toMatchObject({ ok: false, seq: 1, problem: 'missing' });
  });

  it('finds two swapped entries and names the first', async () => {
    await appendMany(9);
    const a = (await fx.raw.read(auditKey(6)))!;
    const b = (await fx.raw.read(auditKey(7)))!;
    await fx.raw.write(auditKey(6), b);
    await fx.raw.write(auditKey(7), a);
    expect(await (await open()).verify()).toMatchObject({
      ok: false,
      seq: 6,
      problem: 'out-of-order',
      expected: `entry #6 at ${auditKey(6)}`,
      found: 'entry #7',
    });
  });

  it('finds an entry rewritten with a fresh hash by the broken link after it', async () => {
    await appendMany(5);
    const parsed = parseAuditEntry((await fx.raw.read(auditKey(3)))!);
    if (!parsed.ok) throw new Error(parsed.reason);
    const forged = { ...parsed.entry, actor: 'mallory' };
    forged.hash = hashAuditEntry(forged);
    await fx.raw.write(auditKey(3), auditEntryBytes(forged));
    expect(await (await open()).verify()).toMatchObject({
      ok: false,
      seq: 4,
      problem: 'prev-hash-mismatch',
      expected: `prevHash ${forged.hash} (hash of entry #3)`,
      found: `prevHash ${parsed.entry.hash}`,
    });
  });

  it('filters entries and keeps the last N in seq order', async () => {
    await appendMany(12);
    const staging = await log.list({ environment: 'staging' });
    expect(staging.map((e) => e.seq)).toEqual([1, 3, 5, 7, 9, 11]);
    expect((await log.list({ actor: 'bob', action: 'deploy.start' })).map((e) => e.seq)).toEqual([6, 12]);
    expect((await log.list({ releaseId: 'rel-4' })).map((e) => e.seq)).toEqual([4]);
    expect((await log.list({ since: '2026-03-01T10:00:10Z' })).map((e) => e.seq)).toEqual([10, 11, 12]);
    expect((await log.list({ service: 'svc', limit: 2 })).map((e) => e.seq)).toEqual([11, 12]);
    expect(await log.list({ service: 'other' })).toEqual([]);
  });

  it('returns the last N matches across read windows, oldest first', async () => {
    await appendMany(150);
    const odd = Array.from({ length: 75 }, (_, i) => 2 * i + 1);
    expect((await log.list({ environment: 'staging', limit: 70 })).map((e) => e.seq)).toEqual(odd.slice(-70));
    expect(await log.list({ environment: 'staging', limit: 0 })).toEqual([]);
    expect((await log.list({ environment: 'staging' })).map((e) => e.seq)).toEqual(odd);
  });

  it('keeps one linear chain when several handles append at once', async () => {
    const logs = await Promise.all([open(), open(), open()]);
    await Promise.all(
      logs.map(async (l, w) => {
        for (let i = 0; i < 40; i++) await l.append({ actor: `w${w}`, action: 'test', details: { i } });
      }),
    );
    await log.append({ actor: 'late', action: 'test' });
    expect(await log.verify()).toMatchObject({ ok: true, entries: 121 });
    const actors = (await log.list()).map((e) => e.actor);
    expect(['w0', 'w1', 'w2', 'late'].map((a) => actors.filter((x) => x === a).length)).toEqual([40, 40, 40, 1]);
  });

  it('refuses to extend a log whose tail is unreadable', async () => {
    await appendMany(3);
    await fx.raw.write(auditKey(3), 'garbage');
    await expect((await open()).append({ actor: 'a', action: 'x' })).rejects.toMatchObject({ code: 'LEDGER_CORRUPT' });
  });
});
