import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Presents Node's built-in `node:sqlite` database in the shape Kysely's SqliteDialect drives,
 * so SQLite needs no native addon.
 */
export function nodeSqliteDatabase(database: DatabaseSync): SqliteDatabase {
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const statement: StatementSync = database.prepare(sql);
      type Values = Parameters<StatementSync['all']>;
      const values = (parameters: ReadonlyArray<unknown>) => parameters as unknown as Values;
      return {
        // A statement that yields columns returns rows (SELECT, or anything with RETURNING).
        reader: statement.columns().length > 0,
        all: (parameters) => statement.all(...values(parameters)),
        run: (parameters) => statement.run(...values(parameters)),
        iterate: (parameters) => statement.iterate(...values(parameters)),
      };
    },
  };
}
