import { canonicalJson, contentHash, type AuditEntry } from '@shipgate/model';

/** The `prevHash` of the first entry. */
export const genesisHash = '0'.repeat(64);

const seqWidth = 12;
const keyPattern = /^audit\/(\d{12})\.json$/;

/** What a caller says happened; the log adds seq, time and the hashes. */
export interface AuditInput {
  actor: string;
  action: string;
  subject?: AuditEntry['subject'];
  details?: Record<string, unknown>;
}

/** The store key of entry `seq`: `audit/000000000042.json`, so that keys sort in seq order. */
export function auditKey(seq: number): string {
  return `audit/${String(seq).padStart(seqWidth, '0')}.json`;
}

/** The seq a key names, or undefined for keys that are not audit entries. */
export function seqOfAuditKey(key: string): number | undefined {
  const match = keyPattern.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** sha256 over the canonical JSON of every field but `hash`. */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = entry;
  return contentHash(rest);
}

/** Builds the entry that follows `previous` (or the genesis); `nonce` makes each append's entry its own. */
export function sealAuditEntry(input: AuditInput, seq: number, at: Date, prevHash: string, nonce?: string): AuditEntry {
  const unsealed = {
    seq,
    at: at.toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject ?? {},
    details: input.details ?? {},
    ...(nonce === undefined ? {} : { nonce }),
    prevHash,
  };
  return { ...unsealed, hash: hashAuditEntry(unsealed) };
}

/**
 * The exact bytes stored for an entry: its canonical JSON and a newline. Storing canonical bytes
 * means any edit at all, even to whitespace, is detectable.
 */
export function auditEntryBytes(entry: AuditEntry): string {
  return `${canonicalJson(entry)}\n`;
}

/** Parses stored bytes into an entry, or explains why they are not one. */
export function parseAuditEntry(body: string): { ok: true; entry: AuditEntry } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  const e = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isSafeInteger(e.seq)) problems.push('seq is not an integer');
  for (const field of ['at', 'actor', 'action', 'prevHash', 'hash'])
    if (typeof e[field] !== 'string') problems.push(`${field} is not a string`);
  for (const field of ['subject', 'details'])
    if (!e[field] || typeof e[field] !== 'object' || Array.isArray(e[field]))
      problems.push(`${field} is not an object`);
  if (e.nonce !== undefined && typeof e.nonce !== 'string') problems.push('nonce is not a string');
  if (problems.length) return { ok: false, reason: problems.join(', ') };
  return { ok: true, entry: value as AuditEntry };
}
