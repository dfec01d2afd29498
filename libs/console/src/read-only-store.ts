import type { StateStore } from '@shipgate/ledger';
import { ShipgateError } from '@shipgate/model';

/**
 * The state store as the console sees it: reads pass through, every write is refused. The console is
 * read-only by construction, not by care: no page, and no bug in one, can change the ledger.
 */
export function readOnlyStore(store: StateStore): StateStore {
  const refuse = (key: string): never => {
    throw new ShipgateError('INTERNAL', `expected the console to write nothing, found a write to ${key}`, {
      hint: 'The console is read-only; this is a bug in it. Changes go through the CLI.',
    });
  };
  return {
    location: store.location,
    get: (key) => store.get(key),
    ...(store.getMany ? { getMany: (keys: readonly string[]) => store.getMany!(keys) } : {}),
    list: (prefix, options) => store.list(prefix, options),
    createIfAbsent: async (key) => refuse(key),
    replaceIfVersion: async (key) => refuse(key),
  };
}
