import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopDataset, shopSchemaSql } from './__fixtures__/shop-dataset';
import { markDatabase } from './mark-database';
import { openTarget } from './open-target';
import type { SeedOptions } from './seed-database';
import { planSeed, seedDatabase } from './seed-database';
import type { SeedTargetSpec } from './seed-target';
import { testDatabaseKinds } from './testing/test-databases';
import { useFreshDatabase } from './testing/fresh-database';

const base = (target: SeedTargetSpec, overrides: Partial<SeedOptions> = {}): SeedOptions => ({
  dataset: shopDataset,
  profile: 'small',
  seed: 1,
  dataPolicy: 'synthetic',
  environment: 'test',
  target,
  actor: 'alice',
  ...overrides,
});

describe('refusing before any connection', () => {
  let server: Server;
  let connections = 0;
  let port = 0;
  beforeAll(async () => {
    // A listener that only counts: proof that a refused run never even opened a socket.
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses data policy real before any connection, with what the audit needs and no password', async () => {
    let opened = 0;
    const url = `postgres://app:hunter2@127.0.0.1:${port}/prod`;
    const error = await seedDatabase(
      base(
        { kind: 'postgres', url },
        { dataPolicy: 'real', environment: 'production', openTarget: (spec) => (opened++, openTarget(spec)) },
      ),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_POLICY_REAL', exitCode: 2 });
    expect((error as { details: unknown }).details).toEqual({
      refusal: {
        reason: 'DATA_POLICY_REAL',
        environment: 'production',
        dataPolicy: 'real',
        dataset: 'shop',
        target: `postgres://app:***@127.0.0.1:${port}/prod`,
        connectionOpened: false,
      },
    });
    expect(JSON.stringify(error) + (error as Error).message).not.toContain('hunter2');
    expect(opened).toBe(0);
    expect(connections).toBe(0);
  });

  it('refuses an unsupported scheme or a malformed URL with DATABASE_URL_INVALID, exit 2, before connecting (#11.18, #11.12)', async () => {
    for (const url of [
      `sqlserver://sa:hunter2@127.0.0.1:${port}/db`,
      `redis://:hunter2@127.0.0.1:${port}`,
      `postgres://app:hunter2@127.0.0.1:99999/db`,
      `postgres://app:hunter2@127.0.0.1:${port}x/db`,
      'app:hunter2@127.0.0.1/db',
    ]) {
      const error = (await seedDatabase(base({ kind: 'postgres', url })).catch((e: unknown) => e)) as Error;
      expect(error, url).toMatchObject({ code: 'DATABASE_URL_INVALID', exitCode: 2 });
      expect(JSON.stringify(error) + error.message, url).not.toContain('hunter2');
    }
    expect(connections).toBe(0);
  });

  it('reports an unreachable server as DATABASE_UNREACHABLE (infrastructure) with the URL redacted, and writes nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    // #11.17: raw URL-special characters in the password, through the real drivers' connection errors.
    for (const scheme of ['postgres', 'mysql'] as const) {
      for (const password of ['hunter2', 'Zq@Xv@Wk', 'Zq/Xv/Wk', 'Zq?Xv#Wk', 'Zq:Xv%Wk', 'Zq Xv&Wk']) {
        const url = `${scheme}://app:${password}@127.0.0.1:${deadPort}/test`;
        const error = (await seedDatabase(base({ kind: scheme, url })).catch((e: unknown) => e)) as Error;
        expect(error, url).toMatchObject({ code: 'DATABASE_UNREACHABLE', exitCode: 3 });
        expect(error.message, url).toContain(`${scheme}://app:***@127.0.0.1:${deadPort}/test`);
        const printed = JSON.stringify(error) + error.message;
        for (const part of password === 'hunter2' ? ['hunter2'] : ['Zq', 'Xv', 'Wk'])
          expect(printed, url).not.toContain(part);
      }
    }
  });
});

describe.each(testDatabaseKinds(process.env, { mysql: true }))(
  'the environment marker guards, on $kind',
  ({ kind, open }) => {
    const db = useFreshDatabase(open);

    const count = async (table: string): Promise<number> =>
      Number((await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
    const markerRows = async (): Promise<Record<string, unknown>[]> => {
      const [present] = await db.query<{ n: unknown }>(
        `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'shipgate_environment_marker'`,
        [db.schema],
      );
      if (Number(present!.n) === 0) return [];
      return db.query('SELECT environment, data_policy, marked_by FROM shipgate_environment_marker');
    };
    /** The dataset's tables made by hand (as a service's migrations would), holding one row of "real" data. */
    const realDatabase = async (): Promise<void> => {
      for (const statement of (kind === 'mysql' ? shopDataset.mysqlSchemaSql! : shopSchemaSql).split(';'))
        if (statement.trim()) await db.query(statement);
      await db.query(
        `INSERT INTO customers (id, first_name, last_name, email, phone, created_at) VALUES (1, 'Real', 'Person', 'real.person@gmail.com', '+1 212 736 5000', '2024-01-01 00:00:00')`,
      );
    };

    it('refuses a database with tables and no marker, writing nothing (#14.2)', async () => {
      await realDatabase();
      for (const overrides of [{}, { migrate: true }]) {
        const error = await seedDatabase(base(db.spec, overrides)).catch((e: unknown) => e);
        expect(error).toMatchObject({
          code: 'DATABASE_NOT_MARKED',
          exitCode: 2,
          message: expect.stringContaining('a database with tables but no marker'),
          hint: expect.stringContaining('--init'),
        });
        expect((error as { details: { refusal: unknown } }).details.refusal).toMatchObject({
          reason: 'DATABASE_NOT_MARKED',
          rowsWritten: 0,
          rowsDeleted: 0,
        });
      }
      expect(await count('customers')).toBe(1);
      expect(await markerRows()).toEqual([]);
    });

    it('refuses --reset on an unmarked database, even with --init and --migrate, and deletes nothing (#14.2)', async () => {
      await realDatabase();
      const error = await seedDatabase(base(db.spec, { reset: true, init: true, migrate: true })).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: 'DATABASE_NOT_MARKED',
        hint: expect.stringContaining('--reset never empties a database that was not marked synthetic'),
      });
      expect(await count('customers')).toBe(1);
      expect(await db.query('SELECT email FROM customers')).toEqual([{ email: 'real.person@gmail.com' }]);
      expect(await markerRows()).toEqual([]);
    });

    it('refuses a production marker whatever the flags, and deletes nothing', async () => {
      await realDatabase();
      const marked = await markDatabase({
        target: db.spec,
        environment: 'production',
        dataPolicy: 'real',
        actor: 'dba',
      });
      expect(marked).toMatchObject({ written: true, previous: [] });
      const error = await seedDatabase(base(db.spec, { reset: true, init: true, migrate: true })).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: 'DATABASE_IS_PRODUCTION',
        message: expect.stringContaining('identifies itself as environment "production" with data policy "real"'),
      });
      expect((error as { details: { refusal: unknown } }).details.refusal).toMatchObject({
        marker: { environment: 'production', dataPolicy: 'real', markedBy: 'dba' },
        rowsDeleted: 0,
      });
      expect(await count('customers')).toBe(1);
      // and the production marker is never replaced by a synthetic one
      await expect(
        markDatabase({ target: db.spec, environment: 'test', dataPolicy: 'synthetic', actor: 'mallory' }),
      ).rejects.toMatchObject({ code: 'DATABASE_IS_PRODUCTION' });
      expect(await markerRows()).toEqual([{ environment: 'production', data_policy: 'real', marked_by: 'dba' }]);
    });

    it('refuses --reset on a database marked synthetic for another environment, and deletes nothing', async () => {
      await realDatabase();
      await markDatabase({ target: db.spec, environment: 'staging', dataPolicy: 'synthetic', actor: 'ci' });
      const error = await seedDatabase(base(db.spec, { reset: true, init: true })).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'DATABASE_NOT_MARKED',
        message: expect.stringContaining('marked as environment "staging" with data policy "synthetic"'),
      });
      expect(await count('customers')).toBe(1);
    });

    it('--migrate claims a new, empty schema; the marker then lets --reset replace the rows', async () => {
      const first = await seedDatabase(base(db.spec, { migrate: true }));
      expect(first.marker).toEqual({ environment: 'test', dataPolicy: 'synthetic', claimed: true });
      expect(await markerRows()).toEqual([{ environment: 'test', data_policy: 'synthetic', marked_by: 'alice' }]);
      const second = await seedDatabase(base(db.spec, { reset: true, seed: 2 }));
      expect(second.marker.claimed).toBe(false);
      expect(await count('customers')).toBe(500);
    });

    it('--init claims an unmarked database whose dataset tables are empty, and records who did', async () => {
      await realDatabase();
      await db.query('DELETE FROM customers');
      await db.query('CREATE TABLE other_data (id int PRIMARY KEY)');
      await expect(seedDatabase(base(db.spec))).rejects.toMatchObject({ code: 'DATABASE_NOT_MARKED' });
      const report = await seedDatabase(base(db.spec, { init: true }));
      expect(report.marker.claimed).toBe(true);
      expect(await markerRows()).toEqual([{ environment: 'test', data_policy: 'synthetic', marked_by: 'alice' }]);
      expect(await count('orders')).toBe(3000);
    });

    it('a dry run reads the marker, says what it would write, and writes nothing (#11.20)', async () => {
      const fresh = await planSeed(base(db.spec, { migrate: true }));
      expect(fresh).toMatchObject({
        dryRun: true,
        marker: { action: 'claim', environment: 'test' },
        wouldCreate: ['customers', 'orders', 'notes'],
        wouldEmpty: [],
        rowsPerTable: { customers: 500, orders: 3000, notes: 300 },
        totalRows: 3800,
      });
      expect(await markerRows()).toEqual([]);
      expect(
        await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [db.schema]),
      ).toEqual([]);
      await seedDatabase(base(db.spec, { migrate: true }));
      const again = await planSeed(base(db.spec, { reset: true }));
      expect(again).toMatchObject({
        marker: { action: 'present' },
        wouldCreate: [],
        wouldEmpty: ['customers', 'orders', 'notes'],
      });
      expect([await count('customers'), await count('orders'), await count('notes')]).toEqual([500, 3000, 300]);
      await expect(planSeed(base(db.spec))).rejects.toMatchObject({ code: 'USAGE' }); // tables full, no reset
    });
  },
);
