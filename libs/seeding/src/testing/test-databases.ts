import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { SeedTargetSpec } from '../seed-target';
import { quoteIdent } from '../seed-target';

/** A fresh, empty schema on one database, for one test: a spec to seed into, a way to query it, and cleanup. */
export interface TestDatabase {
  kind: 'pglite' | 'postgres';
  schema: string;
  spec: SeedTargetSpec;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** Opens one kind of database for a test file and hands out fresh schemas on it. */
export interface TestDatabaseServer {
  kind: 'pglite' | 'postgres';
  fresh(): Promise<TestDatabase>;
  close(): Promise<void>;
}

const uniqueSchema = (): string => `sg_test_${process.pid}_${randomBytes(4).toString('hex')}`;

/** PGlite in memory: always available. */
export async function pgliteServer(): Promise<TestDatabaseServer> {
  const db = await PGlite.create();
  return {
    kind: 'pglite',
    async fresh() {
      const schema = uniqueSchema();
      await db.exec(`CREATE SCHEMA ${quoteIdent(schema)}`);
      const scoped = async <R>(sql: string, params?: unknown[]): Promise<R[]> => {
        await db.exec(`SET search_path TO ${quoteIdent(schema)}, public`);
        return (await db.query<R>(sql, params)).rows;
      };
      return {
        kind: 'pglite',
        schema,
        spec: { kind: 'pglite', instance: db, schema },
        query: scoped,
        drop: async () => void (await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`)),
      };
    },
    close: () => db.close(),
  };
}

/** The PostgreSQL server of SHIPGATE_TEST_DATABASE_URL, when set; each test gets its own schema, dropped after. */
export async function postgresServer(url: string): Promise<TestDatabaseServer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    kind: 'postgres',
    async fresh() {
      const schema = uniqueSchema();
      await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
      return {
        kind: 'postgres',
        schema,
        spec: { kind: 'postgres', url, schema },
        async query<R>(sql: string, params?: unknown[]) {
          await client.query(`SET search_path TO ${quoteIdent(schema)}, public`);
          return (await client.query(sql, params)).rows as R[];
        },
        drop: async () => void (await client.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`)),
      };
    },
    close: () => client.end(),
  };
}

/** The kinds to run database tests on: PGlite always, the server too when SHIPGATE_TEST_DATABASE_URL is set. */
export function testDatabaseKinds(
  env: NodeJS.ProcessEnv = process.env,
): { kind: 'pglite' | 'postgres'; open: () => Promise<TestDatabaseServer> }[] {
  const url = env.SHIPGATE_TEST_DATABASE_URL;
  return [
    { kind: 'pglite', open: pgliteServer },
    ...(url ? [{ kind: 'postgres' as const, open: () => postgresServer(url) }] : []),
  ];
}
