export { pgliteServer, postgresServer, testDatabaseKinds } from './test-databases';
export type { TestDatabase, TestDatabaseServer } from './test-databases';
