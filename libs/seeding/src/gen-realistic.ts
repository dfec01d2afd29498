import type { Faker } from '@faker-js/faker';
import type { ColumnGenerator, GeneratorContext, ValueFn } from './generator';
import { mix32 } from './generator';
import { buildPool } from './pools';
import { findEmails, isFictionalPhone, isReservedDomain } from './synthetic-rules';

const PERSON_POOL = 1000;

interface PersonPools {
  first: string[];
  last: string[];
  salt: number;
}

/**
 * The person of row i, shared by every person column of a table (first name, last name, email), so the
 * email of a row matches its name. Chosen by hashing the row index, not by the chunk's PRNG stream.
 */
function personPools(ctx: GeneratorContext): PersonPools {
  const cached = ctx.shared.get('person') as PersonPools | undefined;
  if (cached) return cached;
  const pools: PersonPools = {
    first: buildPool({ ...ctx, column: '(person)' }, 'person.first', PERSON_POOL, (f) => f.person.firstName(), false),
    last: buildPool({ ...ctx, column: '(person)' }, 'person.last', PERSON_POOL, (f) => f.person.lastName(), false),
    salt: mix32(ctx.seed ^ 0x5bd1e995),
  };
  ctx.shared.set('person', pools);
  return pools;
}

function firstOf(p: PersonPools, index: number): string {
  return p.first[mix32(index ^ p.salt) % PERSON_POOL] as string;
}
function lastOf(p: PersonPools, index: number): string {
  return p.last[mix32((index + 0x3c6ef372) ^ p.salt) % PERSON_POOL] as string;
}

function realistic(
  kind: string,
  compile: (ctx: GeneratorContext) => ValueFn,
  extra: Partial<ColumnGenerator> = {},
): ColumnGenerator {
  return {
    kind,
    description: kind,
    cardinality: Infinity,
    uniqueByConstruction: false,
    enumerable: false,
    compile,
    ...extra,
  };
}

/** The row's person's first name (faker-made pool). */
export function firstName(): ColumnGenerator {
  return realistic('firstName', (ctx) => {
    const p = personPools(ctx);
    return (row) => firstOf(p, row.index);
  });
}

/** The row's person's last name (faker-made pool). */
export function lastName(): ColumnGenerator {
  return realistic('lastName', (ctx) => {
    const p = personPools(ctx);
    return (row) => lastOf(p, row.index);
  });
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The row's person's email on a reserved domain; embeds the row number, so it is unique at any volume. */
export function email(options: { domains?: readonly string[] } = {}): ColumnGenerator {
  const domains = options.domains ?? ['example.com', 'example.net', 'example.org'];
  return realistic(
    'email',
    (ctx) => {
      const p = personPools(ctx);
      return (row) =>
        `${slug(firstOf(p, row.index))}.${slug(lastOf(p, row.index))}.${row.index + 1}@${domains[row.index % domains.length]}`;
    },
    {
      uniqueByConstruction: true,
      accepts: (text) => {
        const found = findEmails(text);
        return found.length === 1 && found[0]?.email === text && domains.includes(found[0].domain);
      },
      problems: () => [
        ...(domains.length === 0 ? ['email() needs at least one domain'] : []),
        ...domains
          .filter((d) => !isReservedDomain(d))
          .map((d) => `email domain "${d}" is not reserved (use example.com/.net/.org or *.test)`),
      ],
    },
  );
}

/** A phone number in a range reserved for fiction: US (NXX) 555-0100..0199, UK 07700 900000..900999. */
export function phone(options: { region?: 'us' | 'uk' | 'mixed' } = {}): ColumnGenerator {
  const region = options.region ?? 'us';
  const us = (n: number): string => `(${201 + (n % 789)}) 555-01${String(Math.floor(n / 789) % 100).padStart(2, '0')}`;
  const uk = (n: number): string => `07700 900${String(n % 1000).padStart(3, '0')}`;
  return realistic(
    'phone',
    () => (row) => {
      const n = row.rng.nextUint32();
      if (region === 'us') return us(n);
      if (region === 'uk') return uk(n);
      return n & 1 ? uk(n >>> 1) : us(n >>> 1);
    },
    { cardinality: region === 'uk' ? 1000 : region === 'us' ? 78_900 : 79_900, accepts: isFictionalPhone },
  );
}

function pooled(kind: string, size: number, make: (f: Faker) => string): ColumnGenerator {
  return realistic(
    kind,
    (ctx) => {
      const pool = buildPool(ctx, kind, size, make, false);
      return (row) => pool[row.rng.int(size)] as string;
    },
    { description: `${kind} (pool of ${size})` },
  );
}

/** A street address: a random house number and a faker-made street name. */
export function streetAddress(): ColumnGenerator {
  return realistic('streetAddress', (ctx) => {
    const streets = buildPool(ctx, 'street', 1000, (f) => f.location.street(), false);
    return (row) => `${row.rng.range(1, 9999)} ${streets[row.rng.int(streets.length)] as string}`;
  });
}

/** A city name (faker-made pool). */
export const city = (): ColumnGenerator => pooled('city', 500, (f) => f.location.city());
/** A US state abbreviation. */
export const state = (): ColumnGenerator => pooled('state', 50, (f) => f.location.state({ abbreviated: true }));
/** A 5-digit postcode. */
export const postcode = (): ColumnGenerator =>
  realistic('postcode', () => (row) => String(row.rng.range(1000, 99999)).padStart(5, '0'));
/** A product name (faker-made pool). */
export const productName = (): ColumnGenerator => pooled('productName', 1000, (f) => f.commerce.productName());

/** `prefix` + (start + row index), zero-padded: unique by construction. */
export function sequence(prefix = '', options: { start?: number; pad?: number } = {}): ColumnGenerator {
  const start = options.start ?? 1;
  const pad = options.pad ?? 0;
  return realistic('sequence', () => (row) => `${prefix}${String(start + row.index).padStart(pad, '0')}`, {
    description: `sequence(${prefix})`,
    uniqueByConstruction: true,
    accepts: (text) => text.startsWith(prefix) && /^\d+$/.test(text.slice(prefix.length)),
  });
}

/**
 * An opaque reference such as `pay_0K3M9ZQ`: the row index through a bijection of 32-bit integers, in
 * base 36. Looks random, is unique by construction (for up to 2^32 rows).
 */
export function opaqueReference(prefix: string): ColumnGenerator {
  return realistic(
    'opaqueReference',
    (ctx) => {
      const multiplier = (mix32(ctx.seed ^ 0x27d4eb2d) | 1) >>> 0; // odd, so the map is a bijection mod 2^32
      const offset = mix32(ctx.seed ^ 0x165667b1);
      return (row) =>
        `${prefix}${((Math.imul(row.index, multiplier) + offset) >>> 0).toString(36).toUpperCase().padStart(7, '0')}`;
    },
    {
      description: `opaqueReference(${prefix})`,
      uniqueByConstruction: true,
      accepts: (text) => text.startsWith(prefix) && /^[0-9A-Z]{7}$/.test(text.slice(prefix.length)),
    },
  );
}

/** A version-4-shaped UUID whose last 48 bits are the row index: unique by construction. */
export function uuid(): ColumnGenerator {
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  return realistic(
    'uuid',
    () => (row) => {
      const a = row.rng.nextUint32();
      const b = row.rng.nextUint32();
      return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${hex(0x8000 | ((row.index / 2 ** 32) & 0x3fff), 4)}-${hex(row.index % 2 ** 32, 12)}`;
    },
    {
      uniqueByConstruction: true,
      accepts: (text) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(text),
    },
  );
}
