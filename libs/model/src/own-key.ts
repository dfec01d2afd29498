/**
 * Lookups by a name someone typed (a service, an environment, a profile, a placeholder) must find only
 * what the config declares: `config.services['constructor']` would otherwise return Object's
 * constructor, and `gate constructor` would pass a gate that does not exist.
 */

/** Keys that name Object.prototype's machinery; config maps refuse them (#11 item 13). */
export const reservedKeys: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** True for `__proto__`, `constructor` and `prototype`. */
export function isReservedKey(key: string): boolean {
  return reservedKeys.includes(key);
}

/** The value a record holds under `key` itself, never one inherited from its prototype. */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && record !== null && Object.hasOwn(record, key) ? record[key] : undefined;
}
