import { parseAuditEntry, seqOfAuditKey } from './audit-entry';
import { entryCountOfCheckpointKey } from './audit-checkpoint';
import {
  assertReplaceableKey,
  assertValidKey,
  assertValidPrefix,
  describeKey,
  type ListOptions,
  type StateStore,
  type StoredObject,
} from './state-store';

/** One write a dry run held back: where it would have gone and what it would have said. */
export interface HeldWrite {
  key: string;
  /** `location/key`, as the real store names it. */
  where: string;
  /** `create` for a new record, `replace` for an update of an existing one. */
  action: 'create' | 'replace';
  /** What the record is, for people: `release rel-3f9a`, `audit entry #12: evidence.add by carol`. */
  what: string;
  body: string;
}

/**
 * A state store for `--dry-run`: reads go to the real store, writes are held in memory instead and
 * read back by the same run, so a command runs every check and every write path of a real run (the
 * audit log finds its tail, a second write sees the first) and the real store stays byte-for-byte
 * unchanged. `writes` lists what a real run would have written, in order.
 */
export class DryRunStateStore implements StateStore {
  readonly location: string;
  private readonly held = new Map<string, { body: string; version: string }>();
  private readonly log: HeldWrite[] = [];

  constructor(private readonly real: StateStore) {
    this.location = real.location;
  }

  /** Every held write, in the order the command made them. */
  get writes(): readonly HeldWrite[] {
    return this.log;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    assertValidKey(key);
    return this.held.get(key) ?? this.real.get(key);
  }

  async createIfAbsent(key: string, body: string): Promise<'created' | 'exists'> {
    if (await this.get(key)) return 'exists';
    this.hold(key, body, 'create');
    return 'created';
  }

  async replaceIfVersion(key: string, body: string, version: string): Promise<'replaced' | 'conflict'> {
    assertReplaceableKey(key);
    const current = await this.get(key);
    if (!current || current.version !== version) return 'conflict';
    this.hold(key, body, 'replace');
    return 'replaced';
  }

  async list(prefix: string, options: ListOptions = {}): Promise<string[]> {
    assertValidPrefix(prefix);
    const keys = new Set(await this.real.list(prefix, options));
    for (const key of this.held.keys())
      if (key.startsWith(prefix) && (options.startAfter === undefined || key > options.startAfter)) keys.add(key);
    return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async protection() {
    return (await this.real.protection?.()) ?? { kind: 'none' as const, description: 'unknown store' };
  }

  async strayObjects() {
    return (await this.real.strayObjects?.()) ?? [];
  }

  private hold(key: string, body: string, action: HeldWrite['action']): void {
    this.held.set(key, { body, version: `dry-run-${this.log.length + 1}` });
    this.log.push({ key, where: describeKey(this.real, key), action, what: describeRecord(key, body), body });
  }
}

const recordKinds: Record<string, string> = {
  releases: 'release',
  evidence: 'evidence',
  decisions: 'gate decision',
  deployments: 'deployment record',
};

/** What a ledger key holds, in words: the record kind and its id, or the audit entry's action and actor. */
export function describeRecord(key: string, body: string): string {
  const seq = seqOfAuditKey(key);
  if (seq !== undefined) {
    const parsed = parseAuditEntry(body);
    return parsed.ok ? `audit entry #${seq}: ${parsed.entry.action} by ${parsed.entry.actor}` : `audit entry #${seq}`;
  }
  const checkpointAt = entryCountOfCheckpointKey(key);
  if (checkpointAt !== undefined) return `audit checkpoint after entry #${checkpointAt}, signed by this run's identity`;
  const [folder] = key.split('/');
  const id = key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');
  const kind = recordKinds[folder ?? ''] ?? folder ?? 'record';
  if (folder === 'evidence') {
    const evidenceKind = evidenceKindOf(body);
    return `${evidenceKind ? `${evidenceKind} ` : ''}evidence ${id} for ${key.split('/')[1]}`;
  }
  return `${kind} ${id}`;
}

function evidenceKindOf(body: string): string | undefined {
  try {
    const kind = (JSON.parse(body) as { kind?: unknown }).kind;
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    return undefined;
  }
}
