import { describe, expect, it } from 'vitest';
import { isShipgateError } from '@shipgate/model';
import type { ShipgateError } from '@shipgate/model';
import type { DatasetDeclaration } from './define-dataset';
import { defineDataset, validateDataset } from './define-dataset';
import { generateCopyChunks } from './generate-rows';
import { gen } from './gen';
import { distribution } from './generator';

const volume = (small: number, big = small * 10) => ({ small, 'production-like': big });

function declaration(tables: DatasetDeclaration['tables']): DatasetDeclaration {
  const schemaSql = Object.keys(tables)
    .map((t) => `CREATE TABLE ${t} (id bigint);`)
    .join('\n');
  return { name: 'bad', schemaSql, tables };
}

function thrown(fn: () => unknown): ShipgateError {
  try {
    fn();
  } catch (error) {
    if (isShipgateError(error)) return error;
    throw error;
  }
  throw new Error('expected a ShipgateError');
}

describe('defineDataset validation', () => {
  it('refuses a reference to an unknown table, with the column path', () => {
    const error = thrown(() =>
      defineDataset(
        declaration({
          orders: {
            volume: volume(10),
            columns: {
              id: { type: 'bigint', generator: gen.id() },
              customer_id: { type: 'bigint', generator: gen.ref('customer') },
            },
          },
        }),
      ),
    );
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.problems[0]).toMatchObject({ path: 'tables.orders.columns.customer_id' });
    expect(error.problems[0]!.message).toContain('unknown table "customer"');
  });

  it('refuses a cycle of references and names it', () => {
    const problems = validateDataset(
      declaration({
        a: {
          volume: volume(1),
          columns: { id: { type: 'bigint', generator: gen.id() }, b_id: { type: 'bigint', generator: gen.ref('b') } },
        },
        b: {
          volume: volume(1),
          columns: { id: { type: 'bigint', generator: gen.id() }, a_id: { type: 'bigint', generator: gen.ref('a') } },
        },
      }),
    );
    expect(problems.map((p) => p.message)).toContain('references form a cycle: a -> b -> a');
  });

  it('refuses a unique column whose generator cannot produce enough distinct values, per profile', () => {
    const problems = validateDataset(
      declaration({
        t: {
          volume: volume(50, 500),
          columns: {
            id: { type: 'bigint', generator: gen.id() },
            code: { type: 'int', generator: gen.int(1, 100), unique: true },
          },
        },
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'tables.t.columns.code' });
    expect(problems[0]!.message).toBe(
      'unique column needs 500 distinct values for profile production-like, but int(1, 100) can produce at most 100',
    );
  });

  it('refuses a unique column whose generator cannot guarantee distinct values at all', () => {
    const problems = validateDataset(
      declaration({
        t: { volume: volume(5), columns: { city: { type: 'text', generator: gen.city(), unique: true } } },
      }),
    );
    expect(problems[0]!.message).toContain('cannot guarantee distinct values');
  });

  it('refuses a non-reserved email domain, a missing CREATE TABLE and a bad volume, all at once', () => {
    const decl = declaration({
      t: {
        volume: { small: -1, 'production-like': 10 },
        columns: { email: { type: 'text', generator: gen.email({ domains: ['gmail.com'] }) } },
      },
    });
    decl.schemaSql = '';
    const paths = validateDataset(decl).map((p) => `${p.path}: ${p.message}`);
    expect(paths).toEqual([
      'tables.t: expected a CREATE TABLE t statement in schemaSql, found none',
      'tables.t.volume.small: expected a whole number of rows >= 0, found -1',
      'tables.t.columns.email.generator: email domain "gmail.com" is not reserved (use example.com/.net/.org or *.test)',
    ]);
  });

  it('accepts declaration order children-first and orders parents first', () => {
    const ds = defineDataset(
      declaration({
        c: {
          volume: volume(3),
          columns: {
            id: { type: 'bigint', generator: gen.id() },
            b_id: { type: 'bigint', generator: gen.ref('b', { distribution: distribution.zipf(1.2) }) },
          },
        },
        b: {
          volume: volume(3),
          columns: { id: { type: 'bigint', generator: gen.id() }, a_id: { type: 'bigint', generator: gen.ref('a') } },
        },
        a: { volume: volume(3), columns: { id: { type: 'bigint', generator: gen.id() } } },
      }),
    );
    expect(ds.tableOrder).toEqual(['a', 'b', 'c']);
    expect(ds.relations.map((r) => `${r.from.table}.${r.from.column}->${r.to.table}.${r.to.column}`)).toEqual([
      'c.b_id->b.id',
      'b.a_id->a.id',
    ]);
  });

  it('stops with an explanation, not an endless loop, when a faker pool cannot be made distinct', async () => {
    const ds = defineDataset(
      declaration({
        t: {
          volume: volume(10, 10),
          columns: {
            color: {
              type: 'text',
              generator: gen.fakerPool(50, (f) => f.helpers.arrayElement(['red', 'green', 'blue']), 'colors'),
              unique: true,
            },
          },
        },
      }),
    );
    const run = async () => {
      for await (const _ of generateCopyChunks({ dataset: ds, profile: 'small', seed: 1 })) void _;
    };
    await expect(run()).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining(
        'expected 50 distinct values from the faker pool "color:colors", found only 3 after 1100 attempts',
      ),
    });
  });

  it('makes finite unique columns distinct by permutation', async () => {
    const ds = defineDataset(
      declaration({
        t: { volume: volume(100, 100), columns: { code: { type: 'int', generator: gen.int(1, 100), unique: true } } },
      }),
    );
    const seen = new Set<string>();
    for await (const chunk of generateCopyChunks({ dataset: ds, profile: 'small', seed: 9 }))
      chunk.text
        .split('\n')
        .filter(Boolean)
        .forEach((v) => seen.add(v));
    expect(seen.size).toBe(100);
  });
});
