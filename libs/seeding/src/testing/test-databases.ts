import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { toQuestionMarks } from '../adapters/mysql-target';
import type { SeedTargetSpec } from '../seed-target';
import { quoteIdent } from '../seed-target';
import { mysqlDialect } from '../sql-dialect';

/** The database kinds tests run on. */
export type TestDatabaseKind = 'pglite' | 'postgres' | 'mysql';

/** A fresh, empty schema on one database, for one test: a spec to seed into, a way to query it, and cleanup. */
export interface TestDatabase {
  kind: TestDatabaseKind;
  schema: string;
  spec: SeedTargetSpec;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** Opens one kind of database for a test file and hands out fresh schemas on it. */
export interface TestDatabaseServer {
  kind: TestDatabaseKind;
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

/**
 * The MariaDB/MySQL server of SHIPGATE_TEST_MYSQL_URL, when set; each test gets its own database (MySQL's
 * schemas), dropped after. Parameters are written `$1` as in the PostgreSQL tests.
 */
export async function mysqlServer(url: string): Promise<TestDatabaseServer> {
  const parsed = new URL(url);
  const conn = await mysql.createConnection({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password) || undefined,
    multipleStatements: true,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
  await conn.query("SET time_zone = '+00:00'");
  return {
    kind: 'mysql',
    async fresh() {
      const schema = uniqueSchema();
      await conn.query(`CREATE DATABASE ${mysqlDialect.quoteIdent(schema)}`);
      return {
        kind: 'mysql',
        schema,
        spec: { kind: 'mysql', url, schema },
        async query<R>(sql: string, params?: unknown[]) {
          await conn.query(`USE ${mysqlDialect.quoteIdent(schema)}`);
          const [rows] = await conn.query(...toQuestionMarks(sql, params));
          return (Array.isArray(rows) ? rows : []) as R[];
        },
        drop: async () => void (await conn.query(`DROP DATABASE ${mysqlDialect.quoteIdent(schema)}`)),
      };
    },
    close: () => conn.end(),
  };
}

/** The URLs of the servers to test on, printed once when one is missing so that a skip is never silent. */
const reported = new Set<string>();
function serverUrl(env: NodeJS.ProcessEnv, name: string, what: string): string | undefined {
  const url = env[name];
  if (!url && !reported.has(name)) {
    reported.add(name);
    console.warn(
      `${name} is not set: the ${what} tests of this file do not run (.ci/run sets it when the server answers)`,
    );
  }
  return url || undefined;
}

/**
 * The kinds to run database tests on: PGlite always; the PostgreSQL server when SHIPGATE_TEST_DATABASE_URL is
 * set; with `mysql: true` (tests whose SQL and dataset run on both), also the MariaDB/MySQL server when
 * SHIPGATE_TEST_MYSQL_URL is set.
 */
export function testDatabaseKinds(
  env: NodeJS.ProcessEnv = process.env,
  options: { mysql?: boolean } = {},
): { kind: TestDatabaseKind; open: () => Promise<TestDatabaseServer> }[] {
  const pgUrl = serverUrl(env, 'SHIPGATE_TEST_DATABASE_URL', 'PostgreSQL server');
  const mysqlUrl = !options.mysql ? undefined : serverUrl(env, 'SHIPGATE_TEST_MYSQL_URL', 'MariaDB/MySQL');
  return [
    { kind: 'pglite', open: pgliteServer },
    ...(pgUrl ? [{ kind: 'postgres' as const, open: () => postgresServer(pgUrl) }] : []),
    ...(mysqlUrl ? [{ kind: 'mysql' as const, open: () => mysqlServer(mysqlUrl) }] : []),
  ];
}
