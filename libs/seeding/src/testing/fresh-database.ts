import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { TestDatabase, TestDatabaseServer } from './test-databases';

/**
 * Registers the hooks of a describe block's database tests: the server opened once (closed after), a fresh
 * schema for each test (dropped after), prepared by `prepare` when given. Returns the current test's
 * database: a stand-in whose fields and methods are always those of the schema of the test that is running.
 */
export function useFreshDatabase(
  open: () => Promise<TestDatabaseServer>,
  prepare?: (db: TestDatabase) => Promise<void>,
): TestDatabase {
  let server: TestDatabaseServer | undefined;
  let current: TestDatabase | undefined;
  const now = (): TestDatabase => {
    if (!current) throw new Error('useFreshDatabase: the database exists only while a test runs');
    return current;
  };
  beforeAll(async () => {
    server = await open();
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    current = await server!.fresh();
    await prepare?.(current);
  });
  afterEach(async () => {
    await current?.drop();
    current = undefined;
  });
  return {
    get kind() {
      return now().kind;
    },
    get schema() {
      return now().schema;
    },
    get spec() {
      return now().spec;
    },
    query: (sql, params) => now().query(sql, params),
    drop: () => now().drop(),
  };
}
