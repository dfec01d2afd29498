import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shopDataset } from './__fixtures__/shop-dataset';
import { writeEnvironmentMarker } from './environment-marker';
import { openTarget } from './open-target';
import type { SeedOptions } from './seed-database';
import { seedDatabase } from './seed-database';
import type { SeedTargetSpec } from './seed-target';
import type { TestDatabase, TestDatabaseServer } from './testing/test-databases';
import { testDatabaseKinds } from './testing/test-databases';

const base = (target: SeedTargetSpec, overrides: Partial<SeedOptions> = {}): SeedOptions => ({
  dataset: shopDataset,
  profile: 'small',
  seed: 1,
  dataPolicy: 'synthetic',
  environment: 'test',
  target,
  ...overrides,
});

describe('refusing real data', () => {
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

  it('reports an unreachable server as DATABASE_UNREACHABLE (infrastructure) with the URL redacted, and writes nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `postgres://app:hunter2@127.0.0.1:${deadPort}/test`;
    const error = (await seedDatabase(base({ kind: 'postgres', url })).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'DATABASE_UNREACHABLE', exitCode: 3 });
    expect(error.message).toContain(`postgres://app:***@127.0.0.1:${deadPort}/test`);
    expect(JSON.stringify(error) + error.message).not.toContain('hunter2');
  });
});

describe.each(testDatabaseKinds())('a database that says it is production, on $kind', ({ open }) => {
  let server: TestDatabaseServer;
  let db: TestDatabase;
  beforeAll(async () => {
    server = await open();
  });
  afterAll(async () => server.close());
  beforeEach(async () => {
    db = await server.fresh();
  });
  afterEach(async () => db.drop());

  it('is refused even when the config says synthetic, and nothing is written', async () => {
    await writeEnvironmentMarker(db.spec, { name: 'production', dataPolicy: 'real' });
    const error = await seedDatabase(base(db.spec, { migrate: true })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DATABASE_IS_PRODUCTION',
      message: expect.stringContaining('identifies itself as environment "production" with data policy "real"'),
    });
    expect((error as { details: { refusal: unknown } }).details.refusal).toMatchObject({
      reason: 'DATABASE_IS_PRODUCTION',
      marker: { name: 'production', dataPolicy: 'real' },
      rowsWritten: 0,
    });
    expect(await db.query(`SELECT to_regclass('customers')::text AS t`)).toEqual([{ t: null }]);
  });

  it('is seeded when the marker says a synthetic environment', async () => {
    await writeEnvironmentMarker(db.spec, { name: 'staging', dataPolicy: 'synthetic' });
    await writeEnvironmentMarker(db.spec, { name: 'test', dataPolicy: 'synthetic' }); // replaces, never appends
    expect(await db.query('SELECT name, data_policy FROM shipgate_environment')).toEqual([
      { name: 'test', data_policy: 'synthetic' },
    ]);
    const report = await seedDatabase(base(db.spec, { migrate: true }));
    expect(report.totalRows).toBe(3800);
  });
});
