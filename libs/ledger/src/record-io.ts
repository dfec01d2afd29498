import { canonicalJson, sha256Hex, ShipgateError } from '@shipgate/model';
import { describeKey, readMany, type StateStore, type StoredObject } from './state-store';

/** How records are written: indented JSON, so that a person can read `.shipgate/` directly. */
export function recordBytes(record: unknown): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Parses a stored record, or throws LEDGER_CORRUPT naming the object. */
export function parseRecord<T>(store: StateStore, key: string, object: StoredObject): T {
  let value: unknown;
  try {
    value = JSON.parse(object.body);
  } catch (error) {
    throw corrupt(store, key, `JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== 'object' || typeof (value as { id?: unknown }).id !== 'string')
    throw corrupt(store, key, 'no record with a string id');
  return value as T;
}

/** Reads one record, or undefined when absent. */
export async function readRecord<T>(
  store: StateStore,
  key: string,
): Promise<{ record: T; version: string } | undefined> {
  const object = await store.get(key);
  return object && { record: parseRecord<T>(store, key, object), version: object.version };
}

/** Reads every record under a prefix. */
export async function readAll<T>(store: StateStore, prefix: string): Promise<T[]> {
  const keys = await store.list(prefix);
  const objects = await readMany(store, keys);
  return objects.flatMap((object, i) => (object ? [parseRecord<T>(store, keys[i]!, object)] : []));
}

/**
 * Creates a record unless one exists; when one does, returns it so the caller can decide whether it
 * is the same (idempotent) or a conflict. Loops when S3 reports a racing write that then vanished.
 */
export async function createOrRead<T>(
  store: StateStore,
  key: string,
  record: T,
): Promise<({ created: true } | { created: false; existing: T }) & { recordHash: string }> {
  const bytes = recordBytes(record);
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await store.createIfAbsent(key, bytes)) === 'created') return { created: true, recordHash: sha256Hex(bytes) };
    const object = await store.get(key);
    if (object)
      return { created: false, existing: parseRecord<T>(store, key, object), recordHash: sha256Hex(object.body) };
  }
  throw new ShipgateError(
    'STATE_UNREACHABLE',
    `expected ${describeKey(store, key)} either to be created or to exist, found it reported as existing and then absent 5 times`,
    { hint: 'Retry; if it persists, check the store for a lifecycle rule deleting objects.' },
  );
}

function corrupt(store: StateStore, key: string, found: string): ShipgateError {
  return new ShipgateError(
    'LEDGER_CORRUPT',
    `expected a JSON ledger record at ${describeKey(store, key)}, found ${found}`,
    {
      hint: 'Restore the file from a backup, or run `shipgate audit verify` to see whether the log was tampered with.',
      location: { file: key },
    },
  );
}

/**
 * What an audit entry says about the record it is about: its key and the sha256 of its stored bytes, so
 * that `audit verify` finds a record deleted, added or replaced behind the log's back.
 */
export function recordReference(key: string, recordHash: string): { recordKey: string; recordHash: string } {
  return { recordKey: key, recordHash };
}

/**
 * Creates a write-once record (evidence, a decision): writing the same content again is a no-op, but a
 * different record under the same id is a bug in the caller, never silently kept or replaced.
 */
export async function createWriteOnce<T extends { id: string }>(
  store: StateStore,
  key: string,
  record: T,
  what: string,
): Promise<{ created: boolean; recordHash: string }> {
  const outcome = await createOrRead(store, key, record);
  if (!outcome.created && canonicalJson(outcome.existing) !== canonicalJson(record)) {
    throw new ShipgateError(
      'INTERNAL',
      `expected ${what} id ${record.id} to be new or identical, found a different record already stored under it`,
      { hint: `Give each ${what} a fresh id (newRecordId).`, location: { file: key } },
    );
  }
  return { created: outcome.created, recordHash: outcome.recordHash };
}
