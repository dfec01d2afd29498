import {
  assertReplaceableKey,
  assertValidKey,
  assertValidPrefix,
  type ListOptions,
  type StateStore,
  type StoredObject,
} from '../state-store';

/** An in-memory StateStore with the same semantics as the real ones, for other libraries' fast tests. */
export class MemoryStateStore implements StateStore {
  readonly location = 'memory://ledger';
  readonly objects = new Map<string, { body: string; version: number }>();

  async get(key: string): Promise<StoredObject | undefined> {
    assertValidKey(key);
    const o = this.objects.get(key);
    return o && { body: o.body, version: String(o.version) };
  }

  async createIfAbsent(key: string, body: string): Promise<'created' | 'exists'> {
    assertValidKey(key);
    if (this.objects.has(key)) return 'exists';
    this.objects.set(key, { body, version: 1 });
    return 'created';
  }

  async replaceIfVersion(key: string, body: string, version: string): Promise<'replaced' | 'conflict'> {
    assertReplaceableKey(key);
    assertValidKey(key);
    const o = this.objects.get(key);
    if (!o || String(o.version) !== version) return 'conflict';
    this.objects.set(key, { body, version: o.version + 1 });
    return 'replaced';
  }

  async list(prefix: string, options: ListOptions = {}): Promise<string[]> {
    assertValidPrefix(prefix);
    return [...this.objects.keys()]
      .filter((k) => k.startsWith(prefix) && (options.startAfter === undefined || k > options.startAfter))
      .sort((a, b) => (a < b ? -1 : 1));
  }
}
