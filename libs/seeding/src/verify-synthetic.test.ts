import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shopDataset } from './__fixtures__/shop-dataset';
import { seedDatabase } from './seed-database';
import type { TestDatabase, TestDatabaseServer } from './testing/test-databases';
import { testDatabaseKinds } from './testing/test-databases';
import { verifySynthetic } from './verify-synthetic';

describe.each(testDatabaseKinds())('verifySynthetic on $kind', ({ open }) => {
  let server: TestDatabaseServer;
  let db: TestDatabase;
  beforeAll(async () => {
    server = await open();
  });
  afterAll(async () => server.close());
  beforeEach(async () => {
    db = await server.fresh();
    await seedDatabase({
      dataset: shopDataset,
      profile: 'small',
      seed: 11,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: db.spec,
      migrate: true,
    });
  });
  afterEach(async () => db.drop());

  it('passes on freshly seeded data, scanning every row in batches', async () => {
    const report = await verifySynthetic({ target: db.spec, dataset: shopDataset, batchSize: 700 });
    expect(report.findings).toEqual([]);
    expect(report.synthetic).toBe(true);
    expect(report.tables).toEqual([
      { table: 'customers', rows: 500 },
      { table: 'orders', rows: 3000 },
      { table: 'notes', rows: 300 },
    ]);
  });

  it('catches a planted real-looking email, phone and card number, with counts and masked samples', async () => {
    await db.query(`UPDATE customers SET email = 'jane.doe' || id || '@gmail.com' WHERE id <= 3`);
    await db.query(`UPDATE customers SET phone = '+1 (212) 736-5000' WHERE id = 10`);
    await db.query(`UPDATE notes SET body = 'card 4111 1111 1111 1111 on file' WHERE id = 5`);
    await db.query(`CREATE TABLE extra (id int, contact text)`); // not in the dataset: found when scanning the schema
    await db.query(`INSERT INTO extra VALUES (1, 'call 020 7123 4567 or mail bob@company.io')`);
    const report = await verifySynthetic({ target: db.spec });
    expect(report.synthetic).toBe(false);
    expect(report.findings).toEqual([
      { table: 'customers', column: 'email', rule: 'email-domain', count: 3, samples: ['j***@gmail.com'] },
      { table: 'customers', column: 'phone', rule: 'phone-range', count: 1, samples: ['*********00'] },
      { table: 'extra', column: 'contact', rule: 'email-domain', count: 1, samples: ['b***@company.io'] },
      { table: 'extra', column: 'contact', rule: 'phone-range', count: 1, samples: ['*********67'] },
      { table: 'notes', column: 'body', rule: 'card-number', count: 1, samples: ['************1111'] },
    ]);
    const printed = JSON.stringify(report);
    for (const secret of ['jane.doe1@gmail.com', '736-5000', '4111 1111 1111 1111'])
      expect(printed).not.toContain(secret);
  });
});
