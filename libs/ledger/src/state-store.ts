import { ShipgateError } from '@shipgate/model';
import { mapLimit } from './retry';

/** One stored object: its body and an opaque version token for replaceIfVersion. */
export interface StoredObject {
  body: string;
  version: string;
}

/** Options for listing keys. */
export interface ListOptions {
  /** Only keys sorting strictly after this one (S3 `StartAfter`). */
  startAfter?: string;
}

/**
 * The narrow storage port of the ledger: objects under keys, with only the primitives that both a
 * directory and an S3 bucket can do atomically. Callers never need a lock.
 */
export interface StateStore {
  /** Where the store lives, for messages (`/repo/.shipgate`, `s3://bucket/prefix`). */
  readonly location: string;
  /** The object under `key`, or undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Creates the object only when no object exists under `key`; never overwrites. */
  createIfAbsent(key: string, body: string): Promise<'created' | 'exists'>;
  /** Replaces the object only when its current version is `version`; otherwise reports a conflict. */
  replaceIfVersion(key: string, body: string, version: string): Promise<'replaced' | 'conflict'>;
  /**
   * Many objects at once, in the order asked (undefined where absent), exactly as `get` reads each:
   * for stores with a faster way than one `get` per key. Callers use `readMany`, which falls back.
   */
  getMany?(keys: readonly string[]): Promise<(StoredObject | undefined)[]>;
  /** Every key starting with `prefix`, sorted by code unit (as S3 lists them). */
  list(prefix: string, options?: ListOptions): Promise<string[]>;
  /**
   * Objects the store holds that no write of shipgate's made and that reads never return (a hidden
   * version beside a write-once record), for `audit verify`. Stores without such places omit it.
   */
  strayObjects?(): Promise<StrayObject[]>;
  /** What keeps written objects from being deleted or overwritten, for `audit verify` to report. */
  protection?(): Promise<StoreProtection>;
}

/** Whether the store itself prevents deletion (S3 Object Lock) or only checkpoints detect it. */
export interface StoreProtection {
  kind: 'none' | 'object-lock';
  /** In words: `S3 Object Lock, COMPLIANCE for 365 days`, or why there is none. */
  description: string;
}

/** Something found in the store that shipgate never wrote there. */
export interface StrayObject {
  /** The record it sits beside. */
  key: string;
  /** Where it is (a path, an S3 key and version). */
  where: string;
  problem: string;
}

/** Keys whose records are updated by compare-and-swap; every other key is write-once. */
const replaceablePrefixes = ['deployments/'];

/**
 * The one rule for which records may change after they are written: deployment records (their outcome
 * follows the deployment). Releases, evidence, decisions and audit entries are write-once, so a store
 * never reads a later version of them, and refuses to write one.
 */
export function isReplaceableKey(key: string): boolean {
  return replaceablePrefixes.some((p) => key.startsWith(p));
}

/** Throws when a caller tries to replace a write-once record (a bug: it would rewrite history). */
export function assertReplaceableKey(key: string): void {
  if (!isReplaceableKey(key))
    throw new ShipgateError(
      'INTERNAL',
      `expected a replaceable record (${replaceablePrefixes.join(', ')}) for replace-if-version, found write-once ${key}`,
      { hint: 'Releases, evidence, decisions and audit entries are never replaced; write a new record.' },
    );
}

const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Refuses keys that could escape the store or collide with its bookkeeping: every `/`-separated
 * segment is a plain name that does not start with a dot.
 */
export function assertValidKey(key: string): void {
  const segments = key.split('/');
  if (!key || segments.some((s) => !segmentPattern.test(s) || s.length > 200)) {
    throw new ShipgateError(
      'INTERNAL',
      `expected a ledger key of plain '/'-separated names (letters, digits, '.', '_', '-', not starting with '.'), found "${key}"`,
    );
  }
}

/** Refuses prefixes that are not a key prefix ("" lists everything; "audit/" lists a folder). */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  assertValidKey(body);
}

/** `location/key`, for messages. */
export function describeKey(store: Pick<StateStore, 'location'>, key: string): string {
  return store.location.endsWith('/') ? store.location + key : `${store.location}/${key}`;
}

/** Concurrent `get`s for a store without a bulk read. */
const readConcurrency = 16;

/**
 * The objects under many keys, in order (undefined where absent): the one way the ledger reads in
 * bulk (records, audit entries), through the store's `getMany` when it has one.
 */
export function readMany(store: StateStore, keys: readonly string[]): Promise<(StoredObject | undefined)[]> {
  return store.getMany ? store.getMany(keys) : mapLimit(keys, readConcurrency, (key) => store.get(key));
}
