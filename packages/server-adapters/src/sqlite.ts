export { nodeSqliteDatabase } from './sqlite/node-sqlite-database';
export { type SqliteStoreOptions, sqliteStore } from './sqlite/sqlite-store';
