// What an attacker with write access to the state store does to the audit log, for the attack suites
// (libs/ledger, apps/cli/src/attacks) and the rehearsal. Each works on the raw bytes, bypassing shipgate.
import type { AuditEntry } from '@shipgate/model';
import { auditEntryBytes, auditKey, hashAuditEntry, parseAuditEntry } from '../audit-entry';
import type { StateStore } from '../state-store';

/** Raw access to the bytes behind keys (StoreFixture.raw, or a plain directory). */
export interface RawAccess {
  read(key: string): Promise<string | undefined>;
  write(key: string, body: string): Promise<void>;
  remove(key: string): Promise<void>;
}

async function readEntries(store: StateStore, raw: RawAccess): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (const key of await store.list('audit/')) {
    const parsed = parseAuditEntry((await raw.read(key)) ?? '');
    if (parsed.ok) entries.push(parsed.entry);
  }
  return entries;
}

/** Re-seals entries from `from` on so that the chain verifies again (what a careful attacker does). */
function rechain(entries: AuditEntry[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const [i, e] of entries.entries()) {
    const unsealed = { ...e, seq: i + 1, prevHash: i === 0 ? '0'.repeat(64) : out[i - 1]!.hash };
    out.push({ ...unsealed, hash: hashAuditEntry(unsealed) });
  }
  return out;
}

async function writeAll(raw: RawAccess, before: number, entries: AuditEntry[]): Promise<void> {
  for (const e of entries) await raw.write(auditKey(e.seq), auditEntryBytes(e));
  for (let seq = entries.length + 1; seq <= before; seq++) await raw.remove(auditKey(seq));
}

/** Deletes the newest `count` entries (all of them when count ≥ the log's length). */
export async function truncateAuditLog(store: StateStore, raw: RawAccess, count: number): Promise<number> {
  const keys = await store.list('audit/');
  const doomed = keys.slice(Math.max(0, keys.length - count));
  for (const key of doomed) await raw.remove(key);
  return doomed.length;
}

/** Edits entry `seq` and recomputes every hash after it, so that the chain alone verifies. */
export async function rewriteAuditEntry(
  store: StateStore,
  raw: RawAccess,
  seq: number,
  edit: (entry: AuditEntry) => AuditEntry,
): Promise<void> {
  const entries = await readEntries(store, raw);
  const edited = entries.map((e) => (e.seq === seq ? edit(e) : e));
  await writeAll(raw, entries.length, rechain(edited));
}

/** Inserts a forged entry before entry `seq`, renumbering and rechaining the rest. */
export async function insertAuditEntry(
  store: StateStore,
  raw: RawAccess,
  seq: number,
  forged: Pick<AuditEntry, 'actor' | 'action' | 'subject' | 'details'>,
): Promise<void> {
  const entries = await readEntries(store, raw);
  const at = entries[seq - 1]?.at ?? entries.at(-1)?.at ?? new Date(0).toISOString();
  const fake = { seq, at, prevHash: '', hash: '', ...forged } as AuditEntry;
  await writeAll(raw, entries.length, rechain([...entries.slice(0, seq - 1), fake, ...entries.slice(seq - 1)]));
}
