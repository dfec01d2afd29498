import type { Faker } from '@faker-js/faker';
import { ShipgateError } from '@shipgate/model';
import type { GeneratorContext } from './generator';

/** Pools are small: building one never costs more than this many faker calls per wanted value. */
const ATTEMPTS_PER_VALUE = 20;

/**
 * Builds a pool of `size` faker-made values, deterministic for (seed, table, key). With `distinct`, retries
 * are bounded: if faker cannot produce enough distinct values, this says so instead of looping forever.
 */
export function buildPool(
  ctx: GeneratorContext,
  key: string,
  size: number,
  make: (faker: Faker) => string,
  distinct: boolean,
): string[] {
  const cacheKey = `pool:${key}:${size}:${distinct}`;
  const cached = ctx.shared.get(cacheKey) as string[] | undefined;
  if (cached) return cached;
  const faker = ctx.fakerFor('pool', key);
  const pool: string[] = [];
  const seen = distinct ? new Set<string>() : undefined;
  const maxAttempts = size * ATTEMPTS_PER_VALUE + 100;
  for (let attempt = 0; pool.length < size && attempt < maxAttempts; attempt++) {
    const value = make(faker);
    if (seen) {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    pool.push(value);
  }
  if (pool.length < size) {
    throw new ShipgateError(
      'DATASET_INVALID',
      `tables.${ctx.table}.columns.${ctx.column}: expected ${size} distinct values from the faker pool "${key}", found only ${pool.length} after ${maxAttempts} attempts`,
      {
        location: { path: `tables.${ctx.table}.columns.${ctx.column}` },
        hint: 'Lower the pool size, drop `unique`, or use a generator that embeds the row number (gen.sequence, gen.email).',
      },
    );
  }
  ctx.shared.set(cacheKey, pool);
  return pool;
}
