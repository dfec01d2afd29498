import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { captureOutput } from '../render/output';

// `seed`, `data verify` and `data mark` end to end through `main`, on the embedded PGlite under a temp state
// directory (and the MariaDB server when SHIPGATE_TEST_MYSQL_URL is set).
const exampleConfig = new URL('../../../../shipgate.yaml', import.meta.url).pathname;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-seed-'));
  const text = (await readFile(exampleConfig, 'utf8'))
    .replaceAll('apps/sample-service/', new URL('../../../sample-service/', import.meta.url).pathname)
    .replaceAll('loadtests/', new URL('../../../../loadtests/', import.meta.url).pathname)
    // A mislabeled environment: staging's database setting points at production's database.
    .replace(
      '    seedProfile: production-like\n',
      '    seedProfile: production-like\n    database: { dataDir: db/production }\n',
    );
  config = join(dir, 'shipgate.yaml');
  await writeFile(config, text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function shipgate(state: string, ...args: string[]) {
  const io = captureOutput();
  const code = await main(['--config', config, '--state', state, '--as', 'alice', ...args], io);
  const json = args.includes('--json') && io.out ? (JSON.parse(io.out) as Json) : undefined;
  return { code, json, out: io.out, err: io.err };
}

const seed = (state: string, env: string, ...args: string[]) =>
  shipgate(state, 'seed', env, '--service', 'sample-service', ...args);
const verify = (state: string, ...args: string[]) =>
  shipgate(state, 'data', 'verify', 'test', '--service', 'sample-service', ...args);

async function actions(state: string): Promise<string[]> {
  const { json } = await shipgate(state, 'audit', 'log', '--json', '--limit', '100');
  return (json!.entries as { action: string }[]).map((e) => e.action);
}

async function countRows(dataDir: string, sql: string): Promise<number> {
  const db = await PGlite.create(dataDir);
  try {
    return Number((await db.query<{ n: unknown }>(sql)).rows[0]!.n);
  } finally {
    await db.close();
  }
}

describe('shipgate seed and data verify (#14.2, #14.3, #11.20)', () => {
  // Each of these seeds the sample dataset through the CLI (bundling it first): minutes on a loaded machine.
  it(
    'marks a new database on --migrate, verifies it clean, then reports a planted real-looking value',
    { timeout: 300_000 },
    async () => {
      const state = join(dir, 'state-verify');
      const seeded = await seed(state, 'test', '--seed', '42', '--migrate', '--json');
      expect(seeded.code).toBe(0);
      expect(seeded.json!.marker).toEqual({ environment: 'test', dataPolicy: 'synthetic', claimed: true });
      const clean = await verify(state);
      expect(clean.code).toBe(0);
      expect(clean.out).toMatch(
        /^test: no real-looking personal data found by 6 detectors in \d+ columns \(6239 rows in \d+ tables\)/,
      );
      expect(clean.out).not.toContain('provably');
      const db = await PGlite.create(join(state, 'db', 'test'));
      await db.exec(
        `CREATE TABLE support_tickets (id int PRIMARY KEY, body text); INSERT INTO support_tickets VALUES (7, 'my ssn is 536-22-1234')`,
      );
      await db.close();
      const found = await verify(state, '--json');
      expect(found.code).toBe(1);
      expect(found.json!.findings).toEqual([
        {
          schema: 'public',
          table: 'support_tickets',
          column: 'body',
          detector: 'us-ssn',
          count: 1,
          samples: [{ rowKey: 'id=7', value: '*******34' }],
        },
      ]);
      expect(found.out).not.toContain('536-22-1234');
      expect(await actions(state)).toEqual(['data.mark', 'seed', 'data.verify', 'data.verify']);
    },
  );

  it(
    '--dry-run checks the marker read-only and writes nothing, on a new and on a seeded database',
    { timeout: 300_000 },
    async () => {
      const state = join(dir, 'state-dry');
      const fresh = await seed(state, 'test', '--seed', '1', '--migrate', '--dry-run', '--json');
      expect(fresh.code).toBe(0);
      expect(fresh.json).toMatchObject({ dryRun: true, marker: { action: 'claim' } });
      expect(fresh.json!.wouldCreate.length).toBeGreaterThan(0);
      expect(existsSync(join(state, 'db', 'test'))).toBe(false);
      const seeded = await seed(state, 'test', '--seed', '1', '--migrate', '--json');
      expect(seeded.code).toBe(0);
      // the dry run counted exactly the rows the run then wrote, table by table
      expect(fresh.json!.rowsPerTable).toEqual(seeded.json!.rowsPerTable);
      expect(fresh.json!.totalRows).toBe(seeded.json!.totalRows);
      const again = await seed(state, 'test', '--seed', '2', '--reset', '--dry-run');
      expect(again.code).toBe(0);
      expect(again.out).toContain('dry run: would seed test (pglite:');
      expect(again.out).toContain('nothing was written');
      expect(again.out).toContain('would empty first (--reset)');
      expect(await countRows(join(state, 'db', 'test'), 'SELECT COUNT(*) AS n FROM customers')).toBeGreaterThan(0);
      expect((await actions(state)).filter((a) => a === 'seed')).toHaveLength(1);
    },
  );

  it(
    'refuses to seed a database marked production through a mislabeled config, and audits the refusal',
    { timeout: 300_000 },
    async () => {
      const state = join(dir, 'state-prod');
      const wrong = await shipgate(state, 'data', 'mark', 'production', '--synthetic');
      expect(wrong.code).toBe(2);
      expect(wrong.err).toContain('expected --real for production');
      const marked = await shipgate(state, 'data', 'mark', 'production', '--real', '--json');
      expect(marked.code).toBe(0);
      expect(marked.json).toMatchObject({ environment: 'production', dataPolicy: 'real', written: true, previous: [] });
      const refused = await seed(state, 'staging', '--migrate', '--reset', '--init');
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('error DATABASE_IS_PRODUCTION');
      expect(refused.err).not.toMatch(/\n\s+at /);
      const tables = await countRows(
        join(state, 'db', 'production'),
        `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(tables).toBe(1); // the marker table only: nothing created, nothing written
      expect(await actions(state)).toEqual(['data.mark', 'seed.refused']);
    },
  );

  it('refuses unsupported schemes and malformed URLs with a coded error, exit 2, no stack, no password (#11.18, #11.12, #11.17)', async () => {
    const state = join(dir, 'state-url');
    for (const [url, code] of [
      ['sqlserver://sa:Zq@Xv/Wk@db.internal/shop', 'DATABASE_URL_INVALID'],
      ['postgres://app:Zq@Xv/Wk@127.0.0.1:port/shop', 'DATABASE_URL_INVALID'],
      ['app:Zq@Xv/Wk@127.0.0.1/shop', 'DATABASE_URL_INVALID'],
    ]) {
      for (const command of [
        ['seed', 'test', '--service', 'sample-service'],
        ['data', 'verify', 'test', '--service', 'sample-service'],
      ]) {
        const result = await shipgate(state, ...command, '--database-url', url!);
        expect(result.code, url).toBe(2);
        expect(result.err, url).toContain(`error ${code}`);
        expect(result.err, url).not.toMatch(/\n\s+at /);
        for (const part of ['Zq', 'Xv', 'Wk']) expect(result.err + result.out, url).not.toContain(part);
      }
    }
  });
});

const mysqlUrl = process.env.SHIPGATE_TEST_MYSQL_URL;
if (!mysqlUrl) console.warn('SHIPGATE_TEST_MYSQL_URL is not set: the MariaDB/MySQL CLI tests of this file do not run');

describe.runIf(Boolean(mysqlUrl))('shipgate data mark / seed / data verify on MariaDB (#14.4)', () => {
  let admin: mysql.Connection;
  const database = `sg_cli_${process.pid}`;
  beforeAll(async () => {
    const url = new URL(mysqlUrl!);
    admin = await mysql.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
    });
    await admin.query(`CREATE DATABASE \`${database}\``);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE \`${database}\``);
    await admin.end();
  });

  it(
    'marks a MariaDB database production, refuses to seed it, and finds a planted card number',
    { timeout: 300_000 },
    async () => {
      const state = join(dir, 'state-mysql');
      const url = `${mysqlUrl!.replace(/\/[^/]*$/, '')}/${database}`;
      expect((await shipgate(state, 'data', 'mark', 'production', '--real', '--database-url', url)).code).toBe(0);
      const refused = await seed(state, 'test', '--reset', '--init', '--database-url', url);
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('error DATABASE_IS_PRODUCTION');
      await admin.query(`CREATE TABLE \`${database}\`.payments (id int PRIMARY KEY, card varchar(32))`);
      await admin.query(
        `INSERT INTO \`${database}\`.payments VALUES (3, '4539 1488 0343 6467'), (4, '4242 4242 4242 4242')`,
      );
      const found = await verify(state, '--database-url', url, '--json');
      expect(found.code).toBe(1);
      expect(found.json!.findings).toEqual([
        {
          schema: database,
          table: 'payments',
          column: 'card',
          detector: 'card-number',
          count: 1,
          samples: [{ rowKey: 'id=3', value: '************6467' }],
        },
      ]);
      expect(found.json!.skipped).toEqual([
        { schema: database, table: 'shipgate_environment_marker', reason: "shipgate's environment marker" },
      ]);
    },
  );
});
