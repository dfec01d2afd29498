import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopDataset } from './__fixtures__/shop-dataset';
import { seedDatabase } from './seed-database';
import { testDatabaseKinds } from './testing/test-databases';
import { useFreshDatabase } from './testing/fresh-database';
import { verifySynthetic } from './verify-synthetic';

// One real-looking value of each kind, and a documented test card that must pass (#14.3).
const PLANTED: [number, string][] = [
  [1, 'write to jane.doe@gmail.com'],
  [2, 'call +1 (212) 736-5000 after six'],
  [3, 'card 4539 1488 0343 6467 on file'],
  [4, 'ssn 536-22-1234'],
  [5, 'refund to GB82 WEST 1234 5698 7654 32'],
  [6, 'test card 4111 1111 1111 1111, mail bob@example.com, phone (212) 555-0142'],
];

describe.each(testDatabaseKinds(process.env, { mysql: true }))('data verify on $kind (#14.3)', ({ open }) => {
  const db = useFreshDatabase(open, async (fresh) => {
    await seedDatabase({
      dataset: shopDataset,
      profile: 'small',
      seed: 11,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: fresh.spec,
      migrate: true,
    });
  });

  it('passes a freshly seeded database, saying what it checked, in batches', async () => {
    const report = await verifySynthetic({ target: db.spec, dataset: shopDataset, batchSize: 700 });
    expect(report.findings).toEqual([]);
    expect(report.clean).toBe(true);
    expect(report.tables.map((t) => [t.table, t.rows, t.columns.length, t.rowKey])).toEqual([
      ['customers', 500, 5, 'id'],
      ['notes', 300, 3, 'id'],
      ['orders', 3000, 6, 'id'],
    ]);
    expect(report.skipped).toEqual([
      { schema: db.schema, table: 'shipgate_environment_marker', reason: "shipgate's environment marker" },
    ]);
    expect(report).toMatchObject({ columnsChecked: 14, rowsScanned: 3800, schemas: [db.schema] });
    expect(report.detectors.map((d) => d.name)).toEqual([
      'email-domain',
      'phone-range',
      'card-number',
      'us-ssn',
      'iban',
      'dataset-generator',
    ]);
    expect(report.summary).toBe(
      'no real-looking personal data found by 6 detectors in 14 columns (3800 rows in 3 tables)',
    );
    expect(report.summary).not.toContain('provably');
  });

  it('reports one real-looking value of each kind in an extra table, each located by table, column and row key', async () => {
    await db.query('CREATE TABLE contacts_import (id int PRIMARY KEY, note text)');
    for (const [id, note] of PLANTED) await db.query('INSERT INTO contacts_import VALUES ($1, $2)', [id, note]);
    await db.query(`UPDATE orders SET status = 'refunded' WHERE id = 1000`); // not one of the dataset's statuses
    const report = await verifySynthetic({ target: db.spec, dataset: shopDataset });
    expect(report.clean).toBe(false);
    const located = report.findings.map((f) => [f.table, f.column, f.detector, f.count, f.samples]);
    expect(located).toEqual([
      ['contacts_import', 'note', 'card-number', 1, [{ rowKey: 'id=3', value: '************6467' }]],
      ['contacts_import', 'note', 'email-domain', 1, [{ rowKey: 'id=1', value: 'j***@gmail.com' }]],
      ['contacts_import', 'note', 'iban', 1, [{ rowKey: 'id=5', value: 'GB**…32' }]],
      ['contacts_import', 'note', 'phone-range', 1, [{ rowKey: 'id=2', value: '*********00' }]],
      ['contacts_import', 'note', 'us-ssn', 1, [{ rowKey: 'id=4', value: '*******34' }]],
      ['orders', 'status', 'dataset-generator', 1, [{ rowKey: 'id=1000', value: 'r*** (8 characters)' }]],
    ]);
    expect(report.summary).toBe(
      'real-looking personal data found: 6 values in 2 of 15 columns (3806 rows in 4 tables), by card-number, email-domain, iban, phone-range, us-ssn, dataset-generator',
    );
    const printed = JSON.stringify(report);
    for (const secret of ['jane.doe', '736-5000', '4539 1488', '536-22', 'WEST 1234', 'refunded'])
      expect(printed).not.toContain(secret);
  });
});

describe('data verify scans the whole database, not only the dataset schema (#14.3)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => db.close());

  it('finds a real-looking address in a table of another schema', async () => {
    await seedDatabase({
      dataset: shopDataset,
      profile: 'small',
      seed: 3,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: { kind: 'pglite', instance: db },
      migrate: true,
    });
    await db.exec(
      `CREATE SCHEMA crm; CREATE TABLE crm.leads (email text); INSERT INTO crm.leads VALUES ('ceo@bigcorp.com')`,
    );
    const report = await verifySynthetic({ target: { kind: 'pglite', instance: db }, dataset: shopDataset });
    expect(report.schemas).toEqual(['crm', 'public']);
    expect(report.findings).toEqual([
      {
        schema: 'crm',
        table: 'leads',
        column: 'email',
        detector: 'email-domain',
        count: 1,
        samples: [{ rowKey: 'row 1', value: 'c***@bigcorp.com' }],
      },
    ]);
    expect(report.rowsScanned).toBe(3801);
  });
});
