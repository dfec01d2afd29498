import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCopyText, pgliteScan } from './pglite-scan';

describe("PGlite's scan through COPY by block range", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec(`
      CREATE TABLE tricky (id int PRIMARY KEY, body text);
      CREATE TABLE wide (n int, pad text);
      INSERT INTO wide SELECT g, repeat('x', g % 300) FROM generate_series(1, 5000) g;
      CREATE TABLE parted (id int, body text) PARTITION BY RANGE (id);
      CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (100);
      CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (100) TO (200);
      INSERT INTO parted SELECT g, 'row ' || g FROM generate_series(1, 199) g;`);
    await db.query('INSERT INTO tricky VALUES ($1, $2), ($3, $4), ($5, $6), ($7, NULL), ($8, $9)', [
      1,
      'tab\there, newline\nthere, backslash \\ and \\N',
      2,
      'backspace \b, form feed \f, vertical tab \v, carriage return \r',
      3,
      'plain: ünïcödé, emoji 😀, quote " and \'',
      4,
      5,
      '',
    ]);
  });
  afterAll(async () => db.close());

  const scanAll = (select: string, from: string, batchSize: number) =>
    db.transaction(async (tx) => {
      const batches: (string | null)[][][] = [];
      for await (const batch of pgliteScan(tx, { select, from }, batchSize)) batches.push(batch);
      return batches;
    });

  it('gives back every value exactly as a SELECT does: escapes, NULL, empty text, non-ASCII', async () => {
    const batches = await scanAll('id::text, body', 'tricky', 1000);
    const expected = (
      await db.query<[string, string | null]>('SELECT id::text, body FROM tricky', [], { rowMode: 'array' })
    ).rows;
    expect(batches.flat()).toEqual(expected);
    expect(batches.flat()[3]).toEqual(['4', null]);
    expect(batches.flat()[4]).toEqual(['5', '']);
  });

  it('reads every row once, in batches of about batchSize, in a table without a primary key', async () => {
    const batches = await scanAll('n::text', 'wide', 400);
    const seen = batches.flat().map(([n]) => Number(n));
    expect(seen).toHaveLength(5000);
    expect(new Set(seen).size).toBe(5000);
    expect(batches.length).toBeGreaterThan(5);
    // The first range is a guess; every later one is sized from the rows per block it found.
    for (const batch of batches.slice(1, -1)) expect(batch.length).toBeLessThan(400 * 2);
  });

  it('reads a partitioned table through a cursor (it has no heap blocks of its own)', async () => {
    const rows = (await scanAll('id::text, body', 'parted', 50)).flat();
    expect(rows).toHaveLength(199);
    expect(rows.find(([id]) => id === '150')).toEqual(['150', 'row 150']);
  });
});

describe('parseCopyText', () => {
  it('splits lines and fields and decodes only fields that hold an escape', () => {
    expect(parseCopyText('1\ta\\tb\n2\t\\N\n3\t\n')).toEqual([
      ['1', 'a\tb'],
      ['2', null],
      ['3', ''],
    ]);
    expect(parseCopyText('')).toEqual([]);
  });
});
