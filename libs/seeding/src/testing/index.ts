export { pgliteServer, postgresServer, mysqlServer, testDatabaseKinds } from './test-databases';
export type { TestDatabase, TestDatabaseServer, TestDatabaseKind } from './test-databases';
export { useFreshDatabase } from './fresh-database';
